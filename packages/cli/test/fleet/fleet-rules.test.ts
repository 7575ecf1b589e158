import { describe, expect, it } from 'vitest';
import { isInWindow, parseScheduleWindow } from '../../src/fleet/schedule-window.js';
import { worstExitCode } from '../../src/fleet/worst-exit-code.js';

const at = (time: string): number => Date.parse(`2026-12-04T${time}:00Z`);

describe('schedule windows', () => {
  it('a window across midnight holds from its start up to its end', () => {
    const night = parseScheduleWindow('22:00-05:00');
    expect(night).toBeDefined();
    if (night === undefined) return;
    expect(['22:00', '23:59', '00:00', '04:59'].map((time) => isInWindow(night, at(time)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['05:00', '12:00', '21:59'].map((time) => isInWindow(night, at(time)))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('a window within one day, and texts that are not windows', () => {
    const day = parseScheduleWindow('01:30-04:15');
    expect(
      day === undefined ? [] : ['01:29', '01:30', '04:14', '04:15'].map((t) => isInWindow(day, at(t))),
    ).toEqual([false, true, true, false]);
    for (const text of ['24:00-01:00', '1:00-2:00', '03:00-03:00', '03:00', '03:00-04:00-05:00', 'night']) {
      expect(parseScheduleWindow(text), text).toBeUndefined();
    }
  });
});

describe('the worst exit code of a fleet', () => {
  it('ranks interrupted, failure, authentication, usage, partial, held, ok', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 5, 0])).toBe(5);
    expect(worstExitCode([5, 3])).toBe(3);
    expect(worstExitCode([3, 2, 5])).toBe(2);
    expect(worstExitCode([2, 4])).toBe(4);
    expect(worstExitCode([4, 1, 0])).toBe(1);
    expect(worstExitCode([1, 130])).toBe(130);
    expect(worstExitCode([0, 77])).toBe(1);
  });
});
