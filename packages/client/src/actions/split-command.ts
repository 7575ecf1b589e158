import type { ActionStep, WireCommand } from './types.js';

/** The API's limits (umapi-api.md §4.2): 10 entries per request, 10 steps per entry, 10 names per list. */
export const MAX_ENTRIES_PER_REQUEST = 10;
export const MAX_STEPS_PER_ENTRY = 10;
export const MAX_LIST_LENGTH = 10;

/** One entry as sent, with the caller's step index for each of its steps. */
export interface SplitEntry {
  wire: WireCommand;
  originalSteps: number[];
}

/**
 * Splits a command into entries the server accepts: an add/remove list longer than 10 becomes several steps
 * (each list key cut separately), and more than 10 steps become several entries with the same root
 * (`user`/`usergroup`, `domain`, `useAdobeID`, `requestID`). Step order is kept.
 */
export function splitCommand(command: WireCommand): SplitEntry[] {
  const steps: { step: ActionStep; original: number }[] = [];
  command.do.forEach((step, original) => {
    for (const piece of splitStep(step)) steps.push({ step: piece, original });
  });
  const frame: Omit<WireCommand, 'do'> = { ...command };
  delete (frame as Partial<WireCommand>).do;
  const entries: SplitEntry[] = [];
  for (let i = 0; i < steps.length; i += MAX_STEPS_PER_ENTRY) {
    const chunk = steps.slice(i, i + MAX_STEPS_PER_ENTRY);
    entries.push({
      wire: { ...frame, do: chunk.map((s) => s.step) },
      originalSteps: chunk.map((s) => s.original),
    });
  }
  return entries;
}

function splitStep(step: ActionStep): ActionStep[] {
  const [name, body] = Object.entries(step)[0] ?? [];
  if ((name !== 'add' && name !== 'remove') || typeof body !== 'object' || body === null) return [step];
  const lists = Object.entries(body as Record<string, unknown>);
  if (!lists.some(([, value]) => Array.isArray(value) && value.length > MAX_LIST_LENGTH)) return [step];
  const pieces: ActionStep[] = [];
  for (const [key, value] of lists) {
    if (!Array.isArray(value)) {
      pieces.push({ [name]: { [key]: value } });
      continue;
    }
    for (let i = 0; i < value.length; i += MAX_LIST_LENGTH) {
      pieces.push({ [name]: { [key]: value.slice(i, i + MAX_LIST_LENGTH) as unknown[] } });
    }
  }
  return pieces;
}
