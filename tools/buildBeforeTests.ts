/**
 * Vitest global setup: builds the packages (`tsc -b`, incremental — a no-op when nothing changed)
 * before any test runs. Tests, worker threads and child processes load the packages' built
 * `dist` through the exports maps, so a stale `dist` would test old code; this makes
 * `npx vitest run <file>` as trustworthy as `pnpm test`. A build error stops the run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const build = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
  const [command, ...args] = build.split(' ');
  if (command !== 'tsc') throw new Error(`tools/buildBeforeTests.ts expects the build script to be "tsc -b …", got "${build}"`);
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), args, { cwd: root, stdio: 'inherit' });
}
