/**
 * Issue 15 benchmark: the learner's SGD step against the machine and against PyTorch.
 *
 * (1) One PPO SGD step (RLlib's loss: clipped surrogate, clipped value loss, entropy, KL penalty;
 *     Adam) for 256×256 and 64×64 tanh nets with a separate value net, minibatches of 128–1024 rows
 *     cut from a CartPole-shaped train batch (obs 4, 2 actions); one DQN update (dueling 64×64 or
 *     256×256 ReLU trunk, double Q, target net, Huber, grad clip) on replayed batches of 64–1024
 *     rows. Each in samples/s, as an arithmetic rate (3 × the forward pass's matmul FLOPs per
 *     trained row; DQN adds the two forward passes on nextObs), and as a share of the backend's own
 *     256×256 matmul rate measured in the same run.
 * (2) The same steps in PyTorch on one thread (bench/learner_torch.py, run with /usr/bin/python3
 *     when it has torch), as a ratio measured in the same run.
 * (3) End to end: one RLlib-default PPO iteration on CartPole-v1 (4000 steps, 30 passes of 128-row
 *     minibatches, 256×256 nets), its learning time against PyTorch's time for the same SGD steps;
 *     the tuned CartPole example's share of learning in an iteration; DQN's tuned CartPole example
 *     per iteration, beside one update of its own learner (no dueling, no double Q), so
 *     `tunedDQNSpeedup` sets the example's speed-up (kernels ÷ tfjs-wasm) against its learner's.
 * Every learner figure is measured for both learners: `'loomrl'` (LoomRL's WebAssembly SIMD kernels)
 * and `'wasm'` (TensorFlow.js's WASM backend), each against its own 256×256 product.
 * (4) Data-parallel SGD on the kernels (`resources({ numLearnerWorkers })`): 1 against 2 learner
 *     threads in the same run, in alternating blocks — ms per PPO SGD step (64×64 / 256 rows,
 *     256×256 / 128 rows), the tuned CartPole iteration's learning share, the RLlib-default
 *     iteration's learning time; with LEARNER_BENCH_TIME_TO_475=1 also RLlib-default PPO's wall
 *     time to a 475 training mean on 2 learner threads.
 * (5) The tuned CartPole example against its previous tuning (10 epochs of 256-row minibatches at
 *     lr 1e-3, 40 SGD steps per 1024 env steps), seeds 1–4 alternating, as the demo runs it: wall
 *     seconds and env steps to a greedy 475 (20 episodes) and the learning share of the whole run.
 *
 * Where the time went before the kernels (tfjs-wasm, `tf.profile` of PPO updates, same machine):
 * ~500 kernel calls per SGD step; on 256×256 / 128 rows 78 % of the kernel time was `BatchMatMul`
 * — the backward pass's products with a transposed operand (`dW = xᵀ·dZ`, `dX = dZ·Wᵀ`), which
 * tfjs-wasm runs at 0.55–0.9 GFLOP/s against 6–19 GFLOP/s for an untransposed product — then
 * Tanh, the many small elementwise ops of the loss, logSoftmax, gathers and one synchronous read
 * per step (the gradient norm). On 64×64 / 256 rows the products were a third and op dispatch and
 * small ops the rest. The step ran at 5–13 % of the backend's own matmul rate.
 * Where it goes on the kernels (per step, 64×64 / 256 rows, 0.86 ms): 65 % matrix products (at
 * ~25 GFLOP/s), 19 % bias + tanh, 16 % the loss head and row gathers in JS; on 256×256 / 128 rows
 * (~5 ms): 80 % products, 12 % bias + tanh, 3 % Adam. Figures: bench/results/learner.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cartPoleDQN, cartPolePPO, type DQNTrainColumns, PPOConfig, type PPOLearnerSettings } from '@loomrl/algorithms';
import { type AdvantageColumns, createRng, type Rng, SampleBatch, type TrainResult } from '@loomrl/core';
import { type ActorCriticSpec, DenseKernel, initialWeights, type QNetworkSpec, qNetworkLayout, weightLayout } from '@loomrl/core/internal';
import { selectBackend, tf } from '@loomrl/core/tf';
// The learners are types in the public API (they load tfjs); the bench builds them directly.
import { DQNLearner } from '../packages/algorithms/dist/dqn/learner.js';
import { PPOLearner } from '../packages/algorithms/dist/ppo/learner.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const SECONDS = Number(process.env.LEARNER_BENCH_SECONDS ?? 3);

/** The learner backends measured: LoomRL's WebAssembly kernels and TensorFlow.js's wasm backend. */
const ENGINES = ['loomrl', 'wasm'] as const;
type Engine = (typeof ENGINES)[number];
const engineOf = (backend: Engine) => (backend === 'loomrl' ? 'loomrl' : 'tfjs');

const PPO_CASES = [
  { hiddens: [256, 256], rows: 128, batch: 4000 },
  { hiddens: [256, 256], rows: 512, batch: 4096 },
  { hiddens: [64, 64], rows: 256, batch: 1024 },
  { hiddens: [64, 64], rows: 1024, batch: 4096 },
] as const;
const DQN_CASES = [
  { hiddens: [64, 64], rows: 64 },
  { hiddens: [64, 64], rows: 256 },
  { hiddens: [64, 64], rows: 1024 },
  { hiddens: [256, 256], rows: 64 },
  { hiddens: [256, 256], rows: 1024 },
] as const;

const PPO_SETTINGS: PPOLearnerSettings = {
  lr: 5e-5,
  gradClip: null,
  klCoeff: 0.2,
  klTarget: 0.01,
  useKlLoss: true,
  useCritic: true,
  sgdMinibatchSize: 128,
  numSgdIter: 1,
  shuffleSequences: true,
  clipParam: 0.3,
  vfClipParam: 10,
  vfLossCoeff: 1,
  entropyCoeff: 0,
};

/** Milliseconds per call of `step`: the median over 5 blocks of ~seconds/5 each, after a warm-up. */
function timed(step: () => void, seconds: number): number {
  for (let i = 0; i < 3; i++) step();
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < 200 || calls < 2) {
    step();
    calls += 1;
  }
  const perCall = (performance.now() - started) / calls;
  const block = Math.max(1, Math.floor((seconds * 1000) / 5 / perCall));
  const times: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t0 = performance.now();
    for (let i = 0; i < block; i++) step();
    times.push((performance.now() - t0) / block);
  }
  times.sort((a, b) => a - b);
  return times[2] as number;
}

/** FLOPs of one forward pass of dense layers `sizes` (input first) over `rows` rows. */
function forwardFlops(sizes: readonly number[], rows: number): number {
  let flops = 0;
  for (let i = 1; i < sizes.length; i++) flops += 2 * rows * (sizes[i - 1] as number) * (sizes[i] as number);
  return flops;
}

/** FLOPs of one forward pass of a dueling Q net (trunk, then advantage and value heads on 2 actions). */
function qForwardFlops(hiddens: readonly number[], rows: number): number {
  return forwardFlops([4, ...hiddens], rows) + 2 * rows * (hiddens.at(-1) as number) * 3;
}

/** FLOP/s of the WebAssembly kernel's matrix product on 256×256 × 256×256. */
function kernelGemmFlopsPerS(): number {
  const kernel = new DenseKernel();
  const [a, b, c] = [kernel.alloc(256 * 256), kernel.alloc(256 * 256), kernel.alloc(256 * 256)];
  const rng = createRng(5);
  kernel.view(a).set(Float32Array.from({ length: 256 * 256 }, () => rng.normal()));
  kernel.view(b).set(Float32Array.from({ length: 256 * 256 }, () => rng.normal()));
  const ms = timed(() => kernel.fn.gemm(a.address, 256, 1, b.address, 256, c.address, 256, 256, 256, 256, 0), SECONDS);
  return (2 * 256 ** 3) / (ms / 1000);
}

/** Matmul FLOP/s of the active tfjs backend on 256×256 × 256×256. */
function matmulFlopsPerS(): number {
  const a = tf.randomNormal([256, 256]);
  const b = tf.randomNormal([256, 256]);
  const ms = timed(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, SECONDS);
  tf.dispose([a, b]);
  return (2 * 256 ** 3) / (ms / 1000);
}

function cartPoleBatch(rows: number, rng: Rng): SampleBatch<AdvantageColumns> {
  const f = (n: number, draw: () => number) => Float32Array.from({ length: n }, draw);
  const actions = f(rows, () => rng.int(2));
  const logits = f(rows * 2, () => 0.1 * rng.normal());
  const actionLogp = Float32Array.from({ length: rows }, (_, r) => {
    const l0 = logits[2 * r] as number;
    const l1 = logits[2 * r + 1] as number;
    const max = Math.max(l0, l1);
    const lse = max + Math.log(Math.exp(l0 - max) + Math.exp(l1 - max));
    return (actions[r] === 0 ? l0 : l1) - lse;
  });
  return new SampleBatch<AdvantageColumns>(
    rows,
    {
      obs: 4,
      nextObs: 4,
      actions: 1,
      rewards: 1,
      terminateds: 1,
      truncateds: 1,
      epsId: 1,
      envId: 1,
      t: 1,
      actionLogp: 1,
      actionDistInputs: 2,
      vfPreds: 1,
      bootstrapValues: 1,
      advantages: 1,
      valueTargets: 1,
    },
    {
      obs: f(rows * 4, () => rng.normal()),
      nextObs: f(rows * 4, () => rng.normal()),
      actions,
      rewards: new Float32Array(rows).fill(1),
      terminateds: new Uint8Array(rows),
      truncateds: new Uint8Array(rows),
      epsId: new Float64Array(rows),
      envId: new Int32Array(rows),
      t: new Int32Array(rows),
      actionLogp,
      actionDistInputs: logits,
      vfPreds: f(rows, () => rng.normal()),
      bootstrapValues: new Float32Array(rows),
      advantages: f(rows, () => rng.normal()),
      valueTargets: f(rows, () => rng.normal()),
    },
  );
}

function replayedBatch(rows: number, rng: Rng): SampleBatch<DQNTrainColumns> {
  const f = (n: number, draw: () => number) => Float32Array.from({ length: n }, draw);
  return new SampleBatch<DQNTrainColumns>(
    rows,
    { obs: 4, nextObs: 4, actions: 1, rewards: 1, terminateds: 1, nStepDiscounts: 1, batchIndexes: 1, weights: 1 },
    {
      obs: f(rows * 4, () => rng.normal()),
      nextObs: f(rows * 4, () => rng.normal()),
      actions: f(rows, () => rng.int(2)),
      rewards: new Float32Array(rows).fill(1),
      terminateds: Uint8Array.from({ length: rows }, () => (rng.random() < 0.05 ? 1 : 0)),
      nStepDiscounts: new Float32Array(rows).fill(0.99),
      batchIndexes: Int32Array.from({ length: rows }, (_, i) => i),
      weights: new Float32Array(rows).fill(1),
    } as unknown as DQNTrainColumns,
  );
}

/** The CartPole-shaped actor-critic the PPO cases time: `hiddens` tanh layers, a separate value net. */
function cartPoleActorCritic(hiddens: readonly number[]): ActorCriticSpec {
  return { obsDim: 4, dist: { type: 'categorical', n: 2 }, hiddens, activation: 'tanh', vfShareLayers: false, freeLogStd: false };
}

/** Milliseconds per PPO SGD step: one pass over a `batch`-row train batch in `rows`-row minibatches. */
async function ppoStepMs(backend: Engine, hiddens: readonly number[], rows: number, batch: number): Promise<number> {
  const spec = cartPoleActorCritic(hiddens);
  const rng = createRng(1, 'bench');
  const settings = { ...PPO_SETTINGS, sgdMinibatchSize: rows };
  const learner = await PPOLearner.create(spec, initialWeights(weightLayout(spec), rng), settings, rng, engineOf(backend));
  const train = cartPoleBatch(batch, rng);
  const stepsPerPass = Math.floor(batch / rows);
  const ms = timed(() => learner.update(train, 5e-5), SECONDS) / stepsPerPass;
  await learner.dispose();
  return ms;
}

/**
 * Milliseconds per PPO SGD step on the kernels with 1 and with 2 learner threads, timed in 15
 * alternating blocks: the median block of each, and the fastest (what a quiet machine gives; ours
 * are shared, and a second thread feels the load more than one).
 */
async function ppoStepMsOneVsTwo(hiddens: readonly number[], rows: number, batch: number) {
  const spec = cartPoleActorCritic(hiddens);
  const settings = { ...PPO_SETTINGS, sgdMinibatchSize: rows };
  const learners = await Promise.all(
    [1, 2].map((threads) => {
      const rng = createRng(1, 'bench');
      return PPOLearner.create(spec, initialWeights(weightLayout(spec), rng), settings, rng, 'loomrl', threads);
    }),
  );
  const train = cartPoleBatch(batch, createRng(3, 'bench'));
  const stepsPerPass = Math.floor(batch / rows);
  const blocks: [number[], number[]] = [[], []];
  for (const learner of learners) learner.update(train, 5e-5); // warm-up
  const t0 = performance.now();
  (learners[0] as PPOLearner).update(train, 5e-5);
  const passesPerBlock = Math.max(1, Math.round((SECONDS * 1000) / 15 / (performance.now() - t0)));
  for (let b = 0; b < 15; b++) {
    for (const [i, learner] of learners.entries()) {
      const started = performance.now();
      for (let p = 0; p < passesPerBlock; p++) learner.update(train, 5e-5);
      blocks[i]?.push((performance.now() - started) / passesPerBlock / stepsPerPass);
    }
  }
  await Promise.all(learners.map((l) => l.dispose()));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const [one, two] = blocks;
  return {
    oneThread: round(median(one)),
    twoThreads: round(median(two)),
    speedup: round(median(one) / median(two)),
    fastestBlock: {
      oneThread: round(Math.min(...one)),
      twoThreads: round(Math.min(...two)),
      speedup: round(Math.min(...one) / Math.min(...two)),
    },
  };
}

/** Milliseconds per DQN update on a replayed batch of `rows` rows. */
/** The DQN variant timed: the bench's (dueling, double Q, grad clip 40) unless overridden. */
interface DQNVariant {
  readonly dueling: boolean;
  readonly doubleQ: boolean;
  readonly gradClip: number;
}
const BENCH_DQN: DQNVariant = { dueling: true, doubleQ: true, gradClip: 40 };
/** cartPoleDQN()'s own learner: no dueling, no double Q, grad clip 10. */
const TUNED_DQN: DQNVariant = { dueling: false, doubleQ: false, gradClip: 10 };

async function dqnUpdateMs(backend: Engine, hiddens: readonly number[], rows: number, variant = BENCH_DQN): Promise<number> {
  const spec: QNetworkSpec = { obsDim: 4, numActions: 2, hiddens, activation: 'relu', headHiddens: [], dueling: variant.dueling };
  const rng = createRng(2, 'bench');
  const settings = { lr: 5e-4, gradClip: variant.gradClip, adamEpsilon: 1e-8, doubleQ: variant.doubleQ, tdErrorLossFn: 'huber' } as const;
  const learner = await DQNLearner.create(spec, initialWeights(qNetworkLayout(spec), rng), settings, engineOf(backend));
  const replayed = replayedBatch(rows, rng);
  const ms = timed(() => learner.update(replayed, 5e-4), SECONDS);
  learner.dispose();
  return ms;
}

interface TorchCase {
  algo: 'ppo' | 'dqn';
  hiddens: readonly number[];
  rows: number;
  batch?: number;
  seconds: number;
}

/** Milliseconds per step of each case in PyTorch on one thread, or null without torch. */
function torchStepMs(cases: TorchCase[]): Array<number | null> {
  if (!existsSync(PYTHON)) return cases.map(() => null);
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return cases.map(() => null);
  const run = spawnSync(PYTHON, [join(benchDir, 'learner_torch.py'), JSON.stringify(cases)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`learner_torch.py failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return lines.map((line) => (JSON.parse(line) as { msPerStep: number }).msPerStep);
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

async function iterationTimers(config: PPOConfig, iterations: number): Promise<TrainResult> {
  const algo = config.build();
  let last: TrainResult | null = null;
  for (let i = 0; i < iterations; i++) last = await algo.train();
  await algo.stop();
  return last as TrainResult;
}

/** Section (4): 1 against 2 learner threads on the kernels. */
async function dataParallelFigures(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { loadAverageBefore: round(loadavg()[0] ?? 0, 2) };
  for (const c of [
    { hiddens: [64, 64], rows: 256, batch: 1024 },
    { hiddens: [256, 256], rows: 128, batch: 4000 },
  ]) {
    out[`ppo${c.hiddens[0]}x${c.hiddens[1]}rows${c.rows}MsPerStep`] = await ppoStepMsOneVsTwo(c.hiddens, c.rows, c.batch);
  }
  // Tuned CartPole: runs 1, 2, 1, 2 threads (3 iterations each); the better of each pair's last iterations.
  const tuned: Record<number, TrainResult[]> = { 1: [], 2: [] };
  for (const threads of [1, 2, 1, 2]) {
    tuned[threads]?.push(
      await iterationTimers(cartPolePPO({ seed: 1 }).framework({ backend: 'loomrl' }).resources({ numLearnerWorkers: threads }), 3),
    );
  }
  const best = (runs: TrainResult[]) => runs.reduce((a, b) => (b.timers.learnTimeMs < a.timers.learnTimeMs ? b : a));
  const share = (r: TrainResult) => round(r.timers.learnTimeMs / r.timers.trainingIterationTimeMs);
  const [tuned1, tuned2] = [best(tuned[1] ?? []), best(tuned[2] ?? [])];
  out.tunedPPOIteration = {
    oneThread: {
      iterationMs: round(tuned1.timers.trainingIterationTimeMs),
      learnMs: round(tuned1.timers.learnTimeMs),
      learnShare: share(tuned1),
    },
    twoThreads: {
      iterationMs: round(tuned2.timers.trainingIterationTimeMs),
      learnMs: round(tuned2.timers.learnTimeMs),
      learnShare: share(tuned2),
    },
  };
  const rllib = async (threads: number) =>
    iterationTimers(
      new PPOConfig()
        .environment({ env: 'CartPole-v1' })
        .framework({ backend: 'loomrl' })
        .resources({ numLearnerWorkers: threads })
        .debugging({ seed: 1 }),
      1,
    );
  const [rllib1, rllib2] = [await rllib(1), await rllib(2)];
  out.rllibDefaultPPOIteration = {
    oneThread: { iterationMs: round(rllib1.timers.trainingIterationTimeMs), learnMs: round(rllib1.timers.learnTimeMs) },
    twoThreads: { iterationMs: round(rllib2.timers.trainingIterationTimeMs), learnMs: round(rllib2.timers.learnTimeMs) },
    learnSpeedup: round(rllib1.timers.learnTimeMs / rllib2.timers.learnTimeMs),
  };
  if (process.env.LEARNER_BENCH_TIME_TO_475 === '1') out.rllibDefaultPPOTimeTo475TwoThreads = await timeTo475(2);
  out.loadAverageAfter = round(loadavg()[0] ?? 0, 2);
  return out;
}

/** Wall seconds and iterations until RLlib-default PPO's training mean reaches 475 on `threads` learner threads (at most 60 iterations). */
async function timeTo475(threads: number): Promise<Record<string, number | boolean>> {
  const algo = new PPOConfig()
    .environment({ env: 'CartPole-v1' })
    .framework({ backend: 'loomrl' })
    .resources({ numLearnerWorkers: threads })
    .debugging({ seed: 1 })
    .build();
  const started = performance.now();
  let iterations = 0;
  let reward = 0;
  while (iterations < 60 && !(reward >= 475)) {
    reward = (await algo.train()).episodeRewardMean;
    iterations += 1;
  }
  await algo.stop();
  return { seconds: round((performance.now() - started) / 1000), iterations, reached: reward >= 475, lastEpisodeRewardMean: round(reward) };
}

/** The tuned CartPole example as it was tuned before (40 SGD steps per iteration), for section (5). */
const previousCartPolePPO = (seed: number): PPOConfig =>
  cartPolePPO({ seed }).training({
    sgdMinibatchSize: 256,
    numSgdIter: 10,
    lr: 1e-3,
    lrSchedule: [
      [0, 1e-3],
      [100_000, 1e-4],
    ],
  });

/** One demo run: train until the training mean and then a greedy evaluation reach 475 (at most 150k steps). */
async function demoRun(config: PPOConfig): Promise<{ seconds: number; envSteps: number; reached: boolean; learnShare: number }> {
  const algo = config.framework({ backend: 'loomrl' }).build();
  await algo.ready();
  const started = performance.now();
  let [learnMs, iterationMs, envSteps, reached] = [0, 0, 0, false];
  while (!reached && envSteps < 150_000) {
    const r = await algo.train();
    learnMs += r.timers.learnTimeMs;
    iterationMs += r.timers.trainingIterationTimeMs;
    envSteps = r.timestepsTotal;
    if (r.episodeRewardMean >= 475) reached = (await algo.evaluate()).episodeRewardMean >= 475;
  }
  const seconds = (performance.now() - started) / 1000;
  await algo.stop();
  return { seconds, envSteps, reached, learnShare: learnMs / iterationMs };
}

/** Section (5): the tuned CartPole example against its previous tuning, seeds 1–4 alternating. */
async function tunedDemoFigures(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { loadAverageBefore: round(loadavg()[0] ?? 0, 2) };
  const runs: Record<'tuned' | 'previous', Array<Awaited<ReturnType<typeof demoRun>>>> = { tuned: [], previous: [] };
  for (const seed of [1, 2, 3, 4]) {
    runs.tuned.push(await demoRun(cartPolePPO({ seed })));
    runs.previous.push(await demoRun(previousCartPolePPO(seed)));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [name, rs] of Object.entries(runs)) {
    out[name] = {
      solved: `${rs.filter((r) => r.reached).length}/${rs.length}`,
      meanSecondsToGreedy475: round(mean(rs.map((r) => r.seconds))),
      meanEnvSteps: Math.round(mean(rs.map((r) => r.envSteps))),
      learnShare: round(mean(rs.map((r) => r.learnShare))),
      seconds: rs.map((r) => round(r.seconds)),
    };
  }
  out.speedup = round(mean(runs.previous.map((r) => r.seconds)) / mean(runs.tuned.map((r) => r.seconds)));
  out.loadAverageAfter = round(loadavg()[0] ?? 0, 2);
  return out;
}

export default async function learnerBench(): Promise<Record<string, unknown>> {
  // LEARNER_BENCH_ONLY=dataParallel or =tunedDemo runs section (4) or (5) alone (a quick look; the results file then holds only it).
  if (process.env.LEARNER_BENCH_ONLY === 'dataParallel') return { dataParallel: await dataParallelFigures() };
  if (process.env.LEARNER_BENCH_ONLY === 'tunedDemo') return { tunedDemo: await tunedDemoFigures() };
  const loadBefore = loadavg()[0];
  const torchCases: TorchCase[] = [
    ...PPO_CASES.map((c) => ({ algo: 'ppo' as const, hiddens: c.hiddens, rows: c.rows, batch: c.batch, seconds: SECONDS })),
    ...DQN_CASES.map((c) => ({ algo: 'dqn' as const, hiddens: c.hiddens, rows: c.rows, seconds: SECONDS })),
  ];
  const torchMs = torchStepMs(torchCases);
  const figures: Record<string, unknown> = {
    pytorch: torchMs[0] === null ? 'not installed (/usr/bin/python3 without torch)' : 'PyTorch on one thread, same run',
  };
  await selectBackend('wasm');
  const tfjsMatmul = matmulFlopsPerS();
  const kernelGemm = kernelGemmFlopsPerS();
  figures.matmul256GflopsPerS = { loomrl: round(kernelGemm / 1e9), wasm: round(tfjsMatmul / 1e9) };
  for (const engine of ENGINES) {
    if (engine !== 'loomrl') await selectBackend(engine);
    // Each backend against its own 256×256 matrix product.
    const matmul = engine === 'loomrl' ? kernelGemm : tfjsMatmul;
    const perEngine: Record<string, unknown> = {};
    for (const [i, c] of PPO_CASES.entries()) {
      const ms = await ppoStepMs(engine, c.hiddens, c.rows, c.batch);
      const flops = 3 * (forwardFlops([4, ...c.hiddens, 2], c.rows) + forwardFlops([4, ...c.hiddens, 1], c.rows));
      const torch = torchMs[i] ?? null;
      perEngine[`ppo${c.hiddens[0]}x${c.hiddens[1]}rows${c.rows}`] = {
        msPerStep: round(ms),
        samplesPerS: Math.round((c.rows / ms) * 1000),
        shareOfMatmulRate: round(flops / (ms / 1000) / matmul),
        ...(torch === null ? {} : { pytorchMsPerStep: round(torch), ratioToPytorch: round(torch / ms) }),
      };
    }
    for (const [i, c] of DQN_CASES.entries()) {
      const ms = await dqnUpdateMs(engine, c.hiddens, c.rows);
      const flops = 5 * qForwardFlops(c.hiddens, c.rows);
      const torch = torchMs[PPO_CASES.length + i] ?? null;
      perEngine[`dqn${c.hiddens[0]}x${c.hiddens[1]}rows${c.rows}`] = {
        msPerStep: round(ms),
        samplesPerS: Math.round((c.rows / ms) * 1000),
        shareOfMatmulRate: round(flops / (ms / 1000) / matmul),
        ...(torch === null ? {} : { pytorchMsPerStep: round(torch), ratioToPytorch: round(torch / ms) }),
      };
    }
    const rllibDefault = await iterationTimers(
      new PPOConfig().environment({ env: 'CartPole-v1' }).framework({ backend: engine }).debugging({ seed: 1 }),
      1,
    );
    const sgdSteps = rllibDefault.learnerStats.numSgdSteps ?? 0;
    const torch256 = torchMs[0] ?? null;
    perEngine.rllibDefaultPPOIteration = {
      iterationMs: round(rllibDefault.timers.trainingIterationTimeMs),
      learnMs: round(rllibDefault.timers.learnTimeMs),
      sampleMs: round(rllibDefault.timers.sampleTimeMs),
      sgdSteps,
      ...(torch256 === null
        ? {}
        : {
            pytorchLearnMsSameSteps: round(torch256 * sgdSteps),
            ratioLearnToPytorch: round(rllibDefault.timers.learnTimeMs / (torch256 * sgdSteps)),
          }),
    };
    const tuned = await iterationTimers(cartPolePPO({ seed: 1 }).framework({ backend: engine }), 3);
    perEngine.tunedPPOIteration = {
      iterationMs: round(tuned.timers.trainingIterationTimeMs),
      learnMs: round(tuned.timers.learnTimeMs),
      learnShare: round(tuned.timers.learnTimeMs / tuned.timers.trainingIterationTimeMs),
    };
    const dqn = cartPoleDQN({ seed: 1 }).framework({ backend: engine }).build();
    let dqnLearnMs = 0;
    let dqnIterationMs = 0;
    for (let i = 0; i < 4; i++) {
      const r = await dqn.train();
      if (i === 0) continue; // learning starts after 1000 steps
      dqnLearnMs += r.timers.learnTimeMs;
      dqnIterationMs += r.timers.trainingIterationTimeMs;
    }
    await dqn.stop();
    perEngine.tunedDQNIteration = {
      iterationMs: round(dqnIterationMs / 3),
      learnMs: round(dqnLearnMs / 3),
      updateMs: round(await dqnUpdateMs(engine, [256, 256], 64, TUNED_DQN)),
    };
    figures[engine] = perEngine;
  }
  // How much faster DQN's CartPole example got beside how much faster its own learner got (same net, same run).
  const dqnOn = (engine: string) =>
    (figures[engine] as { tunedDQNIteration: { iterationMs: number; learnMs: number; updateMs: number } }).tunedDQNIteration;
  if (figures.wasm !== undefined && figures.loomrl !== undefined) {
    figures.tunedDQNSpeedup = {
      learnerUpdate: round(dqnOn('wasm').updateMs / dqnOn('loomrl').updateMs),
      learnPhase: round(dqnOn('wasm').learnMs / dqnOn('loomrl').learnMs),
      iteration: round(dqnOn('wasm').iterationMs / dqnOn('loomrl').iterationMs),
    };
  }
  figures.dataParallel = await dataParallelFigures();
  figures.tunedDemo = await tunedDemoFigures();
  figures.loadAverage = { before: round(loadBefore ?? 0, 2), after: round(loadavg()[0] ?? 0, 2) };
  return figures;
}
