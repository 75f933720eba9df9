/** The shapes Node's module customization hooks exchange (not in @types/node 20), for both hook styles. */

/** What a resolve hook receives besides the specifier. */
export interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
}

/** What a resolve hook returns. */
export interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}

/** What a load hook receives besides the URL. */
export interface LoadContext {
  readonly format?: string | null;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
  /** Not documented, but read by Node's default load (v20 to v24): a source given here is not read again. */
  readonly source?: string | ArrayBuffer | Uint8Array | null;
}

/** What a load hook returns. */
export interface LoadResult {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}
