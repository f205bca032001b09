import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../config/settings.js';
import { ConfigError } from '../errors.js';

export { tf };

let wasmRegistered = false;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional peer: registers the 'tensorflow' backend when installed. Never loaded in rollout
    // workers (its native addon cannot load in more than one thread, tfjs issue #8388).
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    if (!wasmRegistered) {
      await import('@tensorflow/tfjs-backend-wasm');
      wasmRegistered = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function tryCpu(): Promise<boolean> {
  // The cpu backend prints a banner suggesting tfjs-node under Node unless IS_TEST is set.
  tf.env().set('IS_TEST', true);
  return tf.setBackend('cpu');
}

/**
 * Selects the TensorFlow.js backend of the learner and returns its name: `'auto'` tries tfjs-node
 * (`'tensorflow'`), then `'wasm'`, then `'cpu'`; a named backend that cannot start is an error.
 */
export async function selectBackend(name: BackendName): Promise<string> {
  const attempts: Record<Exclude<BackendName, 'auto'>, () => Promise<boolean>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };
  if (name === 'auto') {
    for (const candidate of ['tensorflow', 'wasm', 'cpu'] as const) {
      if (await attempts[candidate]()) break;
    }
  } else if (!(await attempts[name]())) {
    const hint = name === 'tensorflow' ? ' Install @tensorflow/tfjs-node, or use backend "auto".' : '';
    throw new ConfigError(`framework({ backend: "${name}" }): the TensorFlow.js backend could not start.${hint}`);
  }
  await tf.ready();
  return tf.getBackend();
}
