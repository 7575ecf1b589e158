import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeDescriptions, exitCodesText } from '@umapi-kit/cli';
import { repoRoot } from '../support/cli-binary.js';

/** The rows of the README's "Exit codes" table: code and meaning, without Markdown's backticks. */
function readmeExitCodes(): { code: number; meaning: string }[] {
  const readme = readFileSync(join(repoRoot, 'packages/cli/README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Exit codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| code')));
  return [...table.matchAll(/^\|\s*(\d+)\s*\|\s*(.*?)\s*\|$/gm)].map((row) => ({
    code: Number(row[1]),
    meaning: (row[2] ?? '').replace(/`/g, ''),
  }));
}

describe('umapi help exit-codes', () => {
  it('lists every exit code the CLI has, the same list as the README', () => {
    expect(readmeExitCodes()).toEqual(exitCodeDescriptions.map(({ code, meaning }) => ({ code, meaning })));
    expect(exitCodeDescriptions.map(({ code }) => code).sort((a, b) => a - b)).toEqual(
      Object.values(ExitCode).sort((a, b) => a - b),
    );
    for (const { code, meaning } of exitCodeDescriptions) {
      expect(exitCodesText()).toContain(`${String(code).padStart(3)}  ${meaning}\n`);
    }
  });
});
