/** The CLI's version (kept equal to packages/cli/package.json). */
export const cliVersion = '0.1.0';
