/**
 * `pnpm bench [name...]`: runs every `bench/<name>.bench.ts` (or the named ones) and writes each
 * one's figures to `bench/results/<name>.json`. A bench file default-exports
 * `async () => Record<string, unknown>`; figures are ratios measured within one run where possible,
 * because our machines are shared and noisy.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(benchDir, 'results');
const wanted = process.argv.slice(2);
const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
const selected = files.filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')));
if (selected.length === 0) {
  console.error(`No bench matches ${wanted.join(', ')}. Available: ${files.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`);
  process.exit(1);
}
await mkdir(resultsDir, { recursive: true });
for (const file of selected) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`bench ${name} ...`);
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: () => Promise<Record<string, unknown>> };
  const started = Date.now();
  const figures = await module.default();
  const result = {
    name,
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemGiB: Math.round(totalmem() / 2 ** 30) },
    wallSeconds: (Date.now() - started) / 1000,
    figures,
  };
  await writeFile(join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
}
