import type { OrgReader, UmapiService, User } from '@umapi-kit/client';

/** UMAPI's page size for user listings today (umapi-api.md: at most 2000 users a page). */
const USERS_PER_PAGE = 2000;

/** What reading entries back cost a resume. */
export interface ReadBackStats {
  /** Entries whose outcome needed a read of the org (idempotent ones are re-sent instead). */
  accounts: number;
  /** Requests made to read them: one per account (two when its email moves), or the pages of one listing. */
  requests: number;
  /** Whether they were read from one listing of the org rather than one by one. */
  listed: boolean;
}

/**
 * The reader a resume resolves lost answers with. Single-user reads and listings share one budget (25 requests a
 * minute per client), so when more accounts need reading than the org has listing pages, the org is listed once
 * and every read answered from it; otherwise each account is read on its own.
 */
export function orgReadBack(
  client: UmapiService,
  options: { accounts: number; orgSize: number; signal?: AbortSignal | undefined },
): { reader: OrgReader; stats: ReadBackStats } {
  const pages = Math.max(1, Math.ceil(options.orgSize / USERS_PER_PAGE));
  const stats: ReadBackStats = { accounts: options.accounts, requests: 0, listed: options.accounts > pages };
  const groupExists = (): Promise<boolean> =>
    Promise.reject(new Error('a sync plan holds no user-group entries'));
  if (!stats.listed) {
    return {
      stats,
      reader: {
        user: (user, readOptions) => {
          stats.requests += 1;
          return client.users.get(user, readOptions);
        },
        groupExists,
      },
    };
  }
  let index: Promise<OrgIndex> | undefined;
  const load = async (): Promise<OrgIndex> => {
    const found = new OrgIndex();
    const listOptions = options.signal === undefined ? {} : { signal: options.signal };
    for await (const page of client.users.list(listOptions).pages()) {
      stats.requests += page.attempts;
      for (const user of page.items) found.add(user);
    }
    return found;
  };
  return {
    stats,
    reader: {
      user: async (user, readOptions) => {
        index ??= load();
        return (await index).find(user, readOptions.domain);
      },
      groupExists,
    },
  };
}

/** Users by the addresses `users.get` answers to: email, username + domain, and an email-shaped username. */
class OrgIndex {
  readonly #byAddress = new Map<string, User>();

  add(user: User): void {
    this.#byAddress.set(`email:${user.email.toLowerCase()}`, user);
    if (user.username !== undefined) {
      const username = user.username.toLowerCase();
      if (user.domain !== undefined)
        this.#byAddress.set(`name:${username}|${user.domain.toLowerCase()}`, user);
      if (username.includes('@')) this.#byAddress.set(`name:${username}`, user);
    }
  }

  find(address: string, domain: string | undefined): User | null {
    const key = address.toLowerCase();
    if (domain !== undefined) return this.#byAddress.get(`name:${key}|${domain.toLowerCase()}`) ?? null;
    return this.#byAddress.get(`email:${key}`) ?? this.#byAddress.get(`name:${key}`) ?? null;
  }
}
