/**
 * The bytes of an input file as checked UTF-8: a UTF-8 file is passed through once every byte is known to be
 * valid (the first invalid byte is an error naming its line and column, never a silent U+FFFD); a file whose
 * encoding was given (`latin1`, ...) or that starts with a UTF-16LE byte-order mark is decoded and re-encoded;
 * UTF-16 that cannot be read (big-endian, or without a mark) is an error that says how to convert it.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { isUtf8 } from 'node:buffer';

/** Why the bytes cannot be read, with where (line 0: the file as a whole). */
export class TextEncodingError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'TextEncodingError';
    this.line = line;
  }
}

const CONVERT_HINT =
  'save it as UTF-8 (in Excel: "CSV UTF-8"), or convert it, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8';

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

/** Offset of the first byte of `bytes` that does not start a valid UTF-8 sequence (bytes are known invalid). */
function firstInvalid(bytes: Buffer): number {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes[at] ?? 0);
    if (length === 0 || at + length > bytes.length || !isUtf8(bytes.subarray(at, at + length))) return at;
    at += length;
  }
  return bytes.length;
}

/** Where the complete sequences of `bytes` end: an incomplete sequence at the very end waits for the next chunk. */
function completeEnd(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = sequenceLength(byte);
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

export interface Utf8InputOptions {
  /** The encoding the user gave; `utf8` (the default) is checked, not decoded. */
  encoding?: BufferEncoding | undefined;
}

/** A transform from the file's bytes to checked UTF-8 bytes without a byte-order mark. */
export function utf8Input(options: Utf8InputOptions = {}): Transform {
  const given = options.encoding === undefined || options.encoding === 'utf-8' ? 'utf8' : options.encoding;
  let decoder: StringDecoder | undefined = given === 'utf8' ? undefined : new StringDecoder(given);
  let started = false;
  let pending: Buffer = Buffer.alloc(0);
  let line = 1;
  /** Characters since the last line break, in what was passed on. */
  let column = 0;

  const count = (bytes: Buffer): void => {
    let from = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) {
      line += 1;
      from = at + 1;
      column = 0;
    }
    column += bytes.subarray(from).toString('utf8').length;
  };

  const start = (bytes: Buffer): Buffer => {
    started = true;
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      throw new TextEncodingError(
        0,
        `the file is UTF-16 (big-endian), which cannot be read here: ${CONVERT_HINT}`,
      );
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      if (given === 'utf8') decoder = new StringDecoder('utf16le');
      return bytes.subarray(2);
    }
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
    // ASCII text saved as UTF-16 without a mark has a NUL next to nearly every letter.
    if (given === 'utf8' && bytes.length >= 4 && (bytes[0] === 0 || bytes[1] === 0)) {
      throw new TextEncodingError(
        0,
        `the file looks like UTF-16 (NUL bytes between the letters): ${CONVERT_HINT}`,
      );
    }
    return bytes;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback): void {
      try {
        let bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
        if (!started) {
          if (bytes.length < 4 && chunk.length > 0) {
            pending = bytes;
            done();
            return;
          }
          bytes = start(bytes);
        }
        if (decoder !== undefined) {
          pending = Buffer.alloc(0);
          done(null, Buffer.from(decoder.write(bytes), 'utf8'));
          return;
        }
        const end = completeEnd(bytes);
        const ready = bytes.subarray(0, end);
        pending = Buffer.from(bytes.subarray(end));
        if (!isUtf8(ready)) {
          const bad = firstInvalid(ready);
          count(ready.subarray(0, bad));
          const byte = (ready[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
          throw new TextEncodingError(
            line,
            `column ${String(column + 1)}: byte 0x${byte} is not UTF-8 (the file may be Latin-1 or Windows-1252): ` +
              'save it as UTF-8 (in Excel: "CSV UTF-8"), or give the encoding it was saved in ' +
              "(users import: --encoding latin1; sync: the connector's encoding: key)",
          );
        }
        count(ready);
        done(null, ready);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback): void {
      try {
        let bytes: Buffer = pending;
        if (!started && bytes.length > 0) bytes = start(bytes);
        if (decoder !== undefined) {
          done(null, Buffer.from(decoder.write(bytes) + decoder.end(), 'utf8'));
          return;
        }
        if (bytes.length > 0 && !isUtf8(bytes)) {
          throw new TextEncodingError(
            line,
            `column ${String(column + 1)}: the file ends in the middle of a UTF-8 character (it may be cut short)`,
          );
        }
        done(null, bytes);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
