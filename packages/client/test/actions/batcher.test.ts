import { describe, expect, it } from 'vitest';
import { UserAction } from '@umapi-kit/client';
import { Batcher } from '../../src/actions/batcher.js';
import { mapActionResponse } from '../../src/actions/response-mapper.js';
import { splitCommand } from '../../src/actions/split-command.js';

const entriesOf = (action: UserAction) => splitCommand(action.toWire());
const short = (i: number) => new UserAction(`u${i}@example.com`).addToGroups(['A']);
const long = () => {
  const action = new UserAction('long@example.com');
  for (let i = 0; i < 105; i += 1) action.addToGroups([`G${i}`]);
  return action;
};

describe('Batcher', () => {
  it('fills requests of 10 entries, keeping the entries of an action together', () => {
    const batcher = new Batcher<number>();
    const work = [];
    for (let i = 0; i < 23; i += 1) work.push(...batcher.add(i, entriesOf(short(i))));
    work.push(...batcher.flush());
    expect(work.map((w) => (w.kind === 'request' ? w.items.map((item) => item.owner) : []))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22],
    ]);
  });

  it('sends an action longer than a request as its own ordered sequence, after what came before', () => {
    const batcher = new Batcher<string>();
    expect(batcher.add('a', entriesOf(short(1)))).toEqual([]);
    const work = batcher.add('long', entriesOf(long()));
    expect(work.map((w) => w.kind)).toEqual(['request', 'sequence']);
    const sequence = work[1];
    expect(sequence?.kind === 'sequence' ? sequence.requests.map((r) => r.length) : []).toEqual([10, 1]);
    expect(batcher.flush()).toEqual([]);
  });
});

describe('mapActionResponse', () => {
  const sent = [short(0), short(1)].map((action) => ({
    command: action.toWire(),
    entry: splitCommand(action.toWire())[0]!,
  }));

  it('puts each error and warning on the entry and step it names, and an unindexed one on every entry', () => {
    const mapped = mapActionResponse(sent, 200, {
      result: 'partial',
      errors: [{ index: 1, step: 0, errorCode: 'error.group.not_found', message: 'no A', requestID: 'r' }],
      warnings: [{ step: 0, warningCode: 'warning.command.deprecated', message: 'old' }],
    });
    expect(mapped).toEqual({
      kind: 'entries',
      entries: [
        {
          errors: [],
          warnings: [{ code: 'warning.command.deprecated', message: 'old', step: 0, stepName: 'add' }],
        },
        {
          errors: [
            { code: 'error.group.not_found', message: 'no A', step: 0, stepName: 'add', requestId: 'r' },
          ],
          warnings: [{ code: 'warning.command.deprecated', message: 'old', step: 0, stepName: 'add' }],
        },
      ],
    });
  });

  it('tells a request-level refusal and an unreadable answer apart from entry results', () => {
    expect(mapActionResponse(sent, 200, { result: 'error.command.malformed', message: 'Malformed' })).toEqual(
      {
        kind: 'refused',
        code: 'error.command.malformed',
        message: 'Malformed',
      },
    );
    expect(mapActionResponse(sent, 200, '{"completed":')).toMatchObject({ kind: 'unreadable' });
    expect(mapActionResponse(sent, 200, null)).toMatchObject({ kind: 'unreadable' });
  });
});
