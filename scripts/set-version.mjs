#!/usr/bin/env node
// One version for the whole toolkit: `npm run set-version -- 0.2.0` writes it into the root package.json, every
// workspace package.json, their pins on each other, package-lock.json and the version constants the code reports
// (files named version.ts under packages/*/src that say "Written by `npm run set-version`").
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const MARKER = 'Written by `npm run set-version`';

const version = process.argv[2];
if (version === undefined || !SEMVER.test(version)) {
  process.stderr.write(
    `usage: npm run set-version -- <version>   (a semantic version such as 0.2.0; got ${String(version)})\n`,
  );
  process.exit(2);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

const rootManifest = readJson(join(root, 'package.json'));
const workspaces = rootManifest.workspaces.map((folder) => ({
  folder,
  manifest: readJson(join(root, folder, 'package.json')),
}));
const ownNames = new Set(workspaces.map(({ manifest }) => manifest.name));

const repin = (dependencies) => {
  for (const name of Object.keys(dependencies ?? {})) if (ownNames.has(name)) dependencies[name] = version;
};

rootManifest.version = version;
writeJson(join(root, 'package.json'), rootManifest);
for (const { folder, manifest } of workspaces) {
  manifest.version = version;
  repin(manifest.dependencies);
  repin(manifest.devDependencies);
  writeJson(join(root, folder, 'package.json'), manifest);
}

const lock = readJson(join(root, 'package-lock.json'));
lock.version = version;
for (const [path, entry] of Object.entries(lock.packages)) {
  const own = path === '' || workspaces.some(({ folder }) => folder === path);
  if (own) entry.version = version;
  if (own) {
    repin(entry.dependencies);
    repin(entry.devDependencies);
  }
}
writeJson(join(root, 'package-lock.json'), lock);

const constants = [];
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name === 'version.ts') {
      const text = readFileSync(path, 'utf8');
      if (!text.includes(MARKER)) continue;
      writeFileSync(path, text.replace(/= '[^']*';/, `= '${version}';`));
      constants.push(path.slice(root.length + 1));
    }
  }
};
for (const { folder } of workspaces) walk(join(root, folder, 'src'));

process.stdout.write(
  `version ${version}: package.json, ${String(workspaces.length)} packages, package-lock.json, ${constants.join(', ')}\n` +
    'add a section for it to CHANGELOG.md\n',
);
