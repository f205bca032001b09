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
import type { CRREngineInit, CRRWeights } from './learner.js';

/** Which copy of a network a pass runs on. */
export type CrrNet = 'online' | 'target';

/**
 * CRR's networks on LoomRL's WebAssembly dense-net kernels, in one kernel memory: the actor and
 * its target, the Q networks side by side in one region (one Adam with one global norm over both,
 * as tfjs's critic optimizer) and their targets, with Adam (ε = 1e-8, as `TfCRREngine`) for the
 * actor and for the critics. Online and target passes read separate input regions, so a target
 * pass leaves what the online networks' `backward` needs.
 */
export class KernelCrrNetworks {
  readonly actorOptimizer: KernelAdam;
  readonly criticOptimizer: KernelAdam;
  readonly criticCount: number;
  private readonly init: CRREngineInit;
  private readonly kernel: DenseKernel;
  private readonly actorLayout: ActorLayout;
  private readonly outputs: number;
  private readonly actorWeights: Region;
  private readonly actorTargetWeights: Region;
  private readonly criticWeights: Region;
  private readonly criticTargetWeights: Region;
  private readonly actorInput: Record<CrrNet, Region>;
  private readonly qInput: Record<CrrNet, Region>;
  private readonly actor: Record<CrrNet, DenseStack>;
  private readonly q: Record<CrrNet, DenseStack[]>;

  /** Networks for `init` (targets copies of the online weights), for up to `init.maxRows` rows. */
  constructor(init: CRREngineInit) {
    this.init = init;
    const { spec, critic, settings, maxRows } = init;
    const kernel = new DenseKernel();
    this.kernel = kernel;
    this.actorLayout = actorLayout(spec);
    this.outputs = actorOutputs(spec);
    const count = init.weights.q.length;
    this.criticCount = count;
    this.actorWeights = kernel.alloc(this.actorLayout.size);
    const actorGrads = kernel.alloc(this.actorLayout.size);
    this.actorTargetWeights = kernel.alloc(this.actorLayout.size);
    this.criticWeights = kernel.alloc(count * critic.size);
    const criticGrads = kernel.alloc(count * critic.size);
    this.criticTargetWeights = kernel.alloc(count * critic.size);
    const both = (size: number): Record<CrrNet, Region> => ({ online: kernel.alloc(size), target: kernel.alloc(size) });
    this.actorInput = both(maxRows * spec.obsDim);
    this.qInput = both(maxRows * critic.inputs);
    const actorStack = (w: Region, g: Region | null) =>
      new DenseStack(kernel, this.actorLayout.layers, w, g, spec.activation, true, maxRows);
    this.actor = { online: actorStack(this.actorWeights, actorGrads), target: actorStack(this.actorTargetWeights, null) };
    const nth = (region: Region, i: number): Region => ({ address: region.address + 4 * i * critic.size, length: critic.size });
    const qStack = (w: Region, g: Region | null) =>
      new DenseStack(kernel, critic.layers, w, g, settings.criticHiddenActivation, true, maxRows);
    this.q = {
      online: Array.from({ length: count }, (_, i) => qStack(nth(this.criticWeights, i), nth(criticGrads, i))),
      target: Array.from({ length: count }, (_, i) => qStack(nth(this.criticTargetWeights, i), null)),
    };
    const criticEntries = Array.from({ length: count }, (_, i) =>
      critic.entries.map((e) => ({ ...e, offset: e.offset + i * critic.size })),
    ).flat();
    this.actorOptimizer = new KernelAdam(
      kernel,
      this.actorWeights,
      actorGrads,
      this.actorLayout.entries,
      settings.actorLr,
      settings.gradClip,
      1e-8,
    );
    this.criticOptimizer = new KernelAdam(
      kernel,
      this.criticWeights,
      criticGrads,
      criticEntries,
      settings.criticLr,
      settings.gradClip,
      1e-8,
    );
    const { policy, q } = init.weights;
    this.setWeights({ policy, q, policyTarget: policy, qTarget: q });
  }

  /** Distribution inputs (`rows × outputs`) of actor `which` on `rows` observations, copied into `out`. */
  actorForward(which: CrrNet, obs: Float32Array, rows: number, out: Float32Array): Float32Array {
    const width = this.init.spec.obsDim;
    const input = this.actorInput[which];
    this.kernel.view(input, rows * width).set(obs.subarray(0, rows * width));
    return this.copyOut(this.actor[which].forward(input.address, rows), rows * this.outputs, out);
  }

  /** Back-propagates `dInputs` (w.r.t. the online actor's last outputs) into the actor's gradients. */
  actorBackward(rows: number, dInputs: Float32Array): void {
    const net = this.actor.online;
    this.kernel.f32.set(dInputs.subarray(0, rows * this.outputs), (net.outputGrad as Region).address / 4);
    net.backward(rows, null);
  }

  /** Sets the `which` Q networks' input for `rows` rows: concat(obs, actions) (continuous), or obs (discrete: `actions` null). */
  setQInput(which: CrrNet, obs: Float32Array, actions: Float32Array | null, rows: number): void {
    const f32 = this.kernel.f32;
    const obsDim = this.init.spec.obsDim;
    const width = this.init.critic.inputs;
    const base = this.qInput[which].address / 4;
    const actionDim = width - obsDim;
    for (let r = 0; r < rows; r++) {
      f32.set(obs.subarray(r * obsDim, (r + 1) * obsDim), base + r * width);
      if (actions !== null) f32.set(actions.subarray(r * actionDim, (r + 1) * actionDim), base + r * width + obsDim);
    }
  }

  /** Q values (`rows × outputs`) of network `i` of `which` on its current input, copied into `out`. */
  qForward(which: CrrNet, i: number, rows: number, out: Float32Array): Float32Array {
    const net = this.q[which][i] as DenseStack;
    return this.copyOut(net.forward(this.qInput[which].address, rows), rows * this.init.critic.outputs, out);
  }

  /** Back-propagates `dQ` (w.r.t. online network `i`'s last Q values) into its gradients. */
  qBackward(i: number, rows: number, dQ: Float32Array): void {
    const net = this.q.online[i] as DenseStack;
    this.kernel.f32.set(dQ.subarray(0, rows * this.init.critic.outputs), (net.outputGrad as Region).address / 4);
    net.backward(rows, null);
  }

  /** target ← τ·online + (1 − τ)·target for the actor and every critic. */
  updateTargets(tau: number): void {
    for (const [target, online] of [
      [this.actorTargetWeights, this.actorWeights],
      [this.criticTargetWeights, this.criticWeights],
    ] as const) {
      if (tau === 1) this.kernel.view(target).set(this.kernel.view(online));
      else this.kernel.fn.blend(target.address, online.address, target.length, tau, 1 - tau);
    }
  }

  getActorWeights(): Float32Array {
    return this.kernel.view(this.actorWeights).slice();
  }

  setActorWeights(weights: Float32Array): void {
    if (weights.length !== this.actorLayout.size) {
      throw new RangeError(`setWeights: expected ${this.actorLayout.size} numbers for this actor, got ${weights.length}`);
    }
    this.kernel.view(this.actorWeights).set(weights);
  }

  getWeights(): CRRWeights {
    const size = this.init.critic.size;
    const split = (region: Region) =>
      Array.from({ length: this.criticCount }, (_, i) => this.kernel.view(region).slice(i * size, (i + 1) * size));
    return {
      policy: this.getActorWeights(),
      q: split(this.criticWeights),
      policyTarget: this.kernel.view(this.actorTargetWeights).slice(),
      qTarget: split(this.criticTargetWeights),
    };
  }

  setWeights(weights: CRRWeights): void {
    this.setActorWeights(weights.policy);
    if (weights.policyTarget.length !== this.actorLayout.size) {
      throw new RangeError(
        `setWeights: expected ${this.actorLayout.size} numbers for the target actor, got ${weights.policyTarget.length}`,
      );
    }
    this.kernel.view(this.actorTargetWeights).set(weights.policyTarget);
    const size = this.init.critic.size;
    const fill = (region: Region, sets: readonly Float32Array[]) =>
      sets.slice(0, this.criticCount).forEach((w, i) => {
        if (w.length !== size) throw new RangeError(`setWeights: expected ${size} numbers for a Q network, got ${w.length}`);
        this.kernel.view(region).set(w, i * size);
      });
    fill(this.criticWeights, weights.q);
    fill(this.criticTargetWeights, weights.qTarget);
  }

  /** The optimizers' state (`actor`, `critic`), in `ClippedAdam`'s layout. */
  getOptimizerStates(): Record<string, OptimizerState> {
    return { actor: this.actorOptimizer.getState(), critic: this.criticOptimizer.getState() };
  }

  /** Restores what `getOptimizerStates` (or the tfjs engine's) returned. */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): void {
    if (states.actor !== undefined) this.actorOptimizer.setState(states.actor);
    if (states.critic !== undefined) this.criticOptimizer.setState(states.critic);
  }

  private copyOut(address: number, length: number, out: Float32Array): Float32Array {
    out.set(this.kernel.f32.subarray(address / 4, address / 4 + length));
    return out;
  }
}
