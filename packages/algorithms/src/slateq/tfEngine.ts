import type { SampleBatch } from '@loomrl/core';
import {
  choiceParameterLayout,
  type DenseLayer,
  noClickInputDim,
  noClickInputs,
  type OptimizerState,
  type SlateQNetworkLayout,
  type SlateQNetworkSpec,
  slateQInputDim,
  slateQInputs,
  slateQNetworkLayout,
} from '@loomrl/core/internal';
import { ClippedAdam, TfWeights, tf } from '@loomrl/core/tf';
import {
  choiceModelInputs,
  clickLabels,
  idleUpdate,
  type SlateQEngineInit,
  type SlateQLearner,
  type SlateQTrainColumns,
  type SlateQUpdate,
  slateQUpdateStats,
  slateTdTargets,
} from './learner.js';

/** The learned choice model's variables: W (user × doc), w (doc), position bias (S), no-click logit. */
class ChoiceModelVariables {
  readonly bilinear: tf.Variable | null;
  readonly linear: tf.Variable;
  readonly positionBias: tf.Variable;
  readonly noClick: tf.Variable;
  readonly optimizer: ClippedAdam;

  constructor(
    private readonly spec: SlateQNetworkSpec,
    params: Float32Array,
    lr: number,
  ) {
    const { userDim: U, docDim: D } = spec.layout;
    const at = choiceParameterLayout(spec.layout);
    this.bilinear = U > 0 ? tf.variable(tf.tensor2d(params.subarray(at.bilinear, at.linear), [U, D])) : null;
    this.linear = tf.variable(tf.tensor1d(params.subarray(at.linear, at.positionBias)));
    this.positionBias = tf.variable(tf.tensor1d(params.subarray(at.positionBias, at.noClick)));
    this.noClick = tf.variable(tf.tensor1d(params.subarray(at.noClick, at.noClick + 1)));
    this.optimizer = new ClippedAdam(this.variables, lr, null);
  }

  get variables(): tf.Variable[] {
    return [...(this.bilinear === null ? [] : [this.bilinear]), this.linear, this.positionBias, this.noClick];
  }

  /** The flat `choiceModel` tensor the module acts with. */
  getParams(): Float32Array {
    const at = choiceParameterLayout(this.spec.layout);
    const out = new Float32Array(at.size);
    if (this.bilinear !== null) out.set(this.bilinear.dataSync() as Float32Array, at.bilinear);
    out.set(this.linear.dataSync() as Float32Array, at.linear);
    out.set(this.positionBias.dataSync() as Float32Array, at.positionBias);
    out.set(this.noClick.dataSync() as Float32Array, at.noClick);
    return out;
  }

  /** Assigns every variable from the flat tensor. */
  setParams(params: Float32Array): void {
    const at = choiceParameterLayout(this.spec.layout);
    tf.tidy(() => {
      this.bilinear?.assign(tf.tensor(params.subarray(at.bilinear, at.linear), this.bilinear.shape));
      this.linear.assign(tf.tensor1d(params.subarray(at.linear, at.positionBias)));
      this.positionBias.assign(tf.tensor1d(params.subarray(at.positionBias, at.noClick)));
      this.noClick.assign(tf.tensor1d(params.subarray(at.noClick, at.noClick + 1)));
    });
  }

  /**
   * One Adam step on the cross-entropy of the observed choice (the clicked position, or no click =
   * index S) under logits `userᵀW·doc + w·doc + bias_p` of the shown documents and the no-click logit.
   */
  step(users: Float32Array, shownDocs: Float32Array, labels: Int32Array): number {
    const { userDim: U, docDim: D, slateSize: S } = this.spec.layout;
    const rows = labels.length;
    let loss = 0;
    tf.tidy(() => {
      const docs = tf.tensor3d(shownDocs, [rows, S, D]);
      const user = U > 0 ? tf.tensor2d(users, [rows, U]) : null;
      const target = tf.oneHot(tf.tensor1d(labels, 'int32'), S + 1);
      this.optimizer.step(() => {
        let coefficients: tf.Tensor = tf.reshape(this.linear, [1, 1, D]);
        if (user !== null && this.bilinear !== null) coefficients = tf.add(coefficients, tf.expandDims(tf.matMul(user, this.bilinear), 1));
        const itemLogits = tf.add(tf.sum(tf.mul(docs, coefficients), 2), tf.reshape(this.positionBias, [1, S]));
        const logits = tf.concat([itemLogits, tf.tile(tf.reshape(this.noClick, [1, 1]), [rows, 1])], 1);
        const value = tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
        loss = value.dataSync()[0] ?? Number.NaN;
        return value;
      });
    });
    return loss;
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const v of this.variables) v.dispose();
  }
}

/**
 * Runs tower inputs grouped by tower, `[G, M, in]` (G towers, M rows each), through `towers` (one
 * list of dense layers per group, all of one shape) as batched matmuls; returns `[G, M]` (call
 * inside `tf.tidy` or a gradient function).
 */
function towerForward(weights: TfWeights, towers: readonly (readonly DenseLayer[])[], inputs: tf.Tensor3D): tf.Tensor2D {
  const layerCount = (towers[0] as readonly DenseLayer[]).length;
  const [groups, rows] = inputs.shape;
  let x: tf.Tensor3D = inputs;
  for (let l = 0; l < layerCount; l++) {
    const layers = towers.map((tower) => tower[l] as DenseLayer);
    const stack = (name: (layer: DenseLayer) => string) => tf.stack(layers.map((layer) => weights.get(name(layer))));
    const kernel = stack((layer) => layer.kernel.name) as tf.Tensor3D;
    const bias = tf.expandDims(
      stack((layer) => layer.bias.name),
      1,
    );
    x = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor3D;
    if (l < layerCount - 1) x = tf.relu(x);
  }
  return tf.reshape(x, [groups, rows]) as tf.Tensor2D;
}

/** Q of every candidate, `[rows, C]`, from `rows` observations' tower inputs (`slateQInputs` order). */
export function allItemQ(
  spec: SlateQNetworkSpec,
  layout: SlateQNetworkLayout,
  weights: TfWeights,
  inputs: Float32Array,
  rows: number,
): tf.Tensor2D {
  const C = spec.layout.numCandidates;
  const width = slateQInputDim(spec);
  if (spec.towers === 'shared')
    return tf.reshape(towerForward(weights, layout.towers, tf.tensor3d(inputs, [1, rows * C, width])), [rows, C]);
  return tf.transpose(towerForward(weights, layout.towers, tf.tensor3d(inputs, [C, rows, width]))) as tf.Tensor2D;
}

/** Q(s, ⊥) of `rows` observations, `[rows]`, from their no-click tower inputs (`noClickInputs` order). */
export function noClickQ(
  spec: SlateQNetworkSpec,
  layout: SlateQNetworkLayout,
  weights: TfWeights,
  inputs: Float32Array,
  rows: number,
): tf.Tensor1D {
  const tower = layout.noClick as readonly DenseLayer[];
  return tf.reshape(towerForward(weights, [tower], tf.tensor3d(inputs, [1, rows, noClickInputDim(spec)])), [rows]) as tf.Tensor1D;
}

/**
 * The clicked documents' tower inputs grouped by tower, `[G, M, in]`: one group per candidate tower
 * (every tower takes part, so every variable gets a gradient), or one group when shared; groups
 * are padded to the largest one. `gather` names each clicked row's slot in the flat `[G·M]` result.
 */
interface ClickedInputs {
  readonly inputs: Float32Array;
  readonly groups: number;
  readonly perGroup: number;
  /** For each clicked row in batch order, its slot in the flat `[G·M]` output. */
  readonly gather: Int32Array;
  /** The batch rows with a click, in batch order. */
  readonly rows: Int32Array;
}

function clickedInputs(spec: SlateQNetworkSpec, obs: Float32Array, clickedCandidate: Int32Array): ClickedInputs {
  const { layout } = spec;
  const width = slateQInputDim(spec);
  const groups = spec.towers === 'shared' ? 1 : layout.numCandidates;
  const rows = Int32Array.from(Array.from(clickedCandidate).flatMap((k, r) => (k >= 0 ? [r] : [])));
  const groupOf = (r: number) => (groups === 1 ? 0 : (clickedCandidate[r] as number));
  const counts = new Int32Array(groups);
  const slots = Array.from(rows, (r) => {
    const g = groupOf(r);
    counts[g] = (counts[g] as number) + 1;
    return g * rows.length + (counts[g] as number) - 1;
  });
  // At least one (zero-weight) row per group, so every tower takes part in the gradient.
  const perGroup = Math.max(1, ...counts);
  const inputs = new Float32Array(groups * perGroup * width);
  const gather = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const g = groupOf(r);
    const j = (slots[i] as number) - g * rows.length;
    const at = (g * perGroup + j) * width;
    const base = r * layout.obsDim;
    inputs.set(obs.subarray(base + layout.userOffset, base + layout.userOffset + layout.userDim), at);
    const doc = base + layout.docOffset + (clickedCandidate[r] as number) * layout.docDim;
    inputs.set(obs.subarray(doc, doc + layout.docDim), at + layout.userDim);
    gather[i] = g * perGroup + j;
  });
  return { inputs, groups, perGroup, gather, rows };
}

/**
 * SlateQ's updates (see `SlateQLearner`) in TensorFlow.js ops on the active backend: the clicked
 * documents' towers as batched matmuls, the TD loss, `ClippedAdam`.
 */
export class TfSlateQEngine implements SlateQLearner {
  readonly spec: SlateQNetworkSpec;
  readonly layout: SlateQNetworkLayout;
  readonly online: TfWeights;
  readonly target: TfWeights;
  private readonly optimizer: ClippedAdam;
  private readonly init: SlateQEngineInit;
  private readonly choice: ChoiceModelVariables | null;
  private choiceParams: Float32Array | null;

  /** A learner whose online and target towers start from `init.weights` (and the learned choice model from `init.choiceParams`). */
  constructor(init: SlateQEngineInit) {
    const { spec, weights, choiceParams, settings } = init;
    this.spec = spec;
    this.init = init;
    this.layout = slateQNetworkLayout(spec);
    this.online = new TfWeights(this.layout, weights);
    this.target = new TfWeights(this.layout, weights, false);
    this.optimizer = new ClippedAdam(this.online.variables, settings.lr, settings.gradClip, settings.adamEpsilon);
    this.choice = choiceParams === null ? null : new ChoiceModelVariables(spec, choiceParams, settings.lrChoiceModel);
    this.choiceParams = choiceParams === null ? null : new Float32Array(choiceParams);
  }

  tdTargets(batch: SampleBatch<SlateQTrainColumns>): Float32Array {
    const c = batch.columns;
    const rows = batch.count;
    const C = this.spec.layout.numCandidates;
    const valuesOf = this.init.settings.targetQFromCurrentObs ? c.obs : c.nextObs;
    const inputs = new Float32Array(rows * C * slateQInputDim(this.spec));
    slateQInputs(this.spec, valuesOf, rows, inputs);
    const q = tf.tidy(() => allItemQ(this.spec, this.layout, this.target, inputs, rows).dataSync() as Float32Array);
    let noClick: Float32Array = new Float32Array(rows);
    if (this.spec.noClickTower) {
      const noClickIn = new Float32Array(rows * noClickInputDim(this.spec));
      noClickInputs(this.spec, valuesOf, rows, noClickIn);
      noClick = tf.tidy(() => noClickQ(this.spec, this.layout, this.target, noClickIn, rows).dataSync() as Float32Array);
    }
    return slateTdTargets({ ...this.init, choiceParams: this.choiceParams }, batch, q, noClick);
  }

  update(batch: SampleBatch<SlateQTrainColumns>, lr: number): SlateQUpdate {
    this.optimizer.learningRate = lr;
    const settings = this.init.settings;
    const c = batch.columns;
    const rows = batch.count;
    const { layout } = this.spec;
    const { clickedCandidate, labels, idle } = clickLabels(this.spec, batch);
    const choiceModelLoss = this.choice === null ? {} : { choiceModelLoss: this.stepChoiceModel(batch, labels) };
    const clicked = clickedInputs(this.spec, c.obs, clickedCandidate);
    const numClicked = clicked.rows.length;
    const base = { curLr: lr, clickFraction: numClicked / rows, ...choiceModelLoss };
    const withNoClick = this.spec.noClickTower;
    if (numClicked === 0 && !withNoClick) return idleUpdate(base, rows);
    const tdErrors = new Float32Array(rows);
    const allTargets = this.tdTargets(batch);
    // Targets and importance weights in the padded layouts of the tower outputs (padding has weight 0).
    const itemSlots = slotArrays(clicked.groups * clicked.perGroup, clicked.rows, clicked.gather, allTargets, c.weights);
    const idleSlots = slotArrays(
      Math.max(1, idle.length),
      idle,
      Int32Array.from(idle, (_, i) => i),
      allTargets,
      c.weights,
    );
    const idleInputs = new Float32Array(Math.max(1, idle.length) * noClickInputDim(this.spec));
    idle.forEach((r, i) => {
      const user = r * layout.obsDim + layout.userOffset;
      idleInputs.set(c.obs.subarray(user, user + layout.userDim), i * (layout.userDim + 1));
      idleInputs[i * (layout.userDim + 1) + layout.userDim] = 1;
    });
    const width = slateQInputDim(this.spec);
    const collected: tf.Tensor[] = [];
    let gradGnorm = Number.NaN;
    tf.tidy(() => {
      const inputs = tf.tensor3d(clicked.inputs, [clicked.groups, clicked.perGroup, width]);
      const [itemTarget, itemWeight, idleTarget, idleWeight] = [
        itemSlots.targets,
        itemSlots.weights,
        idleSlots.targets,
        idleSlots.weights,
      ].map((a) => tf.tensor1d(a)) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const squared = (td: tf.Tensor) => (settings.useHuber ? huber(td, settings.huberThreshold) : tf.square(td));
      gradGnorm = this.optimizer.step(() => {
        const q = tf.reshape(towerForward(this.online, this.layout.towers, inputs), [-1]);
        const td = tf.sub(q, itemTarget);
        let total = tf.sum(tf.mul(itemWeight, squared(td)));
        collected.push(tf.keep(td), tf.keep(q));
        if (withNoClick) {
          const tdIdle = tf.sub(noClickQ(this.spec, this.layout, this.online, idleInputs, Math.max(1, idle.length)), idleTarget);
          total = tf.add(total, tf.sum(tf.mul(idleWeight, squared(tdIdle))));
          collected.push(tf.keep(tdIdle));
        }
        // The mean over the whole batch (without a no-click value, rows without a click add a TD error of 0).
        const loss = tf.div(total, rows) as tf.Scalar;
        collected.unshift(tf.keep(tf.clone(loss)));
        return loss;
      });
    });
    const [loss, td, q, tdIdle] = collected as [tf.Scalar, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D | undefined];
    const tdSlots = td.dataSync() as Float32Array;
    const qSlots = q.dataSync() as Float32Array;
    const qClicked = Array.from(clicked.gather, (slot) => qSlots[slot] as number);
    clicked.rows.forEach((r, i) => {
      tdErrors[r] = tdSlots[clicked.gather[i] as number] as number;
    });
    if (tdIdle !== undefined) {
      const values = tdIdle.dataSync();
      idle.forEach((r, i) => {
        tdErrors[r] = values[i] as number;
      });
    }
    const targetsClicked = Array.from(clicked.rows, (r) => allTargets[r] as number);
    const stats = slateQUpdateStats(base, loss.dataSync()[0] ?? Number.NaN, qClicked, targetsClicked, tdErrors, gradGnorm);
    tf.dispose(collected);
    return { stats, tdErrors };
  }

  private stepChoiceModel(batch: SampleBatch<SlateQTrainColumns>, labels: Int32Array): number {
    const { users, shown } = choiceModelInputs(this.spec, batch);
    const choice = this.choice as ChoiceModelVariables;
    const loss = choice.step(users, shown, labels);
    this.choiceParams = choice.getParams();
    return loss;
  }

  updateTarget(tau: number): void {
    this.target.assignFrom(this.online, tau);
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
    const states: Record<string, OptimizerState> = { policy: await this.optimizer.getState() };
    if (this.choice !== null) states.choiceModel = await this.choice.optimizer.getState();
    return states;
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.policy !== undefined) await this.optimizer.setState(states.policy);
    if (states.choiceModel !== undefined && this.choice !== null) await this.choice.optimizer.setState(states.choiceModel);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.online.dispose();
    this.target.dispose();
    this.choice?.dispose();
  }
}

/** Per-slot targets and importance weights: `rows[i]`'s values at slot `slotOf[i]`, zeros elsewhere. */
function slotArrays(
  slots: number,
  rows: Int32Array,
  slotOf: Int32Array,
  targets: Float32Array,
  weights: Float32Array,
): { targets: Float32Array; weights: Float32Array } {
  const out = { targets: new Float32Array(slots), weights: new Float32Array(slots) };
  rows.forEach((r, i) => {
    const slot = slotOf[i] as number;
    out.targets[slot] = targets[r] as number;
    out.weights[slot] = weights[r] as number;
  });
  return out;
}

/** Huber loss with threshold δ: ½x² for |x| ≤ δ, δ(|x| − ½δ) beyond. */
function huber(x: tf.Tensor, delta: number): tf.Tensor {
  const abs = tf.abs(x);
  const quadratic = tf.minimum(abs, delta);
  return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, tf.sub(abs, quadratic)));
}
