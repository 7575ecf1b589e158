import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BerReader, BerWriter } from 'ldapts';

/**
 * A tiny LDAP server for the page shapes a real server can send but slapd never does: it accepts any simple
 * bind and answers every search with the pages it was given, in order, each with the paged-results cookie of
 * the page after it (the last with an empty cookie). Active Directory sends pages with no entries and a cookie
 * when a page's time runs out before it found a match; this server sends them on demand.
 */
export interface PageServer {
  url: string;
  /** The cookies the client sent, one per search request, in order ('' for the first page). */
  cookiesReceived: string[];
  stop(): Promise<void>;
}

export interface PagedEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';
const TAG = {
  bindRequest: 0x60,
  bindResponse: 0x61,
  unbindRequest: 0x42,
  searchRequest: 0x63,
  searchEntry: 0x64,
  searchDone: 0x65,
  controls: 0xa0,
} as const;

function bindResponse(messageId: number): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeInt(messageId);
  writer.startSequence(TAG.bindResponse);
  writer.writeEnumeration(0);
  writer.writeString('');
  writer.writeString('');
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

function searchEntry(messageId: number, entry: PagedEntry): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeInt(messageId);
  writer.startSequence(TAG.searchEntry);
  writer.writeString(entry.dn);
  writer.startSequence();
  for (const [type, values] of Object.entries(entry.attributes)) {
    writer.startSequence();
    writer.writeString(type);
    writer.startSequence(0x31);
    for (const value of values) writer.writeString(value);
    writer.endSequence();
    writer.endSequence();
  }
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

function searchDone(messageId: number, cookie: string): Buffer {
  const value = new BerWriter();
  value.startSequence();
  value.writeInt(0);
  value.writeBuffer(Buffer.from(cookie), 0x04);
  value.endSequence();
  const writer = new BerWriter();
  writer.startSequence();
  writer.writeInt(messageId);
  writer.startSequence(TAG.searchDone);
  writer.writeEnumeration(0);
  writer.writeString('');
  writer.writeString('');
  writer.endSequence();
  writer.startSequence(TAG.controls);
  writer.startSequence();
  writer.writeString(PAGED_RESULTS_OID);
  writer.writeBuffer(value.buffer, 0x04);
  writer.endSequence();
  writer.endSequence();
  writer.endSequence();
  return writer.buffer;
}

/** The cookie of a search request's paged-results control ('' when absent or empty). */
function requestCookie(reader: BerReader): string {
  const opLength = reader.length;
  reader.offset += opLength;
  if (reader.remain <= 0 || reader.peek() !== TAG.controls) return '';
  reader.readSequence(TAG.controls);
  const end = reader.offset + reader.length;
  while (reader.offset < end) {
    reader.readSequence(0x30);
    const controlEnd = reader.offset + reader.length;
    const oid = reader.readString();
    if (reader.peek() === 0x01) reader.readBoolean();
    const value = reader.readString(0x04, true);
    if (oid === PAGED_RESULTS_OID && value !== null) {
      const inner = new BerReader(value);
      inner.readSequence(0x30);
      inner.readInt();
      return inner.readString(0x04, true)?.toString() ?? '';
    }
    reader.offset = controlEnd;
  }
  return '';
}

/** Starts the server on 127.0.0.1 (a free port). `pages[i]` is what the (i+1)th page of any search holds. */
export async function startPageServer(pages: readonly (readonly PagedEntry[])[]): Promise<PageServer> {
  const cookiesReceived: string[] = [];
  const sockets = new Set<Socket>();
  const answer = (socket: Socket, message: Buffer): void => {
    const reader = new BerReader(message);
    reader.readSequence(0x30);
    const messageId = reader.readInt() ?? 0;
    const tag = reader.readSequence();
    if (tag === TAG.bindRequest) {
      socket.write(bindResponse(messageId));
    } else if (tag === TAG.searchRequest) {
      const cookie = requestCookie(reader);
      cookiesReceived.push(cookie);
      const index = cookie === '' ? 0 : Number(cookie);
      for (const entry of pages[index] ?? []) socket.write(searchEntry(messageId, entry));
      socket.write(searchDone(messageId, index + 1 < pages.length ? String(index + 1) : ''));
    } else if (tag === TAG.unbindRequest) {
      socket.end();
    }
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // One LDAPMessage at a time: its tag, its BER length, then its content.
      while (pending.length >= 2) {
        const reader = new BerReader(pending);
        if (reader.readSequence() === null || reader.offset + reader.length > pending.length) break;
        const total = reader.offset + reader.length;
        answer(socket, pending.subarray(0, total));
        pending = pending.subarray(total);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ldap://127.0.0.1:${String(port)}`,
    cookiesReceived,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
