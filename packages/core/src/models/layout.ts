import type { Rng } from '../rng.js';
import { type ActorCriticSpec, distInputDim } from './spec.js';

/** One weight tensor inside the flat weight vector. */
export interface WeightEntry {
  readonly name: string;
  /** `[in, out]` for a kernel, `[out]` for a bias or the free log-std. */
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
  /** Scale of the normc initializer for kernels; 0 for biases and log-std. */
  readonly initScale: number;
}

/** A dense layer as offsets into the flat weights. */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly kernel: WeightEntry;
  readonly bias: WeightEntry;
}

/**
 * Where every weight lives in the one flat `Float32Array` that workers receive and checkpoints
 * store: the policy trunk, the logits head, (unless shared) the value trunk, the value head, and
 * (with `freeLogStd`) the log-std vector.
 */
export interface WeightLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  readonly policyTrunk: readonly DenseLayer[];
  readonly logitsHead: DenseLayer;
  /** Empty when `vfShareLayers`: the value head reads the policy trunk's output. */
  readonly valueTrunk: readonly DenseLayer[];
  readonly valueHead: DenseLayer;
  readonly logStd: WeightEntry | null;
}

/**
 * Builds a flat weight layout entry by entry: each entry gets the next offset. Kernels are
 * `[in, out]` row-major; biases `[out]`.
 */
export class LayoutBuilder {
  readonly entries: WeightEntry[] = [];
  private offset = 0;

  /** Numbers laid out so far. */
  get size(): number {
    return this.offset;
  }

  /** Appends one tensor of `shape`. */
  add(name: string, shape: number[], initScale: number): WeightEntry {
    const size = shape.reduce((a, b) => a * b, 1);
    const entry: WeightEntry = { name, shape, offset: this.offset, size, initScale };
    this.entries.push(entry);
    this.offset += size;
    return entry;
  }

  /** Appends a dense layer's kernel (normc-initialized with `initScale`) and bias. */
  dense(name: string, inputs: number, outputs: number, initScale: number): DenseLayer {
    return {
      inputs,
      outputs,
      kernel: this.add(`${name}/kernel`, [inputs, outputs], initScale),
      bias: this.add(`${name}/bias`, [outputs], 0),
    };
  }

  /** Appends dense layers `${prefix}_0…` of the given sizes on `inputs` features; returns them. */
  stack(prefix: string, inputs: number, sizes: readonly number[], initScale = 1.0): DenseLayer[] {
    const layers: DenseLayer[] = [];
    let width = inputs;
    sizes.forEach((units, i) => {
      layers.push(this.dense(`${prefix}_${i}`, width, units, initScale));
      width = units;
    });
    return layers;
  }
}

/** The layout of `spec`'s weights. */
export function weightLayout(spec: ActorCriticSpec): WeightLayout {
  const b = new LayoutBuilder();
  const policyTrunk = b.stack('fc', spec.obsDim, spec.hiddens);
  const trunkOut = spec.hiddens.at(-1) ?? spec.obsDim;
  const gaussian = spec.dist.type === 'diagGaussian';
  const headOutputs = gaussian && spec.freeLogStd ? spec.dist.dim : distInputDim(spec.dist);
  const logitsHead = b.dense('logits', trunkOut, headOutputs, 0.01);
  const valueTrunk = spec.vfShareLayers ? [] : b.stack('value_fc', spec.obsDim, spec.hiddens);
  const valueHead = b.dense('value_out', trunkOut, 1, 1.0);
  const logStd = gaussian && spec.freeLogStd ? b.add('log_std', [spec.dist.type === 'diagGaussian' ? spec.dist.dim : 0], 0) : null;
  return { size: b.size, entries: b.entries, policyTrunk, logitsHead, valueTrunk, valueHead, logStd };
}

/**
 * Fresh weights for `layout`: kernels from the normc initializer (normal columns scaled to norm
 * `initScale`, as RLlib's fully connected nets use), biases and log-std zero.
 */
export function initialWeights(layout: Pick<WeightLayout, 'size' | 'entries'>, rng: Rng): Float32Array {
  const weights = new Float32Array(layout.size);
  for (const entry of layout.entries) {
    if (entry.initScale === 0 || entry.shape.length !== 2) continue;
    const [inputs = 0, outputs = 0] = entry.shape;
    const column = new Float64Array(inputs);
    for (let o = 0; o < outputs; o++) {
      let norm = 0;
      for (let i = 0; i < inputs; i++) {
        const v = rng.normal();
        column[i] = v;
        norm += v * v;
      }
      const scale = entry.initScale / Math.sqrt(norm || 1);
      for (let i = 0; i < inputs; i++) weights[entry.offset + i * outputs + o] = (column[i] ?? 0) * scale;
    }
  }
  return weights;
}
