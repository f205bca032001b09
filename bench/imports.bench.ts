/**
 * Issue 14 benchmark: what importing each package entry costs a user's process. Each entry is
 * imported in fresh `node` processes (nothing cached in memory; the file system cache is warm after
 * the first run); figures are medians over RUNS processes: the import's wall time, and the RSS after
 * it, beside a bare `node` process measured the same way in the same run.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRIES = ['@loomrl/core', '@loomrl/core/tf', '@loomrl/envs', '@loomrl/workers', '@loomrl/algorithms'] as const;
const RUNS = 7;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

interface ImportCost {
  readonly importMs: number;
  readonly rssMiB: number;
}

/** One fresh process importing `entry` (or nothing, for the bare baseline). */
function measureOnce(entry: string | null): ImportCost {
  const script = [
    'const started = performance.now();',
    entry === null ? '' : `await import(${JSON.stringify(entry)});`,
    'const importMs = performance.now() - started;',
    'process.stdout.write(JSON.stringify({ importMs, rssMiB: process.memoryUsage().rss / 2 ** 20 }));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  return JSON.parse(out) as ImportCost;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;

function measure(entry: string | null): ImportCost {
  const runs = Array.from({ length: RUNS }, () => measureOnce(entry));
  return { importMs: round1(median(runs.map((r) => r.importMs))), rssMiB: round1(median(runs.map((r) => r.rssMiB))) };
}

export default async function importsBench(): Promise<Record<string, unknown>> {
  measureOnce('@loomrl/algorithms'); // warms the file system cache
  const bare = measure(null);
  const entries: Record<string, ImportCost & { rssAboveBareNodeMiB: number }> = {};
  for (const entry of ENTRIES) {
    const cost = measure(entry);
    entries[entry] = { ...cost, rssAboveBareNodeMiB: round1(cost.rssMiB - bare.rssMiB) };
  }
  return { runsPerEntry: RUNS, bareNodeRssMiB: bare.rssMiB, entries };
}
