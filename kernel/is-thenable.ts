/** True for a promise or any other thenable: a plugin's guard, handler or factory may return either. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
