export interface EngineResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The documented `{result, message}` body for a request-level failure. */
export function requestFailure(status: number, result: string, message: string): EngineResponse {
  return { status, body: { result, message } };
}

export function badOrganization(): EngineResponse {
  return requestFailure(400, 'error.organization.invalid_id', 'Bad organization Id');
}
