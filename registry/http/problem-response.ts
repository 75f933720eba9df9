import { errorSpec, ModuError, type NeutralResponse } from '../../kernel/index.js';

/**
 * An RFC 9457 problem+json response with the error's stable `code`; unknown errors never leak their message, and the
 * server's folders (`hidden`: the registry root, the temp folder) never appear in it.
 */
export function problemResponse(
  error: unknown,
  extraHeaders: Record<string, string> = {},
  hidden: readonly string[] = [],
): NeutralResponse {
  const known = ModuError.is(error);
  const code = known ? error.code : 'MODU_REGISTRY_INTERNAL';
  const status = known ? error.status : 500;
  const body = {
    type: `https://modu.dev/errors/${code}`,
    title: errorSpec(code)?.title ?? 'Registry error',
    status,
    detail: known ? error.message : 'the registry failed unexpectedly; see the server log',
    code,
    ...(known && error.hint !== undefined ? { hint: error.hint } : {}),
    ...(known ? { details: error.details } : {}),
  };
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...extraHeaders },
    body: hidden.reduce((text, path) => text.split(path).join('<registry>'), JSON.stringify(body)),
  };
}

/** A JSON response. */
export function jsonResponse(value: unknown, status = 200): NeutralResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
