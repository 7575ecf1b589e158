/** A response body as JSON, the raw text when it is not JSON (callers check the shape), or null when empty. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
