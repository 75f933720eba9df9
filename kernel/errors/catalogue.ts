/** What a code means to a caller: a short title, the HTTP status it maps to, and the usual fix. */
export interface ErrorSpec {
  readonly title: string;
  readonly status: number;
  readonly hint: string;
}

const specs = new Map<string, ErrorSpec>();

/**
 * Registers one area's error codes (`MODU_<AREA>_<WHAT>`). Each area calls it once in its own
 * `errors.ts`; `docs/errors.md` lists the same codes and a test keeps the two equal.
 */
export function defineErrors<const T extends Record<`MODU_${string}`, ErrorSpec>>(area: T): T {
  for (const [code, spec] of Object.entries(area)) {
    if (specs.has(code)) throw new Error(`error code ${code} is defined twice`);
    specs.set(code, spec);
  }
  return area;
}

/** The spec of a registered code, or undefined for a code no area defined. */
export function errorSpec(code: string): ErrorSpec | undefined {
  return specs.get(code);
}

/** Every registered code with its spec, sorted by code. */
export function errorCatalogue(): ReadonlyArray<readonly [string, ErrorSpec]> {
  return [...specs.entries()].sort(([a], [b]) => a.localeCompare(b));
}
