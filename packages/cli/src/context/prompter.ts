import { createInterface } from 'node:readline/promises';

/** The person at the terminal pressed Ctrl-C at a question. */
export class PromptCancelled extends Error {
  constructor() {
    super('cancelled at the prompt');
    this.name = 'PromptCancelled';
  }
}

/** Asks the person at the terminal (on stderr). */
export interface Prompter {
  confirm(question: string, signal: AbortSignal): Promise<boolean>;
}

export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  return {
    async confirm(question: string, signal: AbortSignal): Promise<boolean> {
      const rl = createInterface({ input, output, terminal: true });
      try {
        const answer = await rl.question(`${question} [y/N] `, { signal });
        return /^y(es)?$/i.test(answer.trim());
      } catch (error) {
        // Ctrl-C (or Ctrl-D) at the question: end the prompt's line, then say it was cancelled.
        if ((error as Error).name !== 'AbortError') throw error;
        output.write('\n');
        throw new PromptCancelled();
      } finally {
        rl.close();
      }
    },
  };
}
