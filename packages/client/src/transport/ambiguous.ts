/**
 * "Ambiguous" marks a write whose outcome is unknown: it was sent, then the answer was lost (timeout, reset,
 * 502/503/504), so the server may have applied it. Responses carry `ambiguous`; errors get the same property.
 */
export function markAmbiguous<E extends object>(error: E, ambiguous: boolean): E & { ambiguous: boolean } {
  return Object.assign(error, { ambiguous });
}

/** True when an error (or response) says the request may have been applied although no answer arrived. */
export function isAmbiguous(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { ambiguous?: unknown }).ambiguous === true;
}
