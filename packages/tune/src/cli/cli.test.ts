import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cartPoleDQN, cartPolePPO, PPOConfig, pendulumPPO } from '@loomrl/algorithms';
import { configFromJSON } from '@loomrl/core';
import { lookupAlgorithm } from '@loomrl/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { mergeSpace } from '../search/variants.js';
import { PolicyClient } from '../serve/client.js';
import { cliPath, runCli } from './runCli.testkit.js';
import { listTunedExamples, loadTunedFile, resolveTunedFile } from './tunedFile.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loomrl-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The TS tuned example each shipped YAML file mirrors; add a line here when you add a file. */
const TUNED_EXAMPLES: Record<string, () => { toJSON(): Record<string, unknown> }> = {
  'cartpole-dqn': () => cartPoleDQN(),
  'cartpole-ppo': () => cartPolePPO(),
  'pendulum-ppo': () => pendulumPPO(),
};

describe('shipped tuned examples', () => {
  it.each(listTunedExamples().map(([name]) => [name]))(
    "%s loads in RLlib's schema and equals its TypeScript tuned example",
    async (name) => {
      const [experiment] = await loadTunedFile(resolveTunedFile(name));
      const options = experiment?.options;
      const base = lookupAlgorithm(options?.algorithm as string)
        .createConfig()
        .toJSON();
      const fromYaml = configFromJSON(mergeSpace(base, options?.paramSpace ?? {}) as never).toJSON();
      const make = TUNED_EXAMPLES[name];
      expect(make, `add ${name} to TUNED_EXAMPLES`).toBeDefined();
      expect(fromYaml).toEqual(make?.().toJSON());
      expect(Object.keys(options?.stop ?? {}).length).toBeGreaterThan(0);
    },
  );
});

describe('loomrl train', () => {
  it("runs a tuned-example YAML file and leaves Tune's layout, then evaluates the checkpoint", async () => {
    const shipped = parse(await readFile(resolveTunedFile('cartpole-ppo'), 'utf8')) as Record<string, Record<string, unknown>>;
    const experiment = shipped['cartpole-ppo'] as Record<string, unknown>;
    experiment.stop = { training_iteration: 2 };
    const file = join(root, 'short.yaml');
    await writeFile(file, stringify({ 'short-cartpole': experiment }));
    const run = await runCli(['train', '-f', file, '--storage-path', root, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Your training finished\./);
    const dir = join(root, 'short-cartpole');
    const names = await readdir(dir);
    expect(names.some((n) => /^experiment_state-.*\.json$/.test(n))).toBe(true);
    const trialDir = names.find((n) => n.startsWith('PPO_CartPole-v1_')) as string;
    expect((await readdir(join(dir, trialDir))).sort()).toEqual(['checkpoint_000002', 'params.json', 'progress.csv', 'result.json']);
    const evaluate = await runCli(['evaluate', join(dir, trialDir, 'checkpoint_000002'), '--episodes', '2', '--seed', '3']);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    expect(evaluate.stdout).toMatch(/Episode #0: reward: \d+\nEpisode #1: reward: \d+\nmean\/min\/max over 2 episodes: /);
  });

  it('answers bad input with one line on stderr and a non-zero exit code', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['train', '--run', 'PPO', '--env', 'CartPole-v1', '--config', '{bad'], 2, /^loomrl: error: --config: not valid JSON/],
      [
        ['train', '--run', 'PPO', '--env', 'CartPole-v1', '--config', '{"lrr": 1}', '--storage-path', root],
        1,
        /Unknown PPO config option "lrr"\. Did you mean "lr"\?/,
      ],
      [['train', '--run', 'PPX', '--env', 'CartPole-v1', '--storage-path', root], 1, /Unknown algorithm "PPX"\. Did you mean "PPO"\?/],
      [['train', '-f', 'cartpole-pp'], 1, /no shipped tuned example of that name\. Did you mean "cartpole-ppo"\?/],
      [['train', '--env', 'CartPole-v1'], 2, /train needs --run/],
      [['trian'], 2, /unknown command 'trian'/],
      [['evaluate', join(root, 'missing')], 1, /Checkpoint directory ".*missing" does not exist/],
      [['serve', join(root, 'missing')], 1, /Checkpoint directory ".*missing" does not exist/],
    ];
    for (const [args, code, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});

/** Starts `loomrl serve …` and resolves once it prints its URL. */
function startServe(args: string[]) {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  child.stderr.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Serving .* at (http:\/\/\S+)/.exec(out);
      if (match !== null) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`loomrl serve exited with ${code}: ${out}`));
    });
  });
  return { child, url, exited, output: () => out };
}

describe('loomrl serve', () => {
  let checkpoint: string;
  beforeAll(async () => {
    const algo = new PPOConfig()
      .environment({ env: 'CartPole-v1' })
      .rollouts({ numEnvsPerWorker: 1 })
      .training({ trainBatchSize: 4, sgdMinibatchSize: 4, numSgdIter: 1, model: { fcnetHiddens: [8] } })
      .debugging({ seed: 1 })
      .build();
    await algo.train();
    checkpoint = await algo.save(join(root, 'serve-checkpoint'));
    await algo.stop();
  });

  it('serves a checkpoint until SIGTERM and refuses a non-loopback bind without a token', async () => {
    const server = startServe([checkpoint, '--port', '0']);
    const client = new PolicyClient<number[], number>(await server.url);
    expect([0, 1]).toContain((await client.computeAction([0, 0, 0, 0])).action);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/Server stopped\./);
    const open = await runCli(['serve', checkpoint, '--host', '0.0.0.0', '--port', '0']);
    expect(open.code).toBe(1);
    expect(open.stderr).toMatch(/^loomrl: error: Refusing to serve on 0\.0\.0\.0 without a bearer token/);
  });

  it('--train trains the checkpoint on the episodes a client drives and saves checkpoints', async () => {
    const dir = join(root, 'serve-train');
    const server = startServe([
      checkpoint,
      '--port',
      '0',
      '--train',
      '--env-slots',
      '1',
      '--checkpoint-dir',
      dir,
      '--checkpoint-freq',
      '1',
    ]);
    const client = new PolicyClient<number[], number>(await server.url);
    for (let episode = 0; episode < 3; episode++) {
      const id = await client.startEpisode();
      for (let t = 0; t < 3; t++) await client.getAction(id, [0.01 * t, 0, 0, 0], { reward: 1 });
      await client.endEpisode(id, [0.03, 0, 0, 0], { reward: 1 });
    }
    const id = await client.startEpisode();
    await client.getAction(id, [0, 0, 0, 0]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/Training on external episodes: 1 env slots/);
    expect(server.output()).toMatch(/iteration 2: /);
    expect((await readdir(dir)).length).toBeGreaterThanOrEqual(2);
  });
});
