import type { UmapiClient, UmapiService } from '@umapi-kit/client';

/**
 * What the command handlers use of a UMAPI client: the client's own `UmapiService` (actions, users, groups) plus
 * its token and status calls. `UmapiClient` is one; tests pass a fake.
 */
export type UmapiPort = UmapiService & Pick<UmapiClient, 'getAccessToken' | 'status'>;
