import { randomUUID } from 'node:crypto';
import { VERSION } from '../version.js';

/** `umapi-kit/<version> node/<version>`, after the caller's own product token when given. */
export function userAgent(prefix?: string): string {
  const own = `umapi-kit/${VERSION} node/${process.versions.node}`;
  return prefix === undefined || prefix.trim() === '' ? own : `${prefix.trim()} ${own}`;
}

/** A new request id: one per logical request, reused on every retry of it. */
export function newRequestId(): string {
  return randomUUID();
}

export interface HeaderInput {
  accessToken: string;
  clientId: string;
  requestId: string;
  userAgent: string;
  hasBody: boolean;
  extra?: Record<string, string> | undefined;
}

/** The headers of one UMAPI call. */
export function buildRequestHeaders(input: HeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': input.userAgent,
    'X-Request-Id': input.requestId,
    ...input.extra,
    Authorization: `Bearer ${input.accessToken}`,
    'X-Api-Key': input.clientId,
  };
  if (input.hasBody) headers['Content-Type'] = 'application/json';
  return headers;
}
