import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '@umapi-kit/emulator';
import { runCli } from '../../src/cli/run-cli.js';
import { userAgent } from '../../../client/src/transport/request-headers.js';
import { MemorySink } from '../support/fake-environment.js';

/**
 * One version for the toolkit (root package.json, written everywhere by `npm run set-version`), and packages that
 * ship what their code needs and nothing else.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  workspaces?: string[];
  license?: string;
  files?: string[];
  bin?: Record<string, string>;
  repository?: { url: string; directory: string };
  publishConfig?: { access: string };
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(root, path), 'utf8'));
const rootManifest = readJson('package.json') as Manifest;
const version = rootManifest.version;
const workspaces = (rootManifest.workspaces ?? []).map((folder) => ({
  folder,
  manifest: readJson(`${folder}/package.json`) as Manifest,
}));
const ownNames = new Set(workspaces.map(({ manifest }) => manifest.name));

describe('one version', () => {
  it('every package, every pin on each other and the lock file carry the root version', () => {
    expect(workspaces.length).toBeGreaterThanOrEqual(4);
    const lock = readJson('package-lock.json') as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    expect(lock.version).toBe(version);
    for (const { folder, manifest } of workspaces) {
      expect(manifest.version, folder).toBe(version);
      expect(lock.packages[folder]?.version, `package-lock.json ${folder}`).toBe(version);
      for (const [name, pin] of Object.entries(manifest.dependencies ?? {})) {
        if (ownNames.has(name)) expect(pin, `${folder} depends on ${name}`).toBe(version);
      }
    }
  });

  it('--version, the User-Agent and the emulator /status report it', async () => {
    const stdout = new MemorySink();
    const code = await runCli(['--version'], {
      stdout,
      stderr: new MemorySink(),
      env: {},
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    expect(stdout.text.trim()).toBe(version);
    expect(userAgent()).toMatch(new RegExp(`^umapi-kit/${version.replaceAll('.', '\\.')} node/`));
    const emulator = await startEmulator({ listen: false, seed: 'none' });
    try {
      const status = (await (await emulator.fetch(new URL('/status', emulator.umapiUrl).href)).json()) as {
        version: string;
      };
      expect(status.version).toBe(version);
    } finally {
      await emulator.close();
    }
  });

  it('CHANGELOG.md has a section for it', () => {
    const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm'));
  });
});

interface PackedFile {
  path: string;
}

describe('publishable packages', () => {
  for (const { folder, manifest } of workspaces) {
    it(`${manifest.name} has its licence, repository, public access and a prepack build`, () => {
      expect(manifest.license).toBe('MIT');
      expect(existsSync(join(root, folder, 'LICENSE')), `${folder}/LICENSE`).toBe(true);
      expect(manifest.repository?.directory).toBe(folder);
      expect(manifest.publishConfig?.access).toBe('public');
      expect(manifest.scripts?.['prepack']).toBe('tsc -b');
    });

    it(`${manifest.name} packs its build, sources for its maps, and no test or build state`, () => {
      const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: join(root, folder),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const files = (JSON.parse(out) as { files: PackedFile[] }[])[0]!.files.map((file) => file.path);
      expect(files).toContain('LICENSE');
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      expect(files.filter((file) => /tsbuildinfo|^test\/|\.test\./.test(file))).toEqual([]);
      for (const target of Object.values(manifest.bin ?? {}))
        expect(files).toContain(target.replace('./', ''));
      const shipped = new Set(files);
      const unresolved: string[] = [];
      for (const map of files.filter((file) => file.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(root, folder, map), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources) {
          const resolved = join(map, '..', source);
          if (!shipped.has(resolved)) unresolved.push(`${map} -> ${resolved}`);
        }
      }
      expect(unresolved).toEqual([]);
    });
  }
});
