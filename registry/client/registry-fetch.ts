import { type ErrorCode, errorSpec, ModuError } from '../../kernel/index.js';

interface Problem {
  readonly code?: string;
  readonly detail?: string;
  readonly details?: Record<string, unknown>;
}

/**
 * One request to a registry server (`modu registry serve`); a problem+json answer comes back as the
 * same ModuError code the server threw. A 304 is returned like a success (conditional reads).
 *
 * @throws ModuError `MODU_REGISTRY_HTTP_FAILED` and the server's codes
 */
export async function registryFetch(
  location: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${location}${path}`, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
  } catch (cause) {
    throw new ModuError(
      'MODU_REGISTRY_HTTP_FAILED',
      `${method} ${location}${path} failed: ${(cause as Error).message}`,
      {
        details: { url: `${location}${path}` },
        cause,
      },
    );
  }
  if (response.ok || response.status === 304) return response;
  const problem = (await response.json().catch(() => ({}))) as Problem;
  throw new ModuError(
    // The server's code when this copy of Modu catalogues it too, else the generic HTTP failure.
    problem.code !== undefined && errorSpec(problem.code) !== undefined
      ? (problem.code as ErrorCode)
      : 'MODU_REGISTRY_HTTP_FAILED',
    problem.detail ?? `${method} ${path} answered ${response.status}.`,
    { details: { ...(problem.details ?? {}), status: response.status } },
  );
}
