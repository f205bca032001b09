import { type DenseLayer, LayoutBuilder, type WeightEntry } from './layout.js';

/** A plain MLP's layout: hidden layers `fc_i`, then `out` (e.g. SAC's and CRR's Q networks). */
export interface PlainMlpLayout {
  readonly size: number;
  readonly entries: readonly WeightEntry[];
  readonly layers: readonly DenseLayer[];
  readonly inputs: number;
  readonly outputs: number;
}

/** The layout of an MLP `inputs → hiddens → outputs` (output kernel normc-scaled by `outScale`). */
export function mlpLayout(inputs: number, hiddens: readonly number[], outputs: number, outScale = 1.0): PlainMlpLayout {
  const b = new LayoutBuilder();
  const hidden = b.stack('fc', inputs, hiddens);
  const out = b.dense('out', hiddens.at(-1) ?? inputs, outputs, outScale);
  return { size: b.size, entries: b.entries, layers: [...hidden, out], inputs, outputs };
}
