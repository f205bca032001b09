/**
 * A user's project outside the workspace: the packages are packed with pnpm, installed from their
 * tarballs with npm into a fresh temporary directory next to the project's own tools, and the
 * scripts in `project/` run there in fresh processes.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The packages that are published, by directory under `packages/`. */
export const PACKAGES = ['core', 'envs', 'workers', 'nats', 'algorithms'] as const;
/**
 * The user's own tools: a tsx other than the workspace's pin (the optional peer's range must accept
 * it), the esbuild that tsx uses, and Node's types. tsc comes from the workspace (only its version matters).
 */
export const CONSUMER_DEV_DEPENDENCIES: Readonly<Record<string, string>> = { tsx: '4.19.2', esbuild: '0.23.1', '@types/node': '20.19.43' };

/** What a finished command printed. */
export interface RunOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command and resolves with its output; rejects with the output when it exits non-zero. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error === null) resolve({ stdout, stderr });
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
          ),
        );
    });
  });
}

/** The last line of `stdout`, parsed as JSON (the scripts in `project/` print their findings that way). */
export function lastJsonLine<T>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

/** pnpm: the one running this suite (`pnpm test`), else `npx --yes pnpm@10`. */
function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) return { command: process.execPath, prefix: [execPath] };
  return { command: 'npx', prefix: ['--yes', 'pnpm@10'] };
}

/** Packs every published package (from its built `dist`) into `destination`; returns the tarball paths by package directory. */
export async function packPackages(destination: string): Promise<Record<(typeof PACKAGES)[number], string>> {
  const { command, prefix } = pnpmCommand();
  await run(command, [...prefix, '-r', '--filter', './packages/*', 'pack', '--pack-destination', destination], REPO_ROOT);
  const tarballs = await readdir(destination);
  const byPackage = {} as Record<(typeof PACKAGES)[number], string>;
  for (const name of PACKAGES) {
    const file = tarballs.find((t) => t.startsWith(`loomrl-${name}-`) && t.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack made no tarball for @loomrl/${name} in ${destination}: ${tarballs.join(', ')}`);
    byPackage[name] = join(destination, file);
  }
  return byPackage;
}

/** A fresh directory under the OS temp dir (outside the workspace, so nothing resolves from it). */
export function freshTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `loomrl-${label}-`));
}

/**
 * The user's own envs, in an .mjs and a .ts module: copies of the workers' fixtures (they register
 * `fixture/CorridorJs-v0` and `fixture/CorridorTs-v0`), by fixture name and name in the project.
 */
const USER_ENV_MODULES = [
  ['corridorJs.js', 'corridorJs.mjs'],
  ['corridorTs.ts', 'corridorTs.ts'],
] as const;

/** Creates the user's project in `dir` from `project/` and npm-installs the tarballs and the user's tools there. */
export async function installConsumerProject(dir: string, tarballs: Readonly<Record<string, string>>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await cp(join(dirname(fileURLToPath(import.meta.url)), 'project'), dir, { recursive: true });
  for (const [fixture, file] of USER_ENV_MODULES)
    await cp(join(REPO_ROOT, 'packages', 'workers', 'src', '__fixtures__', fixture), join(dir, file));
  const dependencies = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [`@loomrl/${name}`, `file:${file}`]));
  const manifest = { name: 'loomrl-consumer', private: true, type: 'module', dependencies, devDependencies: CONSUMER_DEV_DEPENDENCIES };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
}

/** The files of a tarball, as paths inside the package (`dist/index.js`), and a file's text. */
export async function tarballContents(tarball: string): Promise<{ files: string[]; read: (file: string) => Promise<string> }> {
  const { stdout } = await run('tar', ['-tzf', tarball], dirname(tarball));
  const files = stdout
    .split('\n')
    .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
    .map((line) => line.slice('package/'.length));
  const read = async (file: string): Promise<string> => (await run('tar', ['-xzOf', tarball, `package/${file}`], dirname(tarball))).stdout;
  return { files, read };
}

/** The text of every `.js` and `.d.ts` file under `dir`, joined (for import scanning). */
export async function builtCode(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && /\.(js|d\.ts)$/.test(e.name)).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}
