/**
 * What the server's error on one action means, in an admin's words and with what to do. The server's own code
 * stays in the machine formats (`errorCode`); this is the text of tables, summaries and hints.
 */

/** The name a server message quotes after a fixed prefix ("Group NoSuch was not found" → "NoSuch"). */
function quoted(message: string | undefined, pattern: RegExp): string | undefined {
  return message === undefined ? undefined : pattern.exec(message)?.[1]?.trim();
}

export interface ServerErrorParts {
  errorCode?: string | undefined;
  message?: string | undefined;
  /** The user the error is about, when the server said. */
  user?: string | undefined;
}

/** One plain sentence for a server error, ending with the server's code in brackets for searching. */
export function serverErrorText(error: ServerErrorParts): string {
  const { errorCode, message } = error;
  const tag = errorCode === undefined ? '' : ` [${errorCode}]`;
  switch (errorCode) {
    case 'error.group.not_found': {
      const name =
        quoted(message, /^Group (.+) was not found$/) ?? quoted(message, /^Not found: Group (.+)$/);
      return `no user group or product profile is named ${name === undefined ? 'so' : `"${name}"`} ('umapi groups list' shows them)${tag}`;
    }
    case 'error.user.nonexistent':
    case 'error.user.not_found': {
      const user = error.user ?? quoted(message, /^User Id does not exist: (.+)$/);
      return `no account ${user === undefined ? 'of that name' : user} exists (check the spelling; 'umapi users list' shows the organization's users)${tag}`;
    }
    case 'error.user.not_in_org':
      return `${error.user ?? 'the user'} is not in this organization${tag}`;
    case 'error.user.already_in_org':
      return `the user is already in the organization (give --on-conflict ignore, or update, to accept that)${tag}`;
    case 'error.country.invalid':
      return `Adobe does not accept this country: ${message ?? 'unknown code'} (Adobe does not do business there)${tag}`;
    case 'error.domain.trust.nonexistent':
      return `the user's domain is not claimed by this organization (claim it in the Admin Console first)${tag}`;
    default:
      return `${message ?? 'failed'}${tag}`;
  }
}
