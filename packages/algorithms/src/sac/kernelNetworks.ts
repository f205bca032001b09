import {
  type ActorLayout,
  actorLayout,
  actorOutputs,
  DenseKernel,
  DenseStack,
  KernelAdam,
  type OptimizerState,
  type Region,
} from '@loomrl/core/internal';
import type { SACLearnerSettings, SacNetworkState } from './learner.js';
import type { SacNetworkSpec } from './networkSpec.js';
import type { SacWeights } from './networks.js';

/**
 * SAC's (and CQL's) networks on LoomRL's WebAssembly dense-net kernels, in one kernel memory: the
 * actor, the Q networks side by side in one region (one Adam with one global norm over both, as
 * tfjs's critic optimizer), their targets, and log α; the three Adam optimizers. Inputs are
 * gathered into kernel memory, every pass runs on up to `maxRows` rows and keeps what `backward`
 * needs; Q backward can also give the gradient w.r.t. the Q input (obs, action), through which
 * the actor loss reaches the actions.
 */
export class KernelSacNetworks implements SacNetworkState {
  readonly spec: SacNetworkSpec;
  readonly maxRows: number;
  readonly actorOptimizer: KernelAdam;
  readonly criticOptimizer: KernelAdam;
  readonly alphaOptimizer: KernelAdam;
  private readonly kernel: DenseKernel;
  private readonly actorLayout: ActorLayout;
  private readonly actorOutputs: number;
  private readonly actorWeights: Region;
  private readonly criticWeights: Region;
  private readonly targetWeights: Region;
  private readonly logAlphaWeight: Region;
  private readonly logAlphaGrad: Region;
  private readonly actorInput: Region;
  private readonly qInput: Region;
  private readonly qInputGrad: Region;
  private readonly actor: DenseStack;
  private readonly q: DenseStack[];
  private readonly qTarget: DenseStack[];

  /** Networks for `spec` set to `weights` (targets default to copies of the Q networks), for up to `maxRows` rows. */
  constructor(
    spec: SacNetworkSpec,
    weights: Omit<SacWeights, 'qTarget'> & { readonly qTarget?: readonly Float32Array[] },
    settings: SACLearnerSettings,
    maxRows: number,
  ) {
    this.spec = spec;
    this.maxRows = maxRows;
    const kernel = new DenseKernel();
    this.kernel = kernel;
    this.actorLayout = actorLayout(spec.actor);
    this.actorOutputs = actorOutputs(spec.actor);
    const critic = spec.critic;
    const count = spec.twinQ ? 2 : 1;
    this.actorWeights = kernel.alloc(this.actorLayout.size);
    const actorGrads = kernel.alloc(this.actorLayout.size);
    this.criticWeights = kernel.alloc(count * critic.size);
    const criticGrads = kernel.alloc(count * critic.size);
    this.targetWeights = kernel.alloc(count * critic.size);
    this.logAlphaWeight = kernel.alloc(1);
    this.logAlphaGrad = kernel.alloc(1);
    this.actorInput = kernel.alloc(maxRows * spec.actor.obsDim);
    this.qInput = kernel.alloc(maxRows * critic.inputs);
    this.qInputGrad = kernel.alloc(maxRows * critic.inputs);
    const nth = (region: Region, i: number): Region => ({ address: region.address + 4 * i * critic.size, length: critic.size });
    this.actor = new DenseStack(kernel, this.actorLayout.layers, this.actorWeights, actorGrads, spec.actor.activation, true, maxRows);
    const stack = (w: Region, g: Region | null) => new DenseStack(kernel, critic.layers, w, g, spec.criticActivation, true, maxRows);
    this.q = Array.from({ length: count }, (_, i) => stack(nth(this.criticWeights, i), nth(criticGrads, i)));
    this.qTarget = Array.from({ length: count }, (_, i) => stack(nth(this.targetWeights, i), null));
    const o = settings.optimization;
    const criticEntries = Array.from({ length: count }, (_, i) =>
      critic.entries.map((e) => ({ ...e, offset: e.offset + i * critic.size })),
    ).flat();
    const logAlphaEntry = { name: 'logAlpha', shape: [], offset: 0, size: 1, initScale: 0 };
    const adam = (w: Region, g: Region, entries: typeof criticEntries, lr: number) =>
      new KernelAdam(kernel, w, g, entries, lr, settings.gradClip, 1e-7);
    this.actorOptimizer = adam(this.actorWeights, actorGrads, [...this.actorLayout.entries], o.actorLearningRate);
    this.criticOptimizer = adam(this.criticWeights, criticGrads, criticEntries, o.criticLearningRate);
    this.alphaOptimizer = adam(this.logAlphaWeight, this.logAlphaGrad, [logAlphaEntry], o.entropyLearningRate);
    this.setWeights({ ...weights, qTarget: weights.qTarget ?? weights.q });
  }

  /** The Q networks' count (2 with `twinQ`). */
  get criticCount(): number {
    return this.q.length;
  }

  /** Distribution inputs of the actor on `rows` observations, copied into `out`; the pass `actorBackward` differentiates. */
  actorForward(obs: Float32Array, rows: number, out: Float32Array): Float32Array {
    const width = this.spec.actor.obsDim;
    this.kernel.view(this.actorInput, rows * width).set(obs.subarray(0, rows * width));
    return this.copyOut(this.actor.forward(this.actorInput.address, rows), rows * this.actorOutputs, out);
  }

  /** Back-propagates `dInputs` (w.r.t. the last actor pass's outputs) into the actor's gradients. */
  actorBackward(rows: number, dInputs: Float32Array): void {
    this.copyIn(dInputs, rows * this.actorOutputs, this.actor.outputGrad as Region);
    this.actor.backward(rows, null);
  }

  /** Sets the Q networks' input for `rows` rows: concat(obs, actions) (continuous), or obs (discrete: `actions` null). */
  setQInput(obs: Float32Array, actions: Float32Array | null, rows: number): void {
    const f32 = this.kernel.f32;
    const obsDim = this.spec.actor.obsDim;
    const width = this.spec.critic.inputs;
    const base = this.qInput.address / 4;
    const actionDim = width - obsDim;
    for (let r = 0; r < rows; r++) {
      f32.set(obs.subarray(r * obsDim, (r + 1) * obsDim), base + r * width);
      if (actions !== null) f32.set(actions.subarray(r * actionDim, (r + 1) * actionDim), base + r * width + obsDim);
    }
  }

  /** Q values (`rows × outputs`) of online or target network `i` on the current Q input, copied into `out`. */
  qForward(which: 'online' | 'target', i: number, rows: number, out: Float32Array): Float32Array {
    const net = (which === 'online' ? this.q : this.qTarget)[i] as DenseStack;
    return this.copyOut(net.forward(this.qInput.address, rows), rows * this.spec.critic.outputs, out);
  }

  /**
   * Back-propagates `dQ` (w.r.t. online network `i`'s last Q values) into the critics' gradients;
   * `inputGrad` also adds the gradient w.r.t. the Q input to `qInputGradient` (network 0 sets it).
   */
  qBackward(i: number, rows: number, dQ: Float32Array, inputGrad: boolean): void {
    const net = this.q[i] as DenseStack;
    this.copyIn(dQ, rows * this.spec.critic.outputs, net.outputGrad as Region);
    net.backward(rows, inputGrad ? this.qInputGrad.address : null, i > 0);
  }

  /** The gradient w.r.t. the Q input of the `qBackward` calls with `inputGrad` (a view, `rows × inputs`). */
  qInputGradient(rows: number): Float32Array {
    return this.kernel.view(this.qInputGrad, rows * this.spec.critic.inputs);
  }

  /** log α. */
  get logAlpha(): number {
    return this.kernel.f32[this.logAlphaWeight.address / 4] as number;
  }

  /** Sets the gradient of the α loss w.r.t. log α (what `alphaOptimizer` steps on). */
  setLogAlphaGradient(gradient: number): void {
    this.kernel.f32[this.logAlphaGrad.address / 4] = gradient;
  }

  updateTargets(tau: number): void {
    const size = this.targetWeights.length;
    if (tau === 1) this.kernel.view(this.targetWeights).set(this.kernel.view(this.criticWeights));
    else this.kernel.fn.blend(this.targetWeights.address, this.criticWeights.address, size, tau, 1 - tau);
  }

  getActorWeights(): Float32Array {
    return this.kernel.view(this.actorWeights).slice();
  }

  setActorWeights(weights: Float32Array): void {
    if (weights.length !== this.actorLayout.size)
      throw new RangeError(`setWeights: expected ${this.actorLayout.size} numbers for this actor, got ${weights.length}`);
    this.kernel.view(this.actorWeights).set(weights);
  }

  getWeights(): SacWeights {
    const size = this.spec.critic.size;
    const split = (region: Region) => this.q.map((_, i) => this.kernel.view(region).slice(i * size, (i + 1) * size));
    return { policy: this.getActorWeights(), q: split(this.criticWeights), qTarget: split(this.targetWeights), logAlpha: this.logAlpha };
  }

  setWeights(weights: SacWeights): void {
    this.setActorWeights(weights.policy);
    const size = this.spec.critic.size;
    const fill = (region: Region, sets: readonly Float32Array[]) =>
      sets.slice(0, this.q.length).forEach((w, i) => {
        if (w.length !== size) throw new RangeError(`setWeights: expected ${size} numbers for a Q network, got ${w.length}`);
        this.kernel.view(region).set(w, i * size);
      });
    fill(this.criticWeights, weights.q);
    fill(this.targetWeights, weights.qTarget);
    this.kernel.f32[this.logAlphaWeight.address / 4] = weights.logAlpha;
  }

  /** The optimizers' state (`actor`, `critic`, `alpha`), in `ClippedAdam`'s layout. */
  getOptimizerStates(): Record<string, OptimizerState> {
    return { actor: this.actorOptimizer.getState(), critic: this.criticOptimizer.getState(), alpha: this.alphaOptimizer.getState() };
  }

  /** Restores what `getOptimizerStates` (or the tfjs learner's) returned. */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): void {
    if (states.actor !== undefined) this.actorOptimizer.setState(states.actor);
    if (states.critic !== undefined) this.criticOptimizer.setState(states.critic);
    if (states.alpha !== undefined) this.alphaOptimizer.setState(states.alpha);
  }

  /** The same networks and optimizer state with room for `maxRows` rows. */
  resized(maxRows: number, settings: SACLearnerSettings): KernelSacNetworks {
    const nets = new KernelSacNetworks(this.spec, this.getWeights(), settings, maxRows);
    nets.setOptimizerStates(this.getOptimizerStates());
    return nets;
  }

  /** Nothing to free: the kernel memory goes with the object. */
  dispose(): void {}

  private copyOut(address: number, length: number, out: Float32Array): Float32Array {
    out.set(this.kernel.f32.subarray(address / 4, address / 4 + length));
    return out;
  }

  private copyIn(values: Float32Array, length: number, region: Region): void {
    this.kernel.f32.set(values.subarray(0, length), region.address / 4);
  }
}
