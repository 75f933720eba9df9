/** Calls `method` of the service on the other side of the boundary with `args`. */
export type RemoteCall = (method: string, args: unknown[]) => Promise<unknown>;

/**
 * A service that lives in another process: every method call is a message and returns a promise. `then` is not a
 * method (so that awaiting the proxy gives the proxy), and symbols (`Symbol.dispose`, inspection) are absent.
 */
export function serviceProxy(token: string, call: RemoteCall): object {
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(Object.freeze({ token }), {
    get(_target, key) {
      if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
      let method = methods.get(key);
      if (method === undefined) {
        method = (...args: unknown[]) => {
          const result = call(key, args);
          // A caller that does not await (fire and forget) must not turn a failed call into an unhandled rejection,
          // which ends a Node process; a caller that awaits still gets the error.
          result.catch(() => undefined);
          return result;
        };
        methods.set(key, method);
      }
      return method;
    },
  });
}

/** True for a method name the receiving side will call: a plain name, never the constructor or `__proto__`. */
export function isCallableName(name: unknown): name is string {
  return typeof name === 'string' && name !== 'constructor' && !name.startsWith('__');
}
