/**
 * Parses a `Retry-After` header into milliseconds from `nowMs`: delta-seconds (decimals accepted, e.g. `0.25`,
 * which the emulator sends when its time is scaled) or an HTTP-date. Returns undefined when absent or unreadable;
 * a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
