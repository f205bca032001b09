import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvError } from '../errors.js';
import { assertBuiltFile, builtFileUrl } from './builtFile.js';
import { importModules, isTypeScriptSpecifier, resolveModuleSpecifier } from './moduleLoader.js';

describe('resolveModuleSpecifier', () => {
  it('turns absolute paths into file URLs and leaves package names and URLs alone', () => {
    expect(resolveModuleSpecifier('/home/me/envs.js')).toBe('file:///home/me/envs.js');
    expect(resolveModuleSpecifier('@loomrl/envs')).toBe('@loomrl/envs');
    expect(resolveModuleSpecifier('file:///x/y.js')).toBe('file:///x/y.js');
    expect(resolveModuleSpecifier('C:\\envs\\mine.js').startsWith('file:')).toBe(true);
  });

  it('takes ./ paths relative to the working directory', () => {
    expect(resolveModuleSpecifier('./envs/my.js')).toBe(pathToFileURL(`${process.cwd()}/envs/my.js`).href);
    expect(resolveModuleSpecifier('../my.js')).toBe(pathToFileURL(`${process.cwd()}/../my.js`).href);
  });
});

describe('isTypeScriptSpecifier', () => {
  it('spots .ts/.mts/.cts/.tsx specifiers, ignoring a query, and not .js files or packages', () => {
    expect(isTypeScriptSpecifier('/a/env.ts')).toBe(true);
    expect(isTypeScriptSpecifier('file:///a/env.mts?x=1')).toBe(true);
    expect(isTypeScriptSpecifier('./a/env.CTS')).toBe(true);
    expect(isTypeScriptSpecifier('/a/env.js')).toBe(false);
    expect(isTypeScriptSpecifier('@loomrl/envs')).toBe(false);
  });
});

describe('importModules', () => {
  const asEnvError = { kind: 'policy module', error: (message: string, cause: unknown) => new EnvError(message, { cause }) };

  it('throws the caller’s error class, naming the kind and the specifier', async () => {
    const failure = importModules(['/no/such/dir/policies.js'], asEnvError);
    await expect(failure).rejects.toThrow(EnvError);
    await expect(importModules(['/no/such/dir/policies.js'], asEnvError)).rejects.toThrow(
      /^Could not import policy module "\/no\/such\/dir\/policies\.js": /,
    );
  });

  it('imports a TypeScript module under plain Node by registering tsx in the thread first', () => {
    // A fresh `node` process (no tsx, no vitest) loading the built loader: only tsx can import the fixture.
    const loader = builtFileUrl(import.meta.url, './moduleLoader.js').href;
    const fixture = new URL('../__fixtures__/typedModule.ts', import.meta.url).href;
    const script = [
      `const { importModules } = await import(${JSON.stringify(loader)});`,
      `await importModules([${JSON.stringify(fixture)}], { kind: 'test module', error: (m) => new Error(m) });`,
      `const { answer } = await import(${JSON.stringify(fixture)});`,
      'process.stdout.write(String(answer));',
    ].join('\n');
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })).toBe('42');
  });
});

describe('builtFileUrl', () => {
  it('resolves beside a built module, and from a source module beside its built twin in dist', () => {
    expect(builtFileUrl('file:///p/workers/dist/remoteWorker.js', './thread/entry.js').href).toBe('file:///p/workers/dist/thread/entry.js');
    expect(builtFileUrl('file:///p/workers/src/remoteWorker.ts', './thread/entry.js').href).toBe('file:///p/workers/dist/thread/entry.js');
    expect(builtFileUrl('file:///p/src/envs/src/a/b/pool.ts', './thread/task.js').href).toBe('file:///p/src/envs/dist/a/b/thread/task.js');
  });

  it('finds this package’s built entry from this source file, and names a missing file and the way out', () => {
    const entry = builtFileUrl(import.meta.url, '../index.js');
    expect(entry.pathname.endsWith('/core/dist/index.js')).toBe(true);
    expect(() => assertBuiltFile(entry, 'the entry', (m) => new EnvError(m))).not.toThrow();
    const missing = builtFileUrl(import.meta.url, './noSuchThread.js');
    expect(() => assertBuiltFile(missing, 'the thread file', (m) => new EnvError(m))).toThrow(
      /the thread file .*noSuchThread\.js is missing\. Build the package first .*--external:@loomrl/,
    );
  });
});
