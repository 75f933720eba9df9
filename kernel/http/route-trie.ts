import { ArrayPrototypePush, SafeMap, StringPrototypeStartsWith, splitString } from '../primordials.js';

class TrieNode<T> {
  readonly literals = new SafeMap<string, TrieNode<T>>();
  param: TrieNode<T> | undefined;
  readonly methods = new SafeMap<string, T>();

  isEmpty(): boolean {
    return this.literals.size === 0 && this.param === undefined && this.methods.size === 0;
  }
}

const STATIC_CACHE_SIZE = 1024;

/** The outcome of a lookup: a route with its parameter values in path order, or the methods the path allows. */
export type TrieLookup<T> =
  | { readonly found: true; readonly value: T; readonly values: readonly string[] }
  | { readonly found: false; readonly allow: readonly string[] };

/** Splits a path into its non-empty segments. */
export function pathSegments(path: string): string[] {
  const all = splitString(path, '/');
  const segments: string[] = [];
  for (let i = 0; i < all.length; i++) if (all[i] !== '') ArrayPrototypePush(segments, all[i] as string);
  return segments;
}

function allowed<T>(node: TrieNode<T>): string[] {
  const methods = [...node.methods.keys()];
  if (node.methods.has('GET') && !node.methods.has('HEAD')) methods.push('HEAD');
  return methods.sort();
}

/**
 * A segment trie of routes: a literal segment always beats a parameter at the same depth, whatever
 * the order routes were added in, and a failed literal branch backtracks to the parameter one.
 * Parameter names live with the routes, so `/:id` and `/:userId` are the same path (a conflict).
 */
export class RouteTrie<T> {
  readonly #root = new TrieNode<T>();
  /** Hits on parameter-free paths, by `METHOD path`; bounded, and emptied whenever the table changes. */
  readonly #static = new SafeMap<string, TrieLookup<T>>();

  /** Adds a route; returns the value already holding method+path instead (and adds nothing). */
  add(method: string, path: string, value: T): T | undefined {
    this.#static.clear();
    let node = this.#root;
    const segments = pathSegments(path);
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      if (StringPrototypeStartsWith(segment, ':')) {
        node.param ??= new TrieNode<T>();
        node = node.param;
      } else {
        let next = node.literals.get(segment);
        if (next === undefined) {
          next = new TrieNode<T>();
          node.literals.set(segment, next);
        }
        node = next;
      }
    }
    const existing = node.methods.get(method);
    if (existing !== undefined) return existing;
    node.methods.set(method, value);
    return undefined;
  }

  /** Removes method+path when it holds exactly `value`, pruning emptied branches. */
  remove(method: string, path: string, value: T): boolean {
    this.#static.clear();
    const trail: Array<[TrieNode<T>, string | undefined]> = [];
    let node: TrieNode<T> | undefined = this.#root;
    const segments = pathSegments(path);
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      const literal = StringPrototypeStartsWith(segment, ':') ? undefined : segment;
      trail.push([node, literal]);
      node = literal === undefined ? node.param : node.literals.get(literal);
      if (node === undefined) return false;
    }
    if (node.methods.get(method) !== value) return false;
    node.methods.delete(method);
    for (let i = trail.length - 1; i >= 0 && node.isEmpty(); i--) {
      const [parent, literal] = trail[i] as [TrieNode<T>, string | undefined];
      if (literal === undefined) parent.param = undefined;
      else parent.literals.delete(literal);
      node = parent;
    }
    return true;
  }

  /** Finds the route for method+path (HEAD falls back to GET); undefined when no path matches at all. */
  lookup(method: string, path: string): TrieLookup<T> | undefined {
    const key = `${method} ${path}`;
    const cached = this.#static.get(key);
    if (cached !== undefined) return cached;
    const segments = splitString(path, '/'); // empty segments are skipped while walking
    const values: string[] = [];
    const state: { pathOnly: TrieNode<T> | undefined } = { pathOnly: undefined };
    const value = this.#walk(this.#root, segments, 0, method, values, state);
    if (value !== undefined) {
      const hit = { found: true, value, values } as const;
      if (values.length === 0) {
        if (this.#static.size >= STATIC_CACHE_SIZE) this.#static.clear();
        this.#static.set(key, hit);
      }
      return hit;
    }
    if (state.pathOnly !== undefined) return { found: false, allow: allowed(state.pathOnly) };
    return undefined;
  }

  #walk(
    node: TrieNode<T>,
    segments: readonly string[],
    index: number,
    method: string,
    values: string[],
    state: { pathOnly: TrieNode<T> | undefined },
  ): T | undefined {
    while (index < segments.length && segments[index] === '') index++;
    if (index === segments.length) {
      if (node.methods.size === 0) return undefined;
      const value = node.methods.get(method) ?? (method === 'HEAD' ? node.methods.get('GET') : undefined);
      if (value === undefined) state.pathOnly ??= node;
      return value;
    }
    const segment = segments[index] as string;
    const literal = node.literals.get(segment);
    if (literal !== undefined) {
      const value = this.#walk(literal, segments, index + 1, method, values, state);
      if (value !== undefined) return value;
    }
    if (node.param === undefined) return undefined;
    ArrayPrototypePush(values, segment);
    const value = this.#walk(node.param, segments, index + 1, method, values, state);
    if (value === undefined) values.length--;
    return value;
  }
}
