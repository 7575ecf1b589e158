import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached the proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

/** What to do with a request: pass it on, or lose it (the connection is cut, the server never sees it). */
export type ProxyDecision = 'forward' | 'drop';

export interface ProxyHooks {
  /** Before the request goes on; may wait (e.g. until the client process is dead). */
  beforeForward?: (request: ProxiedRequest) => ProxyDecision | Promise<ProxyDecision>;
  /**
   * When the server's answer is in, before it goes back: `lose` cuts the connection instead (the server applied
   * the request, the client never learns it).
   */
  beforeAnswer?: (
    request: ProxiedRequest,
    answer: { status: number; body: string },
  ) => 'deliver' | 'lose' | Promise<'deliver' | 'lose'>;
  /** After the server's answer was written back to the client. */
  afterResponse?: (request: ProxiedRequest) => void | Promise<void>;
}

/**
 * A forwarding HTTP proxy on 127.0.0.1:0 that records what it passed to the server. A forwarded request is
 * completed even when the client has gone away, as a real server finishes a request whose client was killed.
 */
export interface RecordingProxy {
  readonly url: string;
  /** Requests passed to the server, in arrival order. */
  readonly forwarded: ProxiedRequest[];
  hooks: ProxyHooks;
  /** Resolves once no request is being handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      done(body);
    });
    request.on('error', fail);
  });
}

export async function startRecordingProxy(targetOrigin: string): Promise<RecordingProxy> {
  const forwarded: ProxiedRequest[] = [];
  const inFlight = new Set<Promise<void>>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const proxied: ProxiedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      body: await readBody(request),
    };
    if ((await proxy.hooks.beforeForward?.(proxied)) === 'drop') {
      request.socket.destroy();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    forwarded.push(proxied);
    const answer = await fetch(`${targetOrigin}${proxied.path}`, {
      method: proxied.method,
      headers,
      ...(proxied.method === 'GET' || proxied.method === 'HEAD' ? {} : { body: proxied.body }),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const fate = await proxy.hooks.beforeAnswer?.(proxied, {
      status: answer.status,
      body: body.toString('utf8'),
    });
    if (fate === 'lose') {
      request.socket.destroy();
      return;
    }
    if (!response.destroyed) {
      const outHeaders: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') outHeaders[name] = value;
      });
      await new Promise<void>((done) => {
        response.writeHead(answer.status, { ...outHeaders, 'content-length': String(body.length) });
        response.end(body, done);
        response.on('close', done);
      });
    }
    await proxy.hooks.afterResponse?.(proxied);
  }

  const server = createServer((request, response) => {
    const task = handle(request, response).catch(() => {
      if (!response.headersSent && !response.destroyed) response.writeHead(502).end();
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  const proxy: RecordingProxy = {
    url: `http://127.0.0.1:${String(port)}`,
    forwarded,
    hooks: {},
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
    },
  };
  return proxy;
}
