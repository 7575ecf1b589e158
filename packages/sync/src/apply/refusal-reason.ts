/**
 * A refused entry's message, with what it means for a sync when the service's own words leave the admin guessing:
 * a user of a directory synced from Azure or Google in Admin Console (UMAPI answers the step with an
 * `error.internal.*` code saying the resource is externally managed; no dedicated code is documented), or a
 * read-only user group shared from another org. Any other message is returned as it came.
 */
export function refusalReason(
  errorCode: string | undefined,
  message: string | undefined,
): string | undefined {
  if (message !== undefined && /externally managed/i.test(message)) {
    return (
      `${message} (the user's directory is synced from Azure or Google in Admin Console, and UMAPI cannot ` +
      "create, update or remove its users: change them in Azure or Google, or leave the directory's domains " +
      'out of this sync)'
    );
  }
  if (errorCode?.startsWith('error.usergroup.readonly.') === true) {
    return (
      `${message ?? errorCode} (a read-only user group shared from another organization: change its members ` +
      'there, or take it out of the group mapping)'
    );
  }
  return message;
}
