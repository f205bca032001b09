import type { SampleBatch } from '@loomrl/core';
import {
  DenseKernel,
  type DenseLayer,
  DenseStack,
  KernelAdam,
  noClickInputDim,
  noClickInputs,
  type OptimizerState,
  type Region,
  type SlateQNetworkLayout,
  type SlateQNetworkSpec,
  slateQInputDim,
  slateQInputs,
  slateQNetworkLayout,
} from '@loomrl/core/internal';
import { KernelChoiceModel } from './kernelChoiceModel.js';
import {
  choiceModelInputs,
  clickLabels,
  type FlatWeights,
  idleUpdate,
  type SlateQEngineInit,
  type SlateQLearner,
  type SlateQTrainColumns,
  type SlateQUpdate,
  slateQUpdateStats,
  slateTdTargets,
} from './learner.js';

/** Batch rows the passes are first sized for (they grow, doubling, for larger replayed batches). */
const INITIAL_ROWS = 64;
const f32 = Math.fround;

/** The towers' passes for up to `maxRows` batch rows: online (with gradients) and target, item towers and the no-click tower. */
interface Passes {
  readonly maxRows: number;
  readonly online: DenseStack[];
  readonly target: DenseStack[];
  readonly noClickOnline: DenseStack | null;
  readonly noClickTarget: DenseStack | null;
  /** Tower inputs of the target pass (`slateQInputs` order, `maxRows × C` rows) and of the training pass. */
  readonly targetInput: Region;
  readonly trainInput: Region;
  readonly noClickInput: Region;
}

/**
 * SlateQ's updates (see `SlateQLearner`) on LoomRL's WebAssembly dense-net kernels: every tower is
 * a `DenseStack` over one flat weight region (the layout of `slateQNetworkLayout`), so the
 * target pass runs each tower once on the batch's candidates, the training pass runs each tower
 * on its clicked rows (and the no-click tower on the rows without a click) and back-propagates
 * the TD loss in place, and one `KernelAdam` steps all towers under one global norm, as tfjs's
 * `ClippedAdam` over the same variables. The loss heads and the slate maximisation are plain JS.
 */
export class KernelSlateQEngine implements SlateQLearner {
  readonly spec: SlateQNetworkSpec;
  private readonly layout: SlateQNetworkLayout;
  private readonly init: SlateQEngineInit;
  private readonly kernel: DenseKernel;
  private readonly weights: Region;
  private readonly grads: Region;
  private readonly targetWeights: Region;
  readonly online: FlatWeights;
  readonly target: FlatWeights;
  private readonly optimizer: KernelAdam;
  private readonly choice: KernelChoiceModel | null;
  private choiceParams: Float32Array | null;
  private passes: Passes;

  /** A learner whose online and target towers start from `init.weights` (and the learned choice model from `init.choiceParams`). */
  constructor(init: SlateQEngineInit) {
    const { spec, settings } = init;
    this.spec = spec;
    this.init = init;
    this.layout = slateQNetworkLayout(spec);
    const kernel = new DenseKernel();
    this.kernel = kernel;
    this.weights = kernel.alloc(this.layout.size);
    this.grads = kernel.alloc(this.layout.size);
    this.targetWeights = kernel.alloc(this.layout.size);
    this.optimizer = new KernelAdam(
      kernel,
      this.weights,
      this.grads,
      this.layout.entries,
      settings.lr,
      settings.gradClip,
      settings.adamEpsilon,
    );
    this.online = this.flatWeights(this.weights);
    this.target = this.flatWeights(this.targetWeights);
    this.online.setWeights(init.weights);
    this.target.setWeights(init.weights);
    this.choice = init.choiceParams === null ? null : new KernelChoiceModel(kernel, spec.layout, init.choiceParams, settings.lrChoiceModel);
    this.choiceParams = init.choiceParams === null ? null : new Float32Array(init.choiceParams);
    this.passes = this.buildPasses(INITIAL_ROWS);
  }

  /** Stacks and input regions for `maxRows` batch rows (a shared tower runs on all `rows × C` candidates at once). */
  private buildPasses(maxRows: number): Passes {
    const kernel = this.kernel;
    const C = this.spec.layout.numCandidates;
    const towerRows = this.spec.towers === 'shared' ? maxRows * C : maxRows;
    const stack = (layers: readonly DenseLayer[], weights: Region, grads: Region | null, rows: number) =>
      new DenseStack(kernel, layers, weights, grads, 'relu', true, rows);
    const noClick = this.layout.noClick;
    return {
      maxRows,
      online: this.layout.towers.map((tower) => stack(tower, this.weights, this.grads, towerRows)),
      target: this.layout.towers.map((tower) => stack(tower, this.targetWeights, null, towerRows)),
      noClickOnline: noClick === null ? null : stack(noClick, this.weights, this.grads, maxRows),
      noClickTarget: noClick === null ? null : stack(noClick, this.targetWeights, null, maxRows),
      targetInput: kernel.alloc(maxRows * C * slateQInputDim(this.spec)),
      trainInput: kernel.alloc(maxRows * slateQInputDim(this.spec)),
      noClickInput: kernel.alloc(maxRows * noClickInputDim(this.spec)),
    };
  }

  /** Passes with room for `rows` rows (the old ones' kernel memory is not reused; growth doubles, so it stays small). */
  private passesFor(rows: number): Passes {
    if (rows > this.passes.maxRows) this.passes = this.buildPasses(Math.max(rows, 2 * this.passes.maxRows));
    return this.passes;
  }

  tdTargets(batch: SampleBatch<SlateQTrainColumns>): Float32Array {
    const rows = batch.count;
    const passes = this.passesFor(rows);
    const c = batch.columns;
    const C = this.spec.layout.numCandidates;
    const width = slateQInputDim(this.spec);
    const valuesOf = this.init.settings.targetQFromCurrentObs ? c.obs : c.nextObs;
    slateQInputs(this.spec, valuesOf, rows, this.kernel.view(passes.targetInput, rows * C * width));
    const q = new Float32Array(rows * C);
    const memory = this.kernel.f32;
    if (this.spec.towers === 'shared') {
      const out = (passes.target[0] as DenseStack).forward(passes.targetInput.address, rows * C) / 4;
      q.set(memory.subarray(out, out + rows * C));
    } else {
      passes.target.forEach((tower, k) => {
        const out = tower.forward(passes.targetInput.address + 4 * k * rows * width, rows) / 4;
        for (let r = 0; r < rows; r++) q[r * C + k] = memory[out + r] as number;
      });
    }
    const noClick = new Float32Array(rows);
    if (passes.noClickTarget !== null) {
      noClickInputs(this.spec, valuesOf, rows, this.kernel.view(passes.noClickInput, rows * noClickInputDim(this.spec)));
      const out = passes.noClickTarget.forward(passes.noClickInput.address, rows) / 4;
      noClick.set(memory.subarray(out, out + rows));
    }
    return slateTdTargets({ ...this.init, choiceParams: this.choiceParams }, batch, q, noClick);
  }

  update(batch: SampleBatch<SlateQTrainColumns>, lr: number): SlateQUpdate {
    this.optimizer.learningRate = lr;
    const c = batch.columns;
    const rows = batch.count;
    const passes = this.passesFor(rows);
    const { clickedCandidate, labels, clicked, idle } = clickLabels(this.spec, batch);
    const choiceModelLoss = this.choice === null ? {} : { choiceModelLoss: this.stepChoiceModel(batch, labels) };
    const base = { curLr: lr, clickFraction: clicked.length / rows, ...choiceModelLoss };
    if (clicked.length === 0 && passes.noClickOnline === null) return idleUpdate(base, rows);
    const targets = this.tdTargets(batch);
    const tdErrors = new Float32Array(rows);
    const qClicked = new Float64Array(rows);
    // Towers without rows (no click on their candidate) get a zero gradient, as tfjs's zero-weight padding.
    this.kernel.view(this.grads).fill(0);
    let total = 0;
    const { layout } = this.spec;
    const width = slateQInputDim(this.spec);
    const groups =
      this.spec.towers === 'shared' ? [clicked] : this.layout.towers.map((_, k) => clicked.filter((r) => clickedCandidate[r] === k));
    groups.forEach((members, g) => {
      if (members.length === 0) return;
      const input = this.kernel.view(passes.trainInput, members.length * width);
      members.forEach((r, i) => {
        const user = r * layout.obsDim + layout.userOffset;
        input.set(c.obs.subarray(user, user + layout.userDim), i * width);
        const doc = r * layout.obsDim + layout.docOffset + (clickedCandidate[r] as number) * layout.docDim;
        input.set(c.obs.subarray(doc, doc + layout.docDim), i * width + layout.userDim);
      });
      const tower = passes.online[g] as DenseStack;
      total += this.tdLoss(tower, passes.trainInput, members, c.weights, targets, tdErrors, qClicked);
    });
    if (passes.noClickOnline !== null && idle.length > 0) {
      const input = this.kernel.view(passes.noClickInput, idle.length * noClickInputDim(this.spec));
      idle.forEach((r, i) => {
        const user = r * layout.obsDim + layout.userOffset;
        input.set(c.obs.subarray(user, user + layout.userDim), i * (layout.userDim + 1));
        input[i * (layout.userDim + 1) + layout.userDim] = 1;
      });
      total += this.tdLoss(passes.noClickOnline, passes.noClickInput, idle, c.weights, targets, tdErrors, null);
    }
    const gradGnorm = this.optimizer.step();
    const q = Array.from(clicked, (r) => qClicked[r] as number);
    const targetsClicked = Array.from(clicked, (r) => targets[r] as number);
    return { stats: slateQUpdateStats(base, f32(total / rows), q, targetsClicked, tdErrors, gradGnorm), tdErrors };
  }

  /**
   * Runs `tower` on its rows `members` (inputs already at `input`), writes their TD errors (and
   * Q values into `qOut`), back-propagates `w · TD²` (or Huber) over the batch's `rows` into the
   * gradients; returns the rows' summed loss.
   */
  private tdLoss(
    tower: DenseStack,
    input: Region,
    members: Int32Array,
    weights: Float32Array,
    targets: Float32Array,
    tdErrors: Float32Array,
    qOut: Float64Array | null,
  ): number {
    const { useHuber, huberThreshold: delta } = this.init.settings;
    const rows = tdErrors.length;
    const n = members.length;
    const out = tower.forward(input.address, n) / 4;
    const memory = this.kernel.f32;
    const dq = this.kernel.view(tower.outputGrad as Region, n);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const r = members[i] as number;
      const q = memory[out + i] as number;
      const td = f32(q - (targets[r] as number));
      const w = weights[r] as number;
      tdErrors[r] = td;
      if (qOut !== null) qOut[r] = q;
      if (useHuber) {
        const abs = Math.abs(td);
        const quadratic = Math.min(abs, delta);
        loss += w * (0.5 * quadratic * quadratic + delta * (abs - quadratic));
        dq[i] = (w * Math.max(-delta, Math.min(delta, td))) / rows;
      } else {
        loss += w * td * td;
        dq[i] = (2 * w * td) / rows;
      }
    }
    tower.backward(n, null);
    return loss;
  }

  private stepChoiceModel(batch: SampleBatch<SlateQTrainColumns>, labels: Int32Array): number {
    const { users, shown } = choiceModelInputs(this.spec, batch);
    const choice = this.choice as KernelChoiceModel;
    const loss = choice.step(users, shown, labels);
    this.choiceParams = choice.getParams();
    return loss;
  }

  updateTarget(tau: number): void {
    if (tau === 1) this.kernel.view(this.targetWeights).set(this.kernel.view(this.weights));
    else this.kernel.fn.blend(this.targetWeights.address, this.weights.address, this.layout.size, tau, 1 - tau);
  }

  getWeights(): Float32Array {
    return this.online.getWeights();
  }

  getChoiceParams(): Float32Array | null {
    return this.choiceParams === null ? null : new Float32Array(this.choiceParams);
  }

  setChoiceParams(params: Float32Array): void {
    this.choice?.setParams(params);
    if (this.choiceParams !== null) this.choiceParams = new Float32Array(params);
  }

  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    const states: Record<string, OptimizerState> = { policy: this.optimizer.getState() };
    if (this.choice !== null) states.choiceModel = this.choice.getOptimizerState();
    return states;
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.policy !== undefined) this.optimizer.setState(states.policy);
    if (states.choiceModel !== undefined && this.choice !== null) this.choice.setOptimizerState(states.choiceModel);
  }

  /** Nothing to free: the kernel memory goes with the object. */
  dispose(): void {}

  /** The weights in `region`, read and written as one flat array. */
  private flatWeights(region: Region): FlatWeights {
    const size = this.layout.size;
    return {
      getWeights: () => this.kernel.view(region).slice(),
      setWeights: (weights) => {
        if (weights.length !== size)
          throw new RangeError(`setWeights: expected ${size} numbers for this SlateQ network, got ${weights.length}`);
        this.kernel.view(region).set(weights);
      },
    };
  }
}
