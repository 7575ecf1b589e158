import type { ApiResponse, RequestOptions } from '@umapi-kit/client';

export interface PageServerOptions {
  total: number;
  pageSize: number;
  /** Items the server counts but never returns (technical accounts). */
  hidden?: number;
  withCounts?: boolean;
  key?: 'users' | 'groups';
}

/** Answers `/users|groups/{org}/{page}` from a list of `total` items, the way UMAPI pages them. */
export function pageAnswer(options: PageServerOptions, page: number): Partial<ApiResponse> {
  const { total, pageSize, hidden = 0, withCounts = true, key = 'users' } = options;
  const visible = total - hidden;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const start = page * pageSize;
  const items = Array.from({ length: Math.max(0, Math.min(pageSize, visible - start)) }, (_, i) => ({
    email: `u${start + i}@example.com`,
    groupName: `G${start + i}`,
    type: 'federatedID',
  }));
  const headers = new Headers();
  if (withCounts) {
    headers.set('X-Total-Count', String(total));
    headers.set('X-Page-Count', String(pageCount));
    headers.set('X-Current-Page', String(page));
    headers.set('X-Page-Size', String(items.length));
  }
  return { headers, body: { lastPage: page >= pageCount - 1, result: 'success', [key]: items } };
}

export function pageOf(options: RequestOptions): number {
  const match = /^\/(?:users|groups)\/[^/]+\/(\d+)/.exec(options.path);
  return Number(match?.[1]);
}
