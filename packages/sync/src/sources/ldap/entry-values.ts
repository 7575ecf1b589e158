import type { Entry } from 'ldapts';
import type { TextDecoder } from 'node:util';
import { guidFromBytes } from './guid.js';

/** Reads an entry's attributes by name, case-insensitively, decoding bytes with the directory's encoding. */
export class EntryValues {
  readonly #values = new Map<string, Entry[string]>();
  readonly #decoder: TextDecoder;

  constructor(entry: Entry, decoder: TextDecoder) {
    this.#decoder = decoder;
    for (const [key, value] of Object.entries(entry)) this.#values.set(key.toLowerCase(), value);
  }

  /** The first value of an attribute, as text (undefined when absent or empty). */
  first(attribute: string): string | undefined {
    const value = this.#values.get(attribute.toLowerCase());
    const item = Array.isArray(value) ? value[0] : value;
    if (item === undefined) return undefined;
    const text = typeof item === 'string' ? item : this.#decoder.decode(item);
    return text === '' ? undefined : text;
  }

  /** The anchor: AD's `objectGUID` rendered as a GUID string, else `entryUUID`. */
  anchor(): string | undefined {
    const guid = this.#values.get('objectguid');
    const bytes = Array.isArray(guid) ? guid[0] : guid;
    if (bytes !== undefined && typeof bytes !== 'string') {
      const rendered = guidFromBytes(bytes);
      if (rendered !== undefined) return rendered;
    }
    return this.first('entryUUID')?.toLowerCase();
  }
}
