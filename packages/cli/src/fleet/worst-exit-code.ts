import { ExitCode } from '../cli/exit-codes.js';

/**
 * How bad each exit code is for a fleet, worst first: interrupted (the fleet did not finish), failure, an
 * authentication failure, a usage or configuration error, a partial failure, held entries, success.
 */
const SEVERITY: readonly number[] = [
  ExitCode.interrupted,
  ExitCode.failure,
  ExitCode.authentication,
  ExitCode.usage,
  ExitCode.partialFailure,
  ExitCode.held,
  ExitCode.ok,
];

/** The worst of the orgs' exit codes (0 for none); an unknown code counts as a failure. */
export function worstExitCode(codes: readonly number[]): number {
  let worst: number = ExitCode.ok;
  const rank = (code: number): number => {
    const index = SEVERITY.indexOf(code);
    return index === -1 ? SEVERITY.indexOf(ExitCode.failure) : index;
  };
  for (const code of codes)
    if (rank(code) < rank(worst)) worst = SEVERITY.includes(code) ? code : ExitCode.failure;
  return worst;
}
