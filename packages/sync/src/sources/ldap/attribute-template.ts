/**
 * The User Sync Tool's attribute templates: `{mail}`, `{sAMAccountName}@example.com`, `{idType}ID`. Names in
 * braces are attribute names; the rest is kept as written. A template whose attribute the entry lacks gives no
 * value (as the User Sync Tool does), so a missing `mail` is a missing email, not the text "@example.com".
 */
export interface AttributeTemplate {
  /** The template as written, for messages. */
  readonly text: string;
  /** The attribute names it reads, in order. */
  readonly attributes: readonly string[];
  /** The value for one entry's attributes (first value of each), or undefined when one is missing or empty. */
  render(valueOf: (attribute: string) => string | undefined): string | undefined;
}

const NAME = /^[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*$/;

/** Parses a template; a brace that is not `{attribute-name}` is an error naming the template and the position. */
export function parseTemplate(text: string): AttributeTemplate | string {
  const parts: ({ literal: string } | { attribute: string })[] = [];
  let rest = 0;
  while (rest < text.length) {
    const open = text.indexOf('{', rest);
    const close = text.indexOf('}', rest);
    if (close !== -1 && (open === -1 || close < open)) {
      return `has "}" at position ${String(close + 1)} without "{" (expected {attribute})`;
    }
    if (open === -1) {
      parts.push({ literal: text.slice(rest) });
      break;
    }
    if (open > rest) parts.push({ literal: text.slice(rest, open) });
    if (close === -1) return `has "{" at position ${String(open + 1)} without "}" (expected {attribute})`;
    const name = text.slice(open + 1, close).trim();
    if (!NAME.test(name)) {
      return `"{${text.slice(open + 1, close)}}" is not an attribute name (expected letters, digits and "-", like {mail})`;
    }
    parts.push({ attribute: name });
    rest = close + 1;
  }
  const attributes = parts.flatMap((part) => ('attribute' in part ? [part.attribute] : []));
  return {
    text,
    attributes,
    render(valueOf) {
      let out = '';
      for (const part of parts) {
        if ('literal' in part) {
          out += part.literal;
          continue;
        }
        const value = valueOf(part.attribute);
        if (value === undefined || value === '') return undefined;
        out += value;
      }
      return out;
    },
  };
}
