import { createInterface } from 'node:readline/promises';

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
      } finally {
        rl.close();
      }
    },
  };
}
