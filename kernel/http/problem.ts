import { errorSpec } from '../errors/catalogue.js';
import type { NeutralResponse } from './neutral.js';

/** The media type of RFC 9457 problem details. */
export const PROBLEM_JSON = 'application/problem+json';

/** An RFC 9457 problem document with Modu's stable `code`; extra members carry machine data. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly [member: string]: unknown;
}

/**
 * Builds a problem+json response for a catalogued code; `extra` adds members (such as `missing`)
 * and `headers` adds headers (such as `Allow` or `Retry-After`).
 *
 * @example problemResponse('MODU_HTTP_NOT_FOUND', 'No route for GET /x', { instance: '/x' });
 */
export function problemResponse(
  code: string,
  detail: string,
  extra: Readonly<Record<string, unknown>> = {},
  headers: Readonly<Record<string, string>> = {},
): NeutralResponse {
  const spec = errorSpec(code);
  const status = spec?.status ?? 500;
  const problem: Problem = {
    type: `https://modu.dev/errors/${code}`,
    title: spec?.title ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
  return {
    status,
    headers: { 'content-type': `${PROBLEM_JSON}; charset=utf-8`, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(problem),
  };
}
