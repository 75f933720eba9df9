import { createHash, timingSafeEqual } from 'node:crypto';
import { ModuError } from '../../kernel/index.js';

/** A write token and the id the audit log records instead of it. */
export interface RegistryToken {
  readonly id: string;
  readonly token: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Finds the token a `Bearer` header carries, comparing digests in constant time so timing tells
 * nothing about a token. Resolves to the token id.
 *
 * @throws ModuError `MODU_REGISTRY_UNAUTHORIZED`
 */
export function checkToken(header: string | readonly string[] | undefined, tokens: readonly RegistryToken[]): string {
  const value = typeof header === 'string' ? header : undefined;
  const match = value === undefined ? null : /^Bearer\s+(\S+)$/i.exec(value);
  const given = digest(match?.[1] ?? '');
  let found: string | undefined;
  for (const { id, token } of tokens) {
    if (timingSafeEqual(given, digest(token)) && match !== null) found ??= id;
  }
  if (found === undefined) {
    throw new ModuError('MODU_REGISTRY_UNAUTHORIZED', 'This registry write needs a valid bearer token.', {
      details: { hasHeader: value !== undefined },
    });
  }
  return found;
}
