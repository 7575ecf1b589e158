import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseSyncConfig } from '@umapi-kit/sync';
import { repoRoot } from '../support/cli-binary.js';

/**
 * The image and the CronJob cannot be built or applied here (no registry, no cluster): these checks hold them to
 * the lines the README promises.
 */
describe('Dockerfile', () => {
  it('builds in one stage and runs node:20-slim as a non-root user with umapi as the entry point', async () => {
    const text = await readFile(join(repoRoot, 'Dockerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^node:20\S* AS build/);
    expect(stages[0]).toContain('RUN npm ci');
    expect(stages[0]).toContain('npx tsc -b');
    const final = stages[1] ?? '';
    expect(final).toMatch(/^node:20-\S*slim\b/);
    expect(final).not.toMatch(/apt-get|npm (ci|install)|build-essential|python|g\+\+/);
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/^ENTRYPOINT \["node", "\/opt\/umapi-kit\/packages\/cli\/dist\/bin\.js"\]$/m);
    const ignore = await readFile(join(repoRoot, '.dockerignore'), 'utf8');
    for (const kept of ['**/node_modules', '**/.env', '**/*.key', '**/*.db']) expect(ignore).toContain(kept);
  });
});

describe('deploy/kubernetes/cronjob.yaml', () => {
  it('is one org: Forbid, secrets from a Secret, state in PostgreSQL, a sync config that parses', async () => {
    interface EnvVar {
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef: { name: string; key: string } };
    }
    interface Objects {
      kind: string;
      data?: Record<string, string>;
      spec?: {
        concurrencyPolicy: string;
        jobTemplate: {
          spec: {
            template: {
              spec: {
                securityContext: { runAsNonRoot: boolean };
                containers: { args: string[]; env: EnvVar[] }[];
              };
            };
          };
        };
      };
    }
    const docs = parseAllDocuments(await readFile(join(repoRoot, 'deploy/kubernetes/cronjob.yaml'), 'utf8'));
    const objects = (Array.isArray(docs) ? docs : [docs]).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as Objects;
    });
    expect(objects.map((object) => object.kind)).toEqual(['ConfigMap', 'CronJob']);
    const config = objects[0]?.data?.['sync.yml'] ?? '';
    expect(parseSyncConfig(config, 'configmap sync.yml').notify?.[0]).toMatchObject({
      kind: 'webhook',
      on: 'failure',
    });
    const spec = objects[1]?.spec;
    expect(spec?.concurrencyPolicy).toBe('Forbid');
    const pod = spec?.jobTemplate.spec.template.spec;
    expect(pod?.securityContext.runAsNonRoot).toBe(true);
    const container = pod?.containers[0];
    expect(container?.args.slice(0, 2)).toEqual(['sync', 'run']);
    const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable]));
    for (const secret of ['UMAPI_CLIENT_SECRET', 'UMAPI_STATE']) {
      expect(env.get(secret)?.valueFrom?.secretKeyRef.name).toBe('umapi-acme');
      expect(env.get(secret)?.value).toBeUndefined();
    }
  });
});
