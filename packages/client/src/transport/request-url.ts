/** `endpoint` + `path` + the defined query parameters. */
export function buildUrl(endpoint: string, path: string, query?: Record<string, string | undefined>): string {
  const base = endpoint.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, value);
  }
  const search = params.toString();
  return `${base}${path.startsWith('/') ? path : `/${path}`}${search === '' ? '' : `?${search}`}`;
}

/** One signal that aborts when any of the given ones does. */
export function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
