import type { ApiResponse, RequestOptions, Requester } from '@umapi-kit/client';

export type Handler = (
  options: RequestOptions,
  call: number,
) => Promise<Partial<ApiResponse>> | Partial<ApiResponse>;

/** An in-memory Requester: records every request and answers with `handler`. */
export class FakeRequester implements Requester {
  readonly orgId = '12345@AdobeOrg';
  readonly calls: RequestOptions[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly handler: Handler) {}

  async request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>> {
    this.calls.push(options);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const partial = await this.handler(options, this.calls.length - 1);
      return {
        status: 200,
        headers: new Headers(),
        body: null,
        requestId: `req-${this.calls.length}`,
        attempts: 1,
        totalRetryDelayMs: 0,
        throttled: 0,
        ...partial,
      } as ApiResponse<T>;
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** A 200 action answer with every entry of the request completed. */
export function allCompleted(options: RequestOptions): Partial<ApiResponse> {
  const count = (options.body as unknown[]).length;
  return { body: { completed: count, notCompleted: 0, completedInTestMode: 0, result: 'success' } };
}
