import type { ExportDense } from './actorCriticWeights.js';

/** The `tfjs-layers` version whose `model.json` shape is written (the one in our catalog). */
export const TFJS_LAYERS_VERSION = '4.22.0';

/** `model.json` (a tfjs `ModelJSON` for a layers model) and the bytes of its one weights file. */
export interface LayersModelFiles {
  readonly modelJson: Record<string, unknown>;
  readonly weights: Uint8Array;
}

function denseConfig(name: string, layer: ExportDense, first: boolean): Record<string, unknown> {
  return {
    class_name: 'Dense',
    config: {
      units: layer.outputs,
      activation: layer.activation,
      use_bias: true,
      kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name,
      trainable: true,
      ...(first ? { batch_input_shape: [null, layer.inputs] } : {}),
      dtype: 'float32',
    },
  };
}

/**
 * A `Sequential` of `Dense` layers in tfjs-layers' own JSON (what `model.save` writes) plus the
 * weights as one little-endian float32 file, in manifest order (`<layer>/kernel`, `<layer>/bias`,
 * …), so `tf.loadLayersModel` loads it with `strict: true` and no LoomRL code.
 */
export function layersModel(layers: readonly ExportDense[], weightsPath: string, metadata: Record<string, unknown>): LayersModelFiles {
  const names = layers.map((_, i) => `dense_${i}`);
  const specs = layers.flatMap((layer, i) => [
    { name: `${names[i]}/kernel`, shape: [layer.inputs, layer.outputs], dtype: 'float32' },
    { name: `${names[i]}/bias`, shape: [layer.outputs], dtype: 'float32' },
  ]);
  const total = layers.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
  const values = new Float32Array(total);
  let offset = 0;
  for (const layer of layers) {
    values.set(layer.kernel, offset);
    offset += layer.kernel.length;
    values.set(layer.bias, offset);
    offset += layer.bias.length;
  }
  const weights = new Uint8Array(values.length * 4);
  const view = new DataView(weights.buffer);
  values.forEach((v, i) => {
    view.setFloat32(i * 4, v, true);
  });
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${TFJS_LAYERS_VERSION}`,
      convertedBy: 'LoomRL exportPolicy',
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 'loomrl_policy', layers: layers.map((l, i) => denseConfig(names[i] as string, l, i === 0)) },
        keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`,
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [weightsPath], weights: specs }],
      userDefinedMetadata: metadata,
    },
    weights,
  };
}
