import type { SampleBatch } from '@loomrl/core';
import { KernelQNetwork, type OptimizerState, type QNetworkSpec } from '@loomrl/core/internal';
import type { DQNEngine, DQNLearnerSettings, DQNTrainColumns, DQNUpdate, DQNUpdateStats } from './learner.js';

/** Rows the kernel network is first sized for (it grows for larger replayed batches). */
const INITIAL_ROWS = 64;

/**
 * DQN's updates on LoomRL's WebAssembly dense-net kernels: three forward passes (online and target
 * on s′, online on s), the loss head in plain JS (`dqnLossGradients`), one backward pass and Adam in
 * SIMD kernels.
 */
export class KernelDQNEngine implements DQNEngine {
  private net: KernelQNetwork;
  private readonly spec: QNetworkSpec;
  private readonly settings: DQNLearnerSettings;
  private buffers: { qNextOnline: Float32Array; qNextTarget: Float32Array; q: Float32Array; dQ: Float32Array };

  /** Online and target networks for `spec`, both starting from `weights`. */
  constructor(spec: QNetworkSpec, weights: Float32Array, settings: DQNLearnerSettings) {
    this.spec = spec;
    this.settings = settings;
    this.net = new KernelQNetwork(spec, weights, INITIAL_ROWS, settings.lr, settings.gradClip, settings.adamEpsilon);
    this.buffers = this.allocate(INITIAL_ROWS);
  }

  private allocate(rows: number) {
    const size = rows * this.spec.numActions;
    return {
      qNextOnline: new Float32Array(size),
      qNextTarget: new Float32Array(size),
      q: new Float32Array(size),
      dQ: new Float32Array(size),
    };
  }

  /** Rebuilds the network for `rows` rows when it is smaller, keeping weights, target and optimizer state. */
  private ensureRows(rows: number): void {
    if (rows <= this.net.maxRows) return;
    const old = this.net;
    const s = this.settings;
    this.net = new KernelQNetwork(this.spec, old.getWeights(), rows, s.lr, s.gradClip, s.adamEpsilon);
    this.net.setTargetWeights(old.getTargetWeights());
    this.net.optimizer.setState(old.optimizer.getState());
    this.buffers = this.allocate(rows);
  }

  update(batch: SampleBatch<DQNTrainColumns>, lr: number): DQNUpdate {
    const rows = batch.count;
    this.ensureRows(rows);
    const net = this.net;
    net.optimizer.learningRate = lr;
    const c = batch.columns;
    const width = batch.widths.obs;
    const { qNextOnline, qNextTarget, q, dQ } = this.buffers;
    const next = { data: c.nextObs, width, indices: null, start: 0 };
    if (this.settings.doubleQ) net.qValues('online', next, rows, qNextOnline);
    net.qValues('target', next, rows, qNextTarget);
    // The online pass on s last: it is the one backward differentiates.
    net.qValues('online', { data: c.obs, width, indices: null, start: 0 }, rows, q);
    const { stats, tdErrors } = dqnLossGradients(
      { q, qNextTarget, qNextChooser: this.settings.doubleQ ? qNextOnline : qNextTarget, numActions: this.spec.numActions },
      c,
      rows,
      this.settings.tdErrorLossFn,
      dQ,
    );
    net.backward(rows, dQ);
    const gradGnorm = net.optimizer.step();
    return { stats: { ...stats, curLr: lr, gradGnorm }, tdErrors };
  }

  updateTarget(tau: number): void {
    this.net.updateTarget(tau);
  }

  getWeights(): Float32Array {
    return this.net.getWeights();
  }

  setWeights(weights: Float32Array): void {
    this.net.setWeights(weights);
  }

  getTargetWeights(): Float32Array {
    return this.net.getTargetWeights();
  }

  setTargetWeights(weights: Float32Array): void {
    this.net.setTargetWeights(weights);
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return this.net.optimizer.getState();
  }

  async setOptimizerState(state: OptimizerState): Promise<void> {
    this.net.optimizer.setState(state);
  }

  dispose(): void {}
}

/** The Q values DQN's loss reads, `rows × numActions` each. */
export interface DQNQValues {
  /** Online Q(s, ·). */
  readonly q: Float32Array;
  /** Target Q(s′, ·). */
  readonly qNextTarget: Float32Array;
  /** The Q(s′, ·) whose argmax picks a′: online with double Q, else the target's. */
  readonly qNextChooser: Float32Array;
  readonly numActions: number;
}

/**
 * DQN's loss (see `DQNLearner`) in plain JS on the Q values of one replayed batch: returns the stats
 * and TD errors and writes the loss's gradient w.r.t. the online Q(s, ·) into `dQ`. Float32 where
 * tfjs computes in float32 (target, TD), so the TD errors match the tfjs learner's.
 */
export function dqnLossGradients(
  values: DQNQValues,
  c: Pick<DQNTrainColumns, 'actions' | 'rewards' | 'nStepDiscounts' | 'terminateds' | 'weights'>,
  rows: number,
  lossFn: DQNLearnerSettings['tdErrorLossFn'],
  dQ: Float32Array,
): { stats: Omit<DQNUpdateStats, 'curLr' | 'gradGnorm'>; tdErrors: Float32Array } {
  const n = values.numActions;
  const f32 = Math.fround;
  const tdErrors = new Float32Array(rows);
  let loss = 0;
  let sumQ = 0;
  let minQ = Number.POSITIVE_INFINITY;
  let maxQ = Number.NEGATIVE_INFINITY;
  let sumTd = 0;
  dQ.fill(0, 0, rows * n);
  for (let r = 0; r < rows; r++) {
    const action = c.actions[r] as number;
    const qSelected = values.q[r * n + action] as number;
    let best = 0;
    for (let a = 1; a < n; a++) if ((values.qNextChooser[r * n + a] as number) > (values.qNextChooser[r * n + best] as number)) best = a;
    const qNext = values.qNextTarget[r * n + best] as number;
    const notDone = 1 - (c.terminateds[r] as number);
    const target = f32((c.rewards[r] as number) + f32(f32((c.nStepDiscounts[r] as number) * notDone) * qNext));
    const td = f32(qSelected - target);
    const absTd = Math.abs(td);
    const quadratic = Math.min(absTd, 1);
    const perRow = lossFn === 'huber' ? 0.5 * quadratic * quadratic + (absTd - quadratic) : 0.5 * td * td;
    const slope = lossFn === 'huber' ? Math.max(-1, Math.min(1, td)) : td;
    const weight = c.weights[r] as number;
    loss += weight * perRow;
    dQ[r * n + action] = (weight * slope) / rows;
    tdErrors[r] = td;
    sumQ += qSelected;
    minQ = Math.min(minQ, qSelected);
    maxQ = Math.max(maxQ, qSelected);
    sumTd += td;
  }
  return { stats: { loss: loss / rows, meanQ: sumQ / rows, minQ, maxQ, meanTdError: sumTd / rows }, tdErrors };
}
