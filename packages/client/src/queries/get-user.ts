import { ApiError } from '../errors.js';
import type { Requester } from '../transport/types.js';
import type { User } from './types.js';

/** The user path segment: escaped, but `@` kept readable as the API's own samples do. */
export function userPathSegment(userString: string): string {
  return encodeURIComponent(userString).replace(/%40/g, '@');
}

/**
 * One user by email (or username, with `domain`): GET `/organizations/{org}/users/{userString}`
 * (umapi-api.md §6.2). Returns null when the server answers 404 (no such user).
 */
export async function getUser(
  requester: Requester,
  userString: string,
  options: { domain?: string; signal?: AbortSignal } = {},
): Promise<User | null> {
  const path = `/organizations/${encodeURIComponent(requester.orgId)}/users/${userPathSegment(userString)}`;
  const response = await requester.request<{ result?: unknown; user?: User; message?: unknown } | null>({
    method: 'GET',
    path,
    endpointClass: 'userRead',
    acceptStatuses: [404],
    ...(options.domain !== undefined ? { query: { domain: options.domain } } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  if (response.status === 404) return null;
  const body = response.body;
  if (
    body === null ||
    typeof body !== 'object' ||
    body.result !== 'success' ||
    typeof body.user !== 'object'
  ) {
    throw new ApiError(`GET ${path} answered 200 without a user (result ${JSON.stringify(body?.result)})`, {
      status: response.status,
      body,
      headers: response.headers,
      requestId: response.requestId,
      method: 'GET',
      path,
    });
  }
  return body.user;
}

/**
 * Whether a user group (or product profile) exists: page 0 of its members (§6.3) answers 404 when it does not.
 * One user read, whatever the size of the org's group list.
 */
export async function groupExists(
  requester: Requester,
  name: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const response = await requester.request({
    method: 'GET',
    path: `/users/${encodeURIComponent(requester.orgId)}/0/${encodeURIComponent(name)}`,
    endpointClass: 'userRead',
    query: { excludeGroups: 'true' },
    acceptStatuses: [404],
    ...(signal !== undefined ? { signal } : {}),
  });
  return response.status !== 404;
}
