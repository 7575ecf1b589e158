/** The CLI's version, printed by --version. Written by `npm run set-version`. */
export const cliVersion = '0.1.0';
