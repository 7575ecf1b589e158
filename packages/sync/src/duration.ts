/** Milliseconds in a duration written `90m`, `24h` or `2d` (decimals allowed); undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(text.trim());
  if (match === null) return undefined;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}
