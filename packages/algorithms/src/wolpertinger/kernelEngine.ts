import type { SampleBatch } from '@loomrl/core';
import {
  DenseKernel,
  DenseStack,
  KernelAdam,
  type MlpLayout,
  nearestItems,
  normalizeRows as normalizeRowsInPlace,
  type OptimizerState,
  type Region,
  type WolpertingerSpec,
  wolpertingerActorLayout,
  wolpertingerCriticLayout,
} from '@loomrl/core/internal';
import {
  type WolpertingerLearner,
  type WolpertingerLearnerSettings,
  type WolpertingerTrainColumns,
  type WolpertingerUpdateStats,
  type WolpertingerWeightSet,
  type WolpertingerWeights,
  wolpertingerStates,
} from './learner.js';

/** Batch rows the passes are first sized for (they grow, doubling, for larger replayed batches). */
const INITIAL_ROWS = 64;
const f32 = Math.fround;

/** The online or target networks' weights in kernel memory: actor, then critic and the raw embeddings side by side (one Adam). */
interface Weights {
  readonly actor: Region;
  readonly criticAndEmbeddings: Region;
}

/**
 * The passes for up to `maxRows` rows: the online actor and critic (with gradients), the target
 * actor and the target critic (on the k candidates of every row), and their input regions.
 */
interface Passes {
  readonly maxRows: number;
  readonly actor: DenseStack;
  readonly critic: DenseStack;
  readonly targetActor: DenseStack;
  readonly targetCritic: DenseStack;
  readonly actorInput: Region;
  readonly criticInput: Region;
  readonly criticInputGrad: Region;
  readonly targetCriticInput: Region;
}

/**
 * Rows of `width` numbers scaled to unit L2 norm as tfjs's `x / sqrt(Σx² + 1e-12)` (in float32),
 * into `out`; returns each row's norm.
 */
function normalizeRows(x: Float32Array, rows: number, width: number, out: Float32Array, at: (r: number) => number): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = at(r);
    let sum = 0;
    for (let j = 0; j < width; j++) sum += (x[base + j] as number) ** 2;
    const norm = f32(Math.sqrt(f32(sum + 1e-12)));
    norms[r] = norm;
    for (let j = 0; j < width; j++) out[r * width + j] = (x[base + j] as number) / norm;
  }
  return norms;
}

/**
 * Back through `x / n(x)`: `dx_j = dy_j / n − x_j (x·dy) / n³` for one row of `width` at `x[base]`,
 * added (or written) to `dx[dxAt]`.
 */
function normalizeBackward(
  x: Float32Array,
  base: number,
  norm: number,
  dy: Float32Array,
  dyAt: number,
  width: number,
  dx: Float32Array,
  dxAt: number,
  add: boolean,
): void {
  let dot = 0;
  for (let j = 0; j < width; j++) dot += (x[base + j] as number) * (dy[dyAt + j] as number);
  const n3 = norm * norm * norm;
  for (let j = 0; j < width; j++) {
    const g = (dy[dyAt + j] as number) / norm - ((x[base + j] as number) * dot) / n3;
    dx[dxAt + j] = add ? (dx[dxAt + j] as number) + g : g;
  }
}

/**
 * Wolpertinger's updates (see `WolpertingerLearner`) on LoomRL's WebAssembly dense-net kernels:
 * actor and critic are `DenseStack`s; the critic's step reaches the item embeddings through the
 * critic's input gradient and the L2 normalisation (in JS), and one `KernelAdam` steps critic and
 * embeddings under one global norm, as tfjs's `ClippedAdam` over the same variables; the actor's
 * step reaches the actor through the (just updated) critic's input gradient. The targets are the
 * target networks' policy's (`wolpertingerTdTargets`), batched on the kernels.
 */
export class KernelWolpertingerEngine implements WolpertingerLearner {
  readonly spec: WolpertingerSpec;
  readonly online: WolpertingerWeightSet;
  readonly target: WolpertingerWeightSet;
  private readonly settings: WolpertingerLearnerSettings;
  private readonly kernel: DenseKernel;
  private readonly layouts: { readonly actor: MlpLayout; readonly critic: MlpLayout };
  /** The target embeddings, L2-normalised (what the target policy's kNN searches). */
  private targetItems: Float32Array;
  private readonly onlineWeights: Weights;
  private readonly targetWeights: Weights;
  private readonly actorGrads: Region;
  private readonly criticGrads: Region;
  private readonly criticOptimizer: KernelAdam;
  private readonly actorOptimizer: KernelAdam;
  private passes: Passes;

  /** A learner whose online and target networks start from `weights`. */
  constructor(spec: WolpertingerSpec, weights: WolpertingerWeights, settings: WolpertingerLearnerSettings) {
    this.spec = spec;
    this.settings = settings;
    const actorLayout = wolpertingerActorLayout(spec);
    const criticLayout = wolpertingerCriticLayout(spec);
    this.layouts = { actor: actorLayout, critic: criticLayout };
    this.targetItems = new Float32Array(0);
    const kernel = new DenseKernel();
    this.kernel = kernel;
    const embeddingSize = spec.numItems * spec.embeddingDim;
    const alloc = (): Weights => ({
      actor: kernel.alloc(actorLayout.size),
      criticAndEmbeddings: kernel.alloc(criticLayout.size + embeddingSize),
    });
    this.onlineWeights = alloc();
    this.targetWeights = alloc();
    this.actorGrads = kernel.alloc(actorLayout.size);
    this.criticGrads = kernel.alloc(criticLayout.size + embeddingSize);
    const embeddingEntry = {
      name: 'embeddings',
      shape: [spec.numItems, spec.embeddingDim],
      offset: criticLayout.size,
      size: embeddingSize,
      initScale: 0,
    };
    this.criticOptimizer = new KernelAdam(
      kernel,
      this.onlineWeights.criticAndEmbeddings,
      this.criticGrads,
      [...criticLayout.entries, embeddingEntry],
      settings.criticLr,
      settings.gradClip,
    );
    this.actorOptimizer = new KernelAdam(
      kernel,
      this.onlineWeights.actor,
      this.actorGrads,
      actorLayout.entries,
      settings.actorLr,
      settings.gradClip,
    );
    this.online = this.weightSet(this.onlineWeights);
    const targetSet = this.weightSet(this.targetWeights);
    this.target = targetSet;
    this.online.set(weights);
    this.setTargets(weights);
    this.passes = this.buildPasses(INITIAL_ROWS);
  }

  private buildPasses(maxRows: number): Passes {
    const kernel = this.kernel;
    const { actor, critic } = this.layouts;
    const { stateDim, embeddingDim } = this.spec;
    const candidates = maxRows * this.candidateCount;
    const [w, t] = [this.onlineWeights, this.targetWeights];
    return {
      maxRows,
      actor: new DenseStack(kernel, actor.layers, w.actor, this.actorGrads, 'relu', true, maxRows),
      critic: new DenseStack(kernel, critic.layers, w.criticAndEmbeddings, this.criticGrads, 'relu', true, maxRows),
      targetActor: new DenseStack(kernel, actor.layers, t.actor, null, 'relu', true, maxRows),
      targetCritic: new DenseStack(kernel, critic.layers, t.criticAndEmbeddings, null, 'relu', true, candidates),
      actorInput: kernel.alloc(maxRows * stateDim),
      criticInput: kernel.alloc(maxRows * (stateDim + embeddingDim)),
      criticInputGrad: kernel.alloc(maxRows * (stateDim + embeddingDim)),
      targetCriticInput: kernel.alloc(candidates * (stateDim + embeddingDim)),
    };
  }

  /** The target policy's kNN candidates per row (k, at most every item). */
  private get candidateCount(): number {
    return Math.max(1, Math.min(this.settings.k, this.spec.numItems));
  }

  private passesFor(rows: number): Passes {
    if (rows > this.passes.maxRows) this.passes = this.buildPasses(Math.max(rows, 2 * this.passes.maxRows));
    return this.passes;
  }

  /**
   * The TD targets, as the target networks' plain-JS policy gives them (`wolpertingerTdTargets`),
   * batched: the target actor on every next state, kNN among the normalised target embeddings in
   * JS, the target critic on all rows' k candidates in one pass, the best candidate's Q.
   */
  tdTargets(batch: SampleBatch<WolpertingerTrainColumns>): Float32Array {
    const rows = batch.count;
    const passes = this.passesFor(rows);
    const c = batch.columns;
    const { stateDim, embeddingDim: E } = this.spec;
    const width = stateDim + E;
    const k = this.candidateCount;
    const states = wolpertingerStates(this.spec, c.nextObs, rows);
    this.kernel.view(passes.actorInput, rows * stateDim).set(states);
    const proto = this.copy(passes.targetActor.forward(passes.actorInput.address, rows), rows * E);
    normalizeRowsInPlace(proto, E);
    const input = this.kernel.view(passes.targetCriticInput, rows * k * width);
    const chosen = new Int32Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const items = nearestItems(proto.subarray(r * E, (r + 1) * E), this.targetItems, E, k);
      for (let i = 0; i < k; i++) {
        const item = items[i] as number;
        chosen[r * k + i] = item;
        input.set(states.subarray(r * stateDim, (r + 1) * stateDim), (r * k + i) * width);
        input.set(this.targetItems.subarray(item * E, (item + 1) * E), (r * k + i) * width + stateDim);
      }
    }
    const q = this.copy(passes.targetCritic.forward(passes.targetCriticInput.address, rows * k), rows * k);
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = q[r * k] as number;
      for (let i = 1; i < k; i++) best = Math.max(best, q[r * k + i] as number);
      out[r] = (c.rewards[r] as number) + this.settings.gamma * (c.terminateds[r] === 1 ? 0 : best);
    }
    return out;
  }

  update(batch: SampleBatch<WolpertingerTrainColumns>): WolpertingerUpdateStats {
    const rows = batch.count;
    const passes = this.passesFor(rows);
    const { stateDim, embeddingDim: E } = this.spec;
    const width = stateDim + E;
    const criticSize = this.layouts.critic.size;
    const targets = this.tdTargets(batch);
    const states = wolpertingerStates(this.spec, batch.columns.obs, rows);
    const actions = batch.columns.actions;
    // The critic on (s, ê_a): mean (Q − y)², into the critic and (through ê's normalisation) the embeddings.
    const embeddings = this.kernel.view(this.onlineWeights.criticAndEmbeddings).subarray(criticSize);
    const items = new Float32Array(rows * E);
    const itemNorms = normalizeRows(embeddings, rows, E, items, (r) => (actions[r] as number) * E);
    this.setCriticInput(passes, states, items, rows);
    const q = this.copy(passes.critic.forward(passes.criticInput.address, rows), rows);
    let criticLoss = 0;
    let meanQ = 0;
    const dq = this.kernel.view(passes.critic.outputGrad as Region, rows);
    for (let r = 0; r < rows; r++) {
      const td = f32((q[r] as number) - (targets[r] as number));
      criticLoss += td * td;
      meanQ += q[r] as number;
      dq[r] = (2 * td) / rows;
    }
    passes.critic.backward(rows, passes.criticInputGrad.address);
    const inputGrad = this.kernel.view(passes.criticInputGrad, rows * width);
    const embeddingGrads = this.kernel.view(this.criticGrads).subarray(criticSize);
    embeddingGrads.fill(0);
    const weightsNow = this.kernel.view(this.onlineWeights.criticAndEmbeddings).subarray(criticSize);
    for (let r = 0; r < rows; r++) {
      const item = (actions[r] as number) * E;
      normalizeBackward(weightsNow, item, itemNorms[r] as number, inputGrad, r * width + stateDim, E, embeddingGrads, item, true);
    }
    this.criticOptimizer.step();
    // The actor against the updated critic: −mean Q(s, π̂(s)).
    this.kernel.view(passes.actorInput, rows * stateDim).set(states);
    const proto = this.copy(passes.actor.forward(passes.actorInput.address, rows), rows * E);
    const protoHat = new Float32Array(rows * E);
    const protoNorms = normalizeRows(proto, rows, E, protoHat, (r) => r * E);
    this.setCriticInput(passes, states, protoHat, rows);
    const qActor = this.copy(passes.critic.forward(passes.criticInput.address, rows), rows);
    let actorLoss = 0;
    for (let r = 0; r < rows; r++) actorLoss -= qActor[r] as number;
    this.kernel.view(passes.critic.outputGrad as Region, rows).fill(-1 / rows);
    passes.critic.backward(rows, passes.criticInputGrad.address);
    const dProtoHat = this.kernel.view(passes.criticInputGrad, rows * width);
    const dProto = this.kernel.view(passes.actor.outputGrad as Region, rows * E);
    for (let r = 0; r < rows; r++)
      normalizeBackward(proto, r * E, protoNorms[r] as number, dProtoHat, r * width + stateDim, E, dProto, r * E, false);
    passes.actor.backward(rows, null);
    this.actorOptimizer.step();
    return {
      criticLoss: criticLoss / rows,
      actorLoss: actorLoss / rows,
      meanQ: meanQ / rows,
      meanTarget: targets.reduce((a, b) => a + b, 0) / rows,
      curLr: this.settings.criticLr,
    };
  }

  /** The critic's input concat(s, item) for `rows` rows. */
  private setCriticInput(passes: Passes, states: Float32Array, items: Float32Array, rows: number): void {
    const { stateDim, embeddingDim: E } = this.spec;
    const input = this.kernel.view(passes.criticInput, rows * (stateDim + E));
    for (let r = 0; r < rows; r++) {
      input.set(states.subarray(r * stateDim, (r + 1) * stateDim), r * (stateDim + E));
      input.set(items.subarray(r * E, (r + 1) * E), r * (stateDim + E) + stateDim);
    }
  }

  private copy(address: number, length: number): Float32Array {
    return this.kernel.f32.slice(address / 4, address / 4 + length);
  }

  updateTargets(tau: number): void {
    const fn = this.kernel.fn;
    for (const key of ['actor', 'criticAndEmbeddings'] as const) {
      const [target, source] = [this.targetWeights[key], this.onlineWeights[key]];
      if (tau === 1) this.kernel.view(target).set(this.kernel.view(source));
      else fn.blend(target.address, source.address, target.length, tau, 1 - tau);
    }
    this.targetItems = normalizeRowsInPlace(this.target.get().embeddings, this.spec.embeddingDim);
  }

  setTargets(weights: WolpertingerWeights): void {
    this.target.set(weights);
    this.targetItems = normalizeRowsInPlace(new Float32Array(weights.embeddings), this.spec.embeddingDim);
  }

  async getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return { critic: this.criticOptimizer.getState(), actor: this.actorOptimizer.getState() };
  }

  async setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    if (states.critic !== undefined) this.criticOptimizer.setState(states.critic);
    if (states.actor !== undefined) this.actorOptimizer.setState(states.actor);
  }

  /** Nothing to free: the kernel memory goes with the object. */
  dispose(): void {}

  /** The weights in `regions`, read and written as the three weight sets. */
  private weightSet(regions: Weights): WolpertingerWeightSet {
    const criticSize = this.layouts.critic.size;
    const sizes = { actor: regions.actor.length, critic: criticSize, embeddings: regions.criticAndEmbeddings.length - criticSize };
    return {
      get: () => {
        const both = this.kernel.view(regions.criticAndEmbeddings);
        return { actor: this.kernel.view(regions.actor).slice(), critic: both.slice(0, criticSize), embeddings: both.slice(criticSize) };
      },
      set: (weights) => {
        for (const key of ['actor', 'critic', 'embeddings'] as const) {
          if (weights[key].length !== sizes[key])
            throw new RangeError(`setWeights: expected ${sizes[key]} numbers for this Wolpertinger ${key}, got ${weights[key].length}`);
        }
        this.kernel.view(regions.actor).set(weights.actor);
        const both = this.kernel.view(regions.criticAndEmbeddings);
        both.set(weights.critic);
        both.set(weights.embeddings, criticSize);
      },
    };
  }
}
