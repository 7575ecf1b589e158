import { describe, expect, it } from 'vitest';
import { defaultRules, plan, type AdobeUser } from '../src/index.js';

// An account whose type the API does not document (`unknown`, or one Adobe adds later) is never touched.

describe('unknown identity types', () => {
  it('are excluded from every policy, also remove and delete', () => {
    const adobe = [
      { email: 'biz@example.com', type: 'businessID', groups: ['Designers'] },
      { email: 'odd@example.com', type: 'unknown', groups: [] },
      { email: 'fed@example.com', type: 'federatedID', groups: [] },
    ] as unknown as AdobeUser[];
    for (const action of ['remove', 'delete', 'remove-adobe-groups'] as const) {
      const result = plan(
        [],
        adobe,
        defaultRules({ adobeOnlyUserAction: action, maxDirectoryDrop: { percent: 100 } }),
      );
      expect(result.stats).toMatchObject({ adobeUsersRead: 3, adobeUsersExcluded: 2 });
      expect(result.entries.map((entry) => entry.target.user)).toEqual(
        action === 'remove-adobe-groups' ? [] : ['fed@example.com'],
      );
    }
  });
});
