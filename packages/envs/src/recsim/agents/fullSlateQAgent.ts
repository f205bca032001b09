import { ConfigError, createRng, DataError, LearnerError, type Rng, type RngState, type Space } from '@loomrl/core';
import { AbstractEpisodicRecommenderAgent, type AgentBundle, type AgentObservation, type AgentSpaces, type Slate } from './agent.js';
import { recSimParts } from './layers/sufficientStatistics.js';
import { documentsOf, slatesOf } from './utils.js';

/** Options of `FullSlateQAgent` (Dopamine DQN's names and defaults, camelCase). */
export interface FullSlateQAgentOptions extends AgentSpaces {
  /** Greedy with `epsilonEval` and not learning (default false). */
  readonly evalMode?: boolean;
  readonly gamma?: number;
  /** No update until the replay holds more than this many transitions (default 20 000). */
  readonly minReplayHistory?: number;
  /** One minibatch update every this many training steps (default 4). */
  readonly updatePeriod?: number;
  /** Copy online → target every this many training steps (default 8 000). */
  readonly targetUpdatePeriod?: number;
  readonly epsilonTrain?: number;
  readonly epsilonEval?: number;
  readonly epsilonDecayPeriod?: number;
  /** Replay capacity in transitions (default 1 000 000). */
  readonly replayCapacity?: number;
  readonly batchSize?: number;
  /** SGD step size on the Huber loss (default 1e−3, Dopamine's `'sgd'` optimizer). */
  readonly learningRate?: number;
  /** Seeds exploration and replay sampling (RecSim uses Python's global generator). */
  readonly randomSeed?: number;
}

interface Transition {
  readonly rows: Float32Array;
  readonly slate: Slate;
  readonly reward: number;
  readonly nextRows: Float32Array;
  readonly terminal: boolean;
}

/**
 * Q-learning over whole slates (RecSim's `FullSlateQAgent`): every ordered slate of distinct
 * candidates is one action, `Q(s, A)` reads the user row and the slate's document rows of RecSim's
 * observation adapter (each flattened and zero-padded to the widest), and learning is Dopamine's
 * DQN loop — replay, linearly decaying ε, an update every `updatePeriod` steps on the Huber loss of
 * `r + γ·max_A' Q_target(s', A')·(1 − terminal)`, a hard target copy every `targetUpdatePeriod`.
 *
 * Differences from RecSim, on purpose: Q is linear in those rows (plus a bias) and trained by SGD —
 * `@loomrl/envs` has no neural-network library, and RecSim's MLP towers were probably never shared
 * between acting and training (recsim-agents spec §2.8.2); the target reads the *next* state (RecSim
 * issue #26 read the current one); a step-limit cut (`endEpisode(…, false)`) bootstraps instead of
 * being stored as terminal.
 */
export class FullSlateQAgent extends AbstractEpisodicRecommenderAgent {
  /** Online weights: `(S+1)·W` row weights then the bias. */
  weights: Float64Array;
  /** Target weights (same layout). */
  targetWeights: Float64Array;
  /** Dopamine's `training_steps`. */
  trainingSteps = 0;
  /** The width of one adapter row. */
  readonly rowWidth: number;
  private readonly options: Required<Omit<FullSlateQAgentOptions, keyof AgentSpaces | 'randomSeed'>>;
  private readonly userSpace: Space<unknown>;
  private readonly docSpace: Space<unknown>;
  private readonly rng: Rng;
  private readonly replay: Transition[] = [];
  private replayNext = 0;
  private addCount = 0;
  private lastRows: Float32Array | null = null;
  private lastSlate: Slate | null = null;

  /** An agent for `options`' spaces. */
  constructor(options: FullSlateQAgentOptions) {
    super(options.actionSpace);
    this.options = {
      evalMode: options.evalMode ?? false,
      gamma: options.gamma ?? 0.99,
      minReplayHistory: options.minReplayHistory ?? 20_000,
      updatePeriod: options.updatePeriod ?? 4,
      targetUpdatePeriod: options.targetUpdatePeriod ?? 8_000,
      epsilonTrain: options.epsilonTrain ?? 0.01,
      epsilonEval: options.epsilonEval ?? 0.001,
      epsilonDecayPeriod: options.epsilonDecayPeriod ?? 250_000,
      replayCapacity: options.replayCapacity ?? 1_000_000,
      batchSize: options.batchSize ?? 32,
      learningRate: options.learningRate ?? 1e-3,
    };
    for (const key of ['updatePeriod', 'targetUpdatePeriod', 'epsilonDecayPeriod', 'replayCapacity', 'batchSize'] as const) {
      const value = this.options[key];
      if (!Number.isInteger(value) || value < 1) throw new ConfigError(`FullSlateQAgent: ${key} must be an integer ≥ 1, got ${value}.`);
    }
    const { user, doc } = recSimParts(options.observationSpace, 'FullSlateQAgent');
    this.userSpace = user;
    this.docSpace = Object.values(doc.spaces as Record<string, Space<unknown>>)[0] as Space<unknown>;
    this.rowWidth = Math.max(user.flatDim, this.docSpace.flatDim);
    if (this.rowWidth === 0)
      throw new ConfigError('FullSlateQAgent: the user and document observations are both empty; Q has no features.');
    this.weights = new Float64Array((this.slateSize + 1) * this.rowWidth + 1);
    this.targetWeights = new Float64Array(this.weights.length);
    this.rng = createRng(options.randomSeed ?? 0, 'FullSlateQAgent');
  }

  /** RecSim's observation adapter: row 0 the user, row k+1 document k, each zero-padded to `rowWidth`. */
  rowsOf(observation: AgentObservation): Float32Array {
    const docs = documentsOf(observation.doc);
    const rows = new Float32Array((docs.length + 1) * this.rowWidth);
    this.userSpace.flatten(observation.user, rows.subarray(0, this.userSpace.flatDim));
    docs.forEach((d, k) => {
      const start = (k + 1) * this.rowWidth;
      this.docSpace.flatten(d, rows.subarray(start, start + this.docSpace.flatDim));
    });
    return rows;
  }

  /** `Q(s, slate)` under `weights` for adapter `rows`. */
  qValue(rows: Float32Array, slate: Slate, weights: Float64Array = this.weights): number {
    const w = this.rowWidth;
    let q = weights[weights.length - 1] as number;
    const rowOf = (j: number) => (j === 0 ? 0 : ((slate[j - 1] as number) + 1) * w);
    for (let j = 0; j <= this.slateSize; j++) {
      const start = rowOf(j);
      for (let i = 0; i < w; i++) q += (weights[j * w + i] as number) * (rows[start + i] as number);
    }
    return q;
  }

  private best(rows: Float32Array, weights: Float64Array): { slate: Slate; q: number } {
    let best: { slate: Slate; q: number } | null = null;
    for (const slate of slatesOf(this.candidatesIn(rows), this.slateSize, true)) {
      const q = this.qValue(rows, slate, weights);
      if (best === null || q > best.q) best = { slate, q };
    }
    return best as { slate: Slate; q: number };
  }

  private candidatesIn(rows: Float32Array): number {
    const numCandidates = rows.length / this.rowWidth - 1;
    if (numCandidates < this.slateSize) {
      throw new ConfigError(`FullSlateQAgent: ${numCandidates} candidates cannot fill a slate of ${this.slateSize}.`);
    }
    return numCandidates;
  }

  /** Dopamine's linearly decaying ε at the current training step (`epsilonEval` in eval mode). */
  get epsilon(): number {
    const { evalMode, epsilonEval, epsilonTrain: end, epsilonDecayPeriod: d, minReplayHistory: warm } = this.options;
    if (evalMode) return epsilonEval;
    const bonus = Math.min(Math.max(((1 - end) * (d + warm - this.trainingSteps)) / d, 0), 1 - end);
    return end + bonus;
  }

  override beginEpisode(observation: AgentObservation): Slate {
    this.episodeNum += 1;
    this.lastRows = this.rowsOf(observation);
    if (!this.options.evalMode) this.trainStep();
    return this.act(this.lastRows);
  }

  step(reward: number, observation: AgentObservation): Slate {
    const rows = this.rowsOf(observation);
    if (!this.options.evalMode) {
      this.store(reward, rows, false);
      this.trainStep();
    }
    this.lastRows = rows;
    return this.act(rows);
  }

  override endEpisode(reward: number, observation: AgentObservation, terminated = true): void {
    if (!this.options.evalMode) this.store(reward, this.rowsOf(observation), terminated);
    this.lastRows = null;
    this.lastSlate = null;
  }

  private act(rows: Float32Array): Slate {
    const numCandidates = this.candidatesIn(rows);
    let slate: Slate;
    if (this.rng.random() <= this.epsilon) {
      const all = [...slatesOf(numCandidates, this.slateSize, true)];
      slate = all[Math.floor(this.rng.random() * all.length)] as Slate;
    } else {
      slate = this.best(rows, this.weights).slate;
    }
    this.lastSlate = slate;
    return [...slate];
  }

  private store(reward: number, nextRows: Float32Array, terminal: boolean): void {
    if (this.lastRows === null || this.lastSlate === null) return;
    if (!Number.isFinite(reward)) throw new DataError(`FullSlateQAgent: the reward must be a finite number, got ${reward}.`);
    const transition: Transition = { rows: this.lastRows, slate: this.lastSlate, reward, nextRows, terminal };
    if (this.replay.length < this.options.replayCapacity) this.replay.push(transition);
    else this.replay[this.replayNext] = transition;
    this.replayNext = (this.replayNext + 1) % this.options.replayCapacity;
    this.addCount += 1;
  }

  private trainStep(): void {
    if (this.addCount > this.options.minReplayHistory) {
      if (this.trainingSteps % this.options.updatePeriod === 0) this.update();
      if (this.trainingSteps % this.options.targetUpdatePeriod === 0) this.targetWeights.set(this.weights);
    }
    this.trainingSteps += 1;
  }

  /** One SGD step on the mean Huber loss (δ = 1) of a uniform minibatch drawn with replacement. */
  private update(): void {
    const { batchSize, gamma, learningRate } = this.options;
    const gradient = new Float64Array(this.weights.length);
    const w = this.rowWidth;
    for (let b = 0; b < batchSize; b++) {
      const t = this.replay[Math.floor(this.rng.random() * this.replay.length)] as Transition;
      const bootstrap = t.terminal ? 0 : this.best(t.nextRows, this.targetWeights).q;
      const error = this.qValue(t.rows, t.slate) - (t.reward + gamma * bootstrap);
      const g = Math.min(Math.max(error, -1), 1) / batchSize;
      for (let j = 0; j <= this.slateSize; j++) {
        const start = j === 0 ? 0 : ((t.slate[j - 1] as number) + 1) * w;
        for (let i = 0; i < w; i++) gradient[j * w + i] = (gradient[j * w + i] as number) + g * (t.rows[start + i] as number);
      }
      gradient[gradient.length - 1] = (gradient[gradient.length - 1] as number) + g;
    }
    for (let i = 0; i < gradient.length; i++) this.weights[i] = (this.weights[i] as number) - learningRate * (gradient[i] as number);
    if (!this.weights.every(Number.isFinite)) {
      throw new LearnerError('FullSlateQAgent: an update made the Q weights non-finite (lower learningRate or scale the rewards).');
    }
  }

  /**
   * The weights, the step count and — as Dopamine checkpoints its replay beside the bundle — the
   * replay memory (plain numbers) and the agent's random stream, so a restored agent continues
   * exactly like the uninterrupted one.
   */
  override bundleAndCheckpoint(checkpointDir: string, iteration: number): AgentBundle | null {
    return {
      ...super.bundleAndCheckpoint(checkpointDir, iteration),
      training_steps: this.trainingSteps,
      weights: Array.from(this.weights),
      target_weights: Array.from(this.targetWeights),
      replay: this.replay.map((t) => ({
        rows: Array.from(t.rows),
        slate: [...t.slate],
        reward: t.reward,
        next_rows: Array.from(t.nextRows),
        terminal: t.terminal,
      })),
      replay_next: this.replayNext,
      add_count: this.addCount,
      rng: this.rng.getState(),
    };
  }

  /** Restores a bundle; one without replay (an older bundle) leaves the replay memory and stream as they are. */
  override unbundle(checkpointDir: string, iteration: number, bundle: AgentBundle): boolean {
    const { weights, target_weights: target } = bundle;
    const fits = (v: unknown) => Array.isArray(v) && v.length === this.weights.length;
    const replay = replayOf(bundle.replay, this.options.replayCapacity);
    if (!fits(weights) || !fits(target) || replay === undefined || !super.unbundle(checkpointDir, iteration, bundle)) return false;
    this.weights = Float64Array.from(weights as number[]);
    this.targetWeights = Float64Array.from(target as number[]);
    if (typeof bundle.training_steps === 'number') this.trainingSteps = bundle.training_steps;
    if (replay !== null) {
      this.replay.splice(0, this.replay.length, ...replay);
      this.replayNext = Number(bundle.replay_next ?? 0) % this.options.replayCapacity;
      this.addCount = Number(bundle.add_count ?? replay.length);
    }
    if (bundle.rng !== undefined) this.rng.setState(bundle.rng as RngState);
    return true;
  }
}

/** The transitions of a bundle's `replay`: null when absent, undefined when malformed or over `capacity`. */
function replayOf(value: unknown, capacity: number): Transition[] | null | undefined {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length > capacity) return undefined;
  const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
  const out: Transition[] = [];
  for (const t of value as Record<string, unknown>[]) {
    if (!numbers(t?.rows) || !numbers(t.next_rows) || !numbers(t.slate) || typeof t.reward !== 'number') return undefined;
    out.push({
      rows: Float32Array.from(t.rows),
      slate: [...t.slate],
      reward: t.reward,
      nextRows: Float32Array.from(t.next_rows),
      terminal: t.terminal === true,
    });
  }
  return out;
}
