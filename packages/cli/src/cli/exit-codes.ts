/** The process exit codes of `umapi` (design.md): stable, documented by `umapi help exit-codes`. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  partialFailure: 3,
  authentication: 4,
  held: 5,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The list `umapi help exit-codes` prints; the README's table is the same (a test compares them). */
export const exitCodeDescriptions: readonly { code: ExitCodeValue; meaning: string }[] = [
  { code: ExitCode.ok, meaning: 'success: everything asked for was done' },
  {
    code: ExitCode.failure,
    meaning:
      'failure: the command failed (server error, network, Adobe IMS unavailable, every action failed, "no" at the prompt, the disk filled mid-run)',
  },
  {
    code: ExitCode.usage,
    meaning:
      'usage or configuration error: bad flag, bad input file, missing or wrong setting, refused without --yes, a refused plan or journal, a file it cannot write before anything was sent',
  },
  {
    code: ExitCode.partialFailure,
    meaning:
      'partial failure: some actions failed or were partly done (a user created but not added to a group); the summary says which and why',
  },
  {
    code: ExitCode.authentication,
    meaning: 'authentication failure: IMS refused the credentials or the token',
  },
  {
    code: ExitCode.held,
    meaning:
      'held: everything else was done, but the safety limits held destructive sync changes; review them and apply with --release-held',
  },
  {
    code: ExitCode.interrupted,
    meaning: 'interrupted (Ctrl-C, also at a prompt): the summary says what was and was not done',
  },
];
