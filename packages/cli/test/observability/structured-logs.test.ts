import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliLogger } from '../../src/output/cli-logger.js';
import { DailyLogFile } from '../../src/output/daily-log-file.js';
import { MemorySink } from '../support/fake-environment.js';

let dir = '';
afterEach(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const parse = (text: string): Record<string, unknown>[] =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('--log-format json', () => {
  it('writes one object a line with level, time, bound fields, event and the fields given', () => {
    const sink = new MemorySink();
    const logger = new CliLogger(sink, {
      quiet: false,
      verbose: false,
      colour: false,
      format: 'json',
      now: () => Date.UTC(2026, 11, 4, 5, 6, 7),
    });
    logger.bind({ org: 'ORG@AdobeOrg', runId: 'run-1' });
    logger.info('planned', { counts: { create: 3 } });
    logger.debug('hidden without --verbose');
    logger.event('sync.run.finished', 'done', { requests: 4 });
    logger.client('warn', 'umapi request retried (rate-limited), waiting 38 s', { requestId: 'abc' });
    expect(parse(sink.text)).toEqual([
      {
        level: 'info',
        time: '2026-12-04T05:06:07.000Z',
        org: 'ORG@AdobeOrg',
        runId: 'run-1',
        event: 'log',
        counts: { create: 3 },
        msg: 'planned',
      },
      {
        level: 'info',
        time: '2026-12-04T05:06:07.000Z',
        org: 'ORG@AdobeOrg',
        runId: 'run-1',
        event: 'sync.run.finished',
        requests: 4,
        msg: 'done',
      },
    ]);
  });

  it('removes secrets from messages and fields: secret-named fields, known values, tokens and keys', () => {
    const sink = new MemorySink();
    const logger = new CliLogger(sink, { quiet: false, verbose: true, colour: false, format: 'json' });
    logger.redactor.add('the-configured-client-secret');
    logger.warn('IMS said no to the-configured-client-secret with Bearer abc.def.ghi', {
      clientSecret: 'plain-secret-1',
      headers: { authorization: 'Bearer token-xyz-123' },
      nested: { password: 'hunter2-hunter2', note: 'client_secret=leaky-value-9' },
      key: '-----BEGIN PRIVATE KEY-----\nMIIEabc\n-----END PRIVATE KEY-----',
      jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
    });
    for (const secret of [
      'the-configured-client-secret',
      'abc.def.ghi',
      'plain-secret-1',
      'token-xyz-123',
      'hunter2-hunter2',
      'leaky-value-9',
      'MIIEabc',
      'eyJhbGciOiJSUzI1NiJ9',
    ]) {
      expect(sink.text).not.toContain(secret);
    }
    expect(sink.text).toContain('[REDACTED]');
    expect(JSON.parse(sink.text.trim())).toMatchObject({
      level: 'warn',
      nested: { note: 'client_secret=[REDACTED]' },
    });
  });

  it('text stays as it was: no JSON on stderr, the event line only with --verbose', () => {
    const sink = new MemorySink();
    const logger = new CliLogger(sink, { quiet: false, verbose: false, colour: false });
    logger.warn('careful');
    logger.event('run.finished', 'run finished: ok');
    expect(sink.text).toBe('warning: careful\n');
  });
});

describe('--log-file', () => {
  it('appends every line, debug included, as JSON to a file named by the UTC day, owner-only', async () => {
    dir = await mkdtemp(join(tmpdir(), 'umapi-log-file-'));
    let now = Date.UTC(2026, 11, 4, 23, 59, 58);
    const file = new DailyLogFile(join(dir, 'logs', 'umapi.log'), () => now);
    const stderr = new MemorySink();
    const logger = new CliLogger(stderr, {
      quiet: true,
      verbose: false,
      colour: false,
      file,
      now: () => now,
    });
    logger.info('first day');
    logger.debug('debug goes to the file');
    now += 4000;
    logger.error('second day');
    expect(stderr.text).toBe('error: second day\n');
    expect((await readdir(join(dir, 'logs'))).sort()).toEqual([
      'umapi-2026-12-04.log',
      'umapi-2026-12-05.log',
    ]);
    const first = parse(await readFile(join(dir, 'logs', 'umapi-2026-12-04.log'), 'utf8'));
    expect(first.map((line) => [line['level'], line['msg']])).toEqual([
      ['info', 'first day'],
      ['debug', 'debug goes to the file'],
    ]);
    const second = parse(await readFile(join(dir, 'logs', 'umapi-2026-12-05.log'), 'utf8'));
    expect(second).toMatchObject([{ level: 'error', time: '2026-12-05T00:00:02.000Z', msg: 'second day' }]);
    expect((await stat(join(dir, 'logs', 'umapi-2026-12-05.log'))).mode & 0o777).toBe(0o600);
  });
});
