/**
 * A distinguished name in one spelling for comparing: attribute types and values lower-cased, spaces around
 * `,`, `+` and `=` dropped. Directories store member DNs as they were written (`CN=Ann, OU=People`) and return
 * entry DNs in their own spelling; both must meet. Escaped characters (`\,`) are kept as they are.
 */
export function normalizeDn(dn: string): string {
  // Most DNs are already in one spelling but for case: no escapes, multi-valued RDNs or spaces to drop.
  if (!NEEDS_PARSING.test(dn)) return dn.toLowerCase();
  const rdns: string[] = [];
  let current = '';
  for (let index = 0; index < dn.length; index += 1) {
    const char = dn[index] ?? '';
    if (char === '\\' && index + 1 < dn.length) {
      current += char + (dn[index + 1] ?? '');
      index += 1;
      continue;
    }
    if (char === ',' || char === ';') {
      rdns.push(normalizeRdn(current));
      current = '';
      continue;
    }
    current += char;
  }
  rdns.push(normalizeRdn(current));
  return rdns.join(',').toLowerCase();
}

/** What only the full parse below handles: an escape, `;`, `+`, or a space next to `,` or `=` or at an end. */
const NEEDS_PARSING = /[\\;+]|\s[,=]|[,=]\s|^\s|\s$/;

function normalizeRdn(rdn: string): string {
  return rdn
    .split('+')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair.trim();
      return `${pair.slice(0, equals).trim()}=${pair.slice(equals + 1).trim()}`;
    })
    .join('+');
}

/** Whether a member value is a DN (`uid=ann,ou=people,...`) rather than a bare name (posixGroup `memberUid`). */
export function looksLikeDn(value: string): boolean {
  return /^[A-Za-z0-9.-]+\s*=/.test(value);
}
