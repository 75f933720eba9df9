/**
 * `work`, or the error `expire()` returns once `ms` have passed (expire also does what the deadline calls for, such
 * as killing the process that stopped answering).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, expire: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expire()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
