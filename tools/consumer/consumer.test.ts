/**
 * Issue 14: LoomRL as someone else's project gets it from npm. The five packages are packed, their
 * tarballs npm-installed into a temporary project outside the workspace, and the scripts of
 * `project/` run there, each in a fresh `node` process: training on worker threads (and on
 * `loomrl-worker` processes over NATS, the same weights), a user env in its own module, restore in
 * a fresh process, RecSim evaluation with user policy modules, a strict `tsc`, an esbuild bundle
 * that restores a checkpoint, and the classes of errors a user sees.
 */

import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../packages/nats/src/__fixtures__/natsServer.js';
import {
  builtCode,
  CONSUMER_DEV_DEPENDENCIES,
  freshTempDir,
  installConsumerProject,
  lastJsonLine,
  PACKAGES,
  packPackages,
  run,
  tarballContents,
} from './consumerProject.js';
import { dependencyProblems, importedPackages, type Manifest, tarballProblems } from './packageChecks.js';

/** Packages a package imports through a variable specifier (optional peers), so import scanning cannot see them. */
const LOADED_BY_VARIABLE: Readonly<Record<(typeof PACKAGES)[number], readonly string[]>> = {
  core: ['tsx'],
  envs: [],
  workers: ['@loomrl/envs', '@loomrl/nats'],
  nats: [],
  algorithms: [],
};

interface Trained {
  readonly trainingIteration: number;
  readonly timestepsTotal: number;
  readonly numHealthyWorkers: number;
  readonly weights: number[];
}

interface ErrorSeen {
  readonly name: string;
  readonly code?: string;
  readonly isLoomError: boolean;
}

/**
 * The class each misuse in `project/errors.mjs` must surface as.
 * >>> Issue 14 §5 (the lead): add the local-worker cases here, beside their lines in errors.mjs.
 */
const EXPECTED_ERRORS: Readonly<Record<string, ErrorSeen>> = {
  'a misspelt config option': { name: 'ConfigError', code: 'CONFIG_INVALID', isLoomError: true },
  'a checkpoint directory that does not exist': { name: 'CheckpointError', code: 'CHECKPOINT_INVALID', isLoomError: true },
  'an unknown env id on a worker thread': { name: 'WorkerError', code: 'WORKER_FAILED', isLoomError: true },
  'a missing env module on a worker thread': { name: 'WorkerError', code: 'WORKER_FAILED', isLoomError: true },
  // The local worker reports start-up failures as the thread workers do: a WorkerError of worker 0, the original class as cause.
  'an unknown env id on the local worker': { name: 'WorkerError', code: 'WORKER_FAILED', isLoomError: true },
  'a missing env module on the local worker': { name: 'WorkerError', code: 'WORKER_FAILED', isLoomError: true },
  'an env module that throws on import, on the local worker': { name: 'WorkerError', code: 'WORKER_FAILED', isLoomError: true },
  'a Box with low above high': { name: 'ConfigError', code: 'CONFIG_INVALID', isLoomError: true },
  'a Discrete space of no elements': { name: 'ConfigError', code: 'CONFIG_INVALID', isLoomError: true },
};

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('a project that installs the packed tarballs with npm', () => {
  let tarballDir = '';
  let project = '';
  let tarballs = {} as Record<(typeof PACKAGES)[number], string>;
  const scratch: string[] = [];
  const node = async (args: readonly string[]) => (await run(process.execPath, args, project)).stdout;

  beforeAll(async () => {
    tarballDir = await freshTempDir('tarballs');
    project = await freshTempDir('consumer');
    scratch.push(tarballDir, project);
    tarballs = await packPackages(tarballDir);
    await installConsumerProject(project, tarballs);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('packs dist, types, README and the Apache-2.0 LICENSE — no tests, fixtures or pinned peers', async () => {
    const problems: string[] = [];
    for (const name of PACKAGES) {
      const { files, read } = await tarballContents(tarballs[name]);
      const manifest = JSON.parse(await read('package.json')) as Manifest;
      problems.push(...tarballProblems(manifest, files, files.includes('LICENSE') ? await read('LICENSE') : ''));
    }
    expect(problems).toEqual([]);
  });

  it('declares every package its built code imports, and imports every package it declares', async () => {
    const problems: string[] = [];
    for (const name of PACKAGES) {
      const installed = join(project, 'node_modules', '@loomrl', name);
      const manifest = (await import(join(installed, 'package.json'), { with: { type: 'json' } })).default as Manifest;
      const code = await builtCode(join(installed, 'dist'));
      problems.push(...dependencyProblems(manifest, importedPackages(code), LOADED_BY_VARIABLE[name], code));
    }
    expect(problems).toEqual([]);
  });

  it(`installs beside the user's own tsx ${CONSUMER_DEV_DEPENDENCIES.tsx} with every peer satisfied (npm ls)`, async () => {
    const tree = JSON.parse((await run('npm', ['ls', '--all', '--json'], project)).stdout) as {
      dependencies: Record<string, { version: string }>;
    };
    expect(tree.dependencies.tsx?.version).toBe(CONSUMER_DEV_DEPENDENCIES.tsx);
  });

  let trainedOnThreads: Trained | undefined;

  it('trains PPO on CartPole on 2 worker threads from a plain .mjs script and saves a checkpoint', async () => {
    trainedOnThreads = lastJsonLine<Trained>(await node(['train.mjs', '2', 'checkpoint-threads']));
    expect(trainedOnThreads).toMatchObject({ trainingIteration: 2, timestepsTotal: 1024, numHealthyWorkers: 2 });
    expect(trainedOnThreads.weights.length).toBeGreaterThan(100);
    expect(trainedOnThreads.weights.every(Number.isFinite)).toBe(true);
  });

  it('trains the same on 2 loomrl-worker processes (the installed bin) over a NATS server, weights bit for bit', async () => {
    const server = await NatsServer.start();
    const bin = join(project, 'node_modules', '.bin', 'loomrl-worker');
    const workers = [1, 2].map((i) =>
      spawn(bin, ['--nats', server.url, '--name', 'consumer', '--host', `consumer-${i}`, '--log-level', 'WARN'], {
        cwd: project,
        stdio: 'ignore',
      }),
    );
    try {
      const trained = lastJsonLine<Trained>(await node(['train.mjs', '2', 'checkpoint-nats', server.url]));
      expect(trained).toMatchObject({ trainingIteration: 2, timestepsTotal: 1024, numHealthyWorkers: 2 });
      expect(trained.weights).toEqual(trainedOnThreads?.weights);
    } finally {
      await Promise.all(
        workers.map((w) => (w.exitCode === null ? new Promise((resolve) => w.once('exit', resolve).kill('SIGTERM')) : null)),
      );
      await server.stop();
    }
  });

  it('restores that checkpoint in a fresh process with restoreAlgorithm alone, weights bit for bit', async () => {
    const restored = lastJsonLine<{ weights: number[]; actions: number[]; trainingIteration: number }>(
      await node(['restore.mjs', 'checkpoint-threads']),
    );
    expect(restored.weights).toEqual(trainedOnThreads?.weights);
    expect(restored.trainingIteration).toBe(3);
    expect(restored.actions.every((a) => a === 0 || a === 1)).toBe(true);
  });

  it.each([
    ['its own .mjs module on 2 worker threads', 'fixture/CorridorJs-v0', 'corridorJs.mjs', 2],
    ['its own .ts module on 2 worker threads (through tsx)', 'fixture/CorridorTs-v0', 'corridorTs.ts', 2],
    ['its own .ts module on the local worker (through tsx)', 'fixture/CorridorTs-v0', 'corridorTs.ts', 0],
  ])('trains a user env from %s', async (_, envId, module, workers) => {
    const result = lastJsonLine<{ timestepsTotal: number; episodesTotal: number; numHealthyWorkers: number }>(
      await node(['trainUserEnv.mjs', envId, module, String(workers)]),
    );
    expect(result.timestepsTotal).toBe(256);
    expect(result.episodesTotal).toBeGreaterThan(0);
    expect(result.numHealthyWorkers).toBe(Math.max(1, workers));
  });

  it.each([
    ['node', []],
    ['node --import tsx', ['--import', 'tsx']],
  ])(
    'evaluates RecSim policies from the user’s own modules on threads under %s; a throwing policy rejects, the process lives',
    async (_, flags) => {
      const seen = lastJsonLine<{
        threaded: number[];
        current: number[];
        typed: number[];
        thrown: { name: string; message: string } | null;
        unknown: { name: string; code: string; message: string } | null;
      }>(await node([...flags, 'evaluate.mjs']));
      expect(seen.threaded).toHaveLength(6);
      expect(seen.current).toEqual(seen.threaded);
      expect(seen.typed).toHaveLength(6);
      expect(seen.typed).not.toEqual(seen.threaded);
      expect(seen.thrown).toEqual({ name: 'TypeError', message: 'consumerThrows: the user policy failed' });
      expect(seen.unknown).toMatchObject({ name: 'ConfigError', code: 'CONFIG_INVALID' });
      expect(seen.unknown?.message).toMatch(/unknown policy "noSuchPolicy"/);
    },
  );

  it.each([
    ['NodeNext', 'tsconfig.json'],
    ['moduleResolution "node"', 'tsconfig.node10.json'],
  ])('type-checks a strict consumer .ts file, @ts-expect-error misuse included, with tsc under %s', async (_, tsconfig) => {
    await expect(run(process.execPath, [tsc, '-p', tsconfig], project)).resolves.toBeDefined();
  });

  it('bundles two restore scripts with esbuild, and the bundles restore a checkpoint with no node_modules beside them', async () => {
    const trained = lastJsonLine<Trained>(await node(['train.mjs', '0', 'checkpoint-local']));
    const out = await freshTempDir('bundle');
    scratch.push(out);
    const esbuild = join(project, 'node_modules', '.bin', 'esbuild');
    await run(
      esbuild,
      [
        'restore.mjs',
        'restoreWithCore.mjs',
        '--bundle',
        '--platform=node',
        '--format=esm',
        `--outdir=${out}`,
        '--out-extension:.js=.mjs',
        '--log-level=warning',
        // CommonJS dependencies (pino, tfjs) call require(); an ES-module bundle needs one.
        "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ],
      project,
    );
    const checkpoint = join(project, 'checkpoint-local');
    for (const bundle of ['restore.mjs', 'restoreWithCore.mjs']) {
      const { stdout } = await run(process.execPath, [join(out, bundle), checkpoint], out);
      expect(lastJsonLine<{ weights: number[] }>(stdout).weights, bundle).toEqual(trained.weights);
    }
  });

  it('surfaces misuse as LoomError subclasses with stable codes', async () => {
    expect(lastJsonLine<Record<string, ErrorSeen | null>>(await node(['errors.mjs']))).toEqual(EXPECTED_ERRORS);
  });
});
