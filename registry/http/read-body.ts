import { ModuError, type NeutralRequest } from '../../kernel/index.js';

function tooLarge(limit: number): ModuError {
  return new ModuError('MODU_REGISTRY_UPLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`, {
    details: { limit },
  });
}

/**
 * Reads the request body up to `limit` bytes, counting as it streams: a lying or missing
 * Content-Length cannot push more than the limit into memory.
 *
 * @throws ModuError `MODU_REGISTRY_UPLOAD_TOO_LARGE`
 */
export async function readBody(request: NeutralRequest, limit: number): Promise<Buffer> {
  if (Buffer.isBuffer(request.parsedBody)) {
    if (request.parsedBody.length > limit) throw tooLarge(limit);
    return request.parsedBody;
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body) {
    size += (chunk as Buffer).length;
    // Stop reading; the 413 goes out with `connection: close`, so the rest is never read.
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON object body (or takes the one host middleware already parsed). @throws `MODU_REGISTRY_BAD_REQUEST` */
export async function readJsonBody(request: NeutralRequest, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const parsed = request.parsedBody;
  if (parsed !== undefined && !Buffer.isBuffer(parsed) && typeof parsed === 'object' && parsed !== null) {
    return parsed as Record<string, unknown>;
  }
  const text = (await readBody(request, limit)).toString('utf8');
  try {
    const value: unknown = text === '' ? {} : JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ModuError('MODU_REGISTRY_BAD_REQUEST', 'The request body must be a JSON object.', { details: {} });
}
