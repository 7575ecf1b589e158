import type { SplitEntry } from './split-command.js';
import type { ActionStep, ServerMessage, WireCommand } from './types.js';

/** One entry of a request, as the mapper needs it: the caller's whole command and the part that was sent. */
export interface SentEntry {
  command: WireCommand;
  entry: SplitEntry;
}

/** What the answer says about one entry. */
export interface EntryAnswer {
  errors: ServerMessage[];
  warnings: ServerMessage[];
}

export type MappedAnswer =
  | { kind: 'entries'; entries: EntryAnswer[] }
  /** A request-level refusal with no per-entry errors (e.g. `error.command.malformed`): every entry failed. */
  | { kind: 'refused'; code: string; message: string }
  /** A 2xx whose body is not an action result: the server may have applied it, but it did not say. */
  | { kind: 'unreadable'; message: string };

interface WireMessage {
  index?: unknown;
  step?: unknown;
  requestID?: unknown;
  message?: unknown;
  errorCode?: unknown;
  warningCode?: unknown;
  user?: unknown;
}

/**
 * Maps an action response (umapi-api.md §4.7) onto the entries that were sent: each error and warning goes to
 * the entry its `index` names and to the caller's step its `step` came from (through any split); a message
 * without a valid index applies to every entry. Pure.
 */
export function mapActionResponse(sent: readonly SentEntry[], status: number, body: unknown): MappedAnswer {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { kind: 'unreadable', message: `The action endpoint answered ${status} without a JSON result` };
  }
  const record = body as Record<string, unknown>;
  const entries: EntryAnswer[] = sent.map(() => ({ errors: [], warnings: [] }));
  const place = (raw: WireMessage, code: string, into: 'errors' | 'warnings'): void => {
    const index = typeof raw.index === 'number' ? raw.index : undefined;
    const targets = index !== undefined && sent[index] !== undefined ? [index] : sent.map((_, i) => i);
    for (const target of targets) {
      const { command, entry } = sent[target] as SentEntry;
      const step = index === undefined ? 0 : (entry.originalSteps[Number(raw.step)] ?? 0);
      const message: ServerMessage = {
        code,
        message: typeof raw.message === 'string' ? raw.message : code,
        step,
        stepName: stepNameOf(command.do[step]),
      };
      if (typeof raw.requestID === 'string') message.requestId = raw.requestID;
      if (typeof raw.user === 'string') message.user = raw.user;
      entries[target]?.[into].push(message);
    }
  };
  for (const raw of arrayOf(record['warnings'])) {
    place(raw, typeof raw.warningCode === 'string' ? raw.warningCode : 'warning', 'warnings');
  }
  const errors = arrayOf(record['errors']);
  for (const raw of errors) place(raw, typeof raw.errorCode === 'string' ? raw.errorCode : 'error', 'errors');
  const result = typeof record['result'] === 'string' ? record['result'] : '';
  if (
    errors.length === 0 &&
    result !== 'success' &&
    result !== 'partial' &&
    result !== '' &&
    record['completed'] !== sent.length
  ) {
    const message = typeof record['message'] === 'string' ? record['message'] : result;
    return { kind: 'refused', code: result, message };
  }
  return { kind: 'entries', entries };
}

function arrayOf(value: unknown): WireMessage[] {
  return Array.isArray(value)
    ? value.filter((item): item is WireMessage => typeof item === 'object' && item !== null)
    : [];
}

export function stepNameOf(step: ActionStep | undefined): string {
  return step === undefined ? '' : (Object.keys(step)[0] ?? '');
}
