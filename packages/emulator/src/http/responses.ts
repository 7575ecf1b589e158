/** Marks a response that must become a connection reset: it is never sent, the connection is dropped instead. */
const RESET_HEADER = 'x-umapi-emulator-reset';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function resetResponse(): Response {
  return new Response(null, { status: 599, headers: { [RESET_HEADER]: '1' } });
}

export function isResetResponse(response: Response): boolean {
  return response.headers.get(RESET_HEADER) !== null;
}
