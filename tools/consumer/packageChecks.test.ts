import { describe, expect, it } from 'vitest';
import { dependencyProblems, importedPackages, type Manifest, packageOf, tarballProblems } from './packageChecks.js';

const APACHE = 'Apache License\n                           Version 2.0, January 2004';
const good: Manifest = {
  name: '@loomrl/x',
  license: 'Apache-2.0',
  main: './dist/index.js',
  types: './dist/index.d.ts',
  engines: { node: '>=20.19' },
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  dependencies: { pino: '10.4.0', '@types/seedrandom': '3.0.8', seedrandom: '3.0.5' },
  peerDependencies: { tsx: '>=4.9.0' },
  peerDependenciesMeta: { tsx: { optional: true } },
};
const goodFiles = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'];

describe('importedPackages', () => {
  it('finds static, re-exported, side-effect and dynamic imports, and ignores paths, builtins and text in strings', () => {
    const code = [
      "import { a } from 'pino';",
      'import {\n  b,\n  c,\n} from "@scope/pkg/sub";',
      "export * from './local.js';",
      "export { d } from '@loomrl/core';",
      "import 'seedrandom';",
      "const m = await import('comlink');",
      "import { readFile } from 'node:fs';",
      "import path from 'path';",
      'throw new Error(\'nothing registered — import "@loomrl/algorithms" first\');',
      "const api = 'tsx/esm/api';",
    ].join('\n');
    expect([...importedPackages(code)].sort()).toEqual(['@loomrl/core', '@scope/pkg', 'comlink', 'pino', 'seedrandom']);
    expect(packageOf('@tensorflow/tfjs-core/dist/x.js')).toBe('@tensorflow/tfjs-core');
  });
});

describe('tarballProblems', () => {
  it('finds nothing wrong with a complete tarball', () => {
    expect(tarballProblems(good, goodFiles, APACHE)).toEqual([]);
  });

  it('names missing files, shipped tests and fixtures, pinned peers, leftover workspace specifiers and a missing engines field', () => {
    const bad: Manifest = { ...good, engines: {}, peerDependencies: { tsx: '4.23.15' }, dependencies: { '@loomrl/core': 'workspace:*' } };
    const files = ['package.json', 'dist/index.js', 'src/a.test.ts', 'src/__fixtures__/env.js'];
    expect(tarballProblems(bad, files, '')).toEqual([
      '@loomrl/x: does not ship README.md',
      '@loomrl/x: does not ship LICENSE',
      '@loomrl/x: does not ship dist/index.d.ts',
      '@loomrl/x: package.json points at ./dist/index.d.ts, which is not in the tarball',
      '@loomrl/x: package.json points at ./dist/index.d.ts, which is not in the tarball',
      '@loomrl/x: ships src/a.test.ts',
      '@loomrl/x: ships src/__fixtures__/env.js',
      '@loomrl/x: LICENSE is not the Apache-2.0 text',
      '@loomrl/x: engines.node is undefined, not >=20.19',
      '@loomrl/x: @loomrl/core is still "workspace:*" in the tarball',
      '@loomrl/x: peer tsx is pinned to 4.23.15; a peer must be a range',
    ]);
  });
});

describe('dependencyProblems', () => {
  const code = "import 'pino';\nimport 'seedrandom';\nconst api = 'tsx/esm/api';";

  it('accepts imports that are declared, @types of imported packages and optional peers loaded by variable', () => {
    expect(dependencyProblems(good, importedPackages(code), ['tsx'], code)).toEqual([]);
  });

  it('names undeclared imports, unused declarations and a by-variable package that is not an optional peer', () => {
    const manifest: Manifest = { ...good, dependencies: { ...good.dependencies, piscina: '5.3.2' }, peerDependenciesMeta: {} };
    const imported = new Set([...importedPackages(code), 'comlink']);
    expect(dependencyProblems(manifest, imported, ['tsx'], code)).toEqual([
      '@loomrl/x: imports comlink but does not declare it',
      '@loomrl/x: declares piscina but never imports it',
      '@loomrl/x: tsx is loaded on demand but is not an optional peer',
    ]);
  });
});
