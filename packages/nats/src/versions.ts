import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped when the messages between learner and worker processes change shape. */
export const PROTOCOL_VERSION = 1;

/** The versions a learner and its worker processes must share. */
export interface PackageVersions {
  readonly protocol: number;
  readonly '@loomrl/core': string;
  readonly '@loomrl/workers': string;
  readonly '@loomrl/nats': string;
}

function versionAt(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** `…/<package>/package.json` of an installed package, found from its main entry (`dist/index.js`). */
function packageJsonOf(name: string): string {
  return join(dirname(dirname(fileURLToPath(import.meta.resolve(name)))), 'package.json');
}

let cached: PackageVersions | null = null;

/** The versions installed beside this copy of `@loomrl/nats` (read once). */
export function packageVersions(): PackageVersions {
  cached ??= {
    protocol: PROTOCOL_VERSION,
    '@loomrl/core': versionAt(packageJsonOf('@loomrl/core')),
    '@loomrl/workers': versionAt(packageJsonOf('@loomrl/workers')),
    '@loomrl/nats': versionAt(fileURLToPath(new URL('../package.json', import.meta.url))),
  };
  return cached;
}

/** `''` when `a` and `b` agree, else what differs, e.g. `@loomrl/nats 0.1.0 here, 0.2.0 there`. */
export function versionMismatch(here: PackageVersions, there: Partial<PackageVersions>): string {
  const keys = Object.keys(here) as (keyof PackageVersions)[];
  return keys
    .filter((key) => here[key] !== there[key])
    .map(
      (key) =>
        `${key === 'protocol' ? 'protocol' : key} ${String(here[key])} on the learner, ${String(there[key] ?? 'none')} on the worker`,
    )
    .join('; ');
}
