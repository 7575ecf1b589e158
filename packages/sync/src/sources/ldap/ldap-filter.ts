/**
 * Filter text. Values put into a filter are escaped as RFC 4515 requires (`(`, `)`, `*`, `\` and NUL), so a
 * group named `R&D (Paris)` finds that group instead of breaking the filter (the User Sync Tool pastes names in
 * unescaped).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `{name}` in a format replaced by the escaped value (every occurrence). */
export function fillFilter(format: string, name: string, value: string): string {
  return format.split(`{${name}}`).join(escapeFilterValue(value));
}

/** Both filters must match; a filter without its outer parentheses gets them. */
export function andFilters(...filters: string[]): string {
  const wrapped = filters.map((filter) => {
    const trimmed = filter.trim();
    return trimmed.startsWith('(') ? trimmed : `(${trimmed})`;
  });
  return wrapped.length === 1 ? (wrapped[0] ?? '') : `(&${wrapped.join('')})`;
}
