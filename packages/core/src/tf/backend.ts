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
  if (!(await tf.setBackend('cpu'))) return false;
  // The cpu backend prints a "install tfjs-node" banner on its first tensor. Silence it on this
  // backend only: the process-wide IS_TEST flag would also switch on tfjs's kernel leak checks,
  // which then fail every later wasm computation ("internal memory leak").
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (typeof backend.firstUse === 'boolean') backend.firstUse = false;
  return true;
}

/**
 * Selects the TensorFlow.js backend of the learner and returns its name: `'auto'` tries tfjs-node
 * (`'tensorflow'`), then `'wasm'`, then `'cpu'`; a named backend that cannot start is an error.
 */
export async function selectBackend(name: Exclude<BackendName, 'loomrl'>): Promise<string> {
  const attempts: Record<Exclude<BackendName, 'auto' | 'loomrl'>, () => Promise<boolean>> = {
    tensorflow: tryTensorflow,
    wasm: tryWasm,
    cpu: tryCpu,
  };
  let chosen: Exclude<BackendName, 'auto' | 'loomrl'> | null = null;
  if (name === 'auto') {
    for (const candidate of ['tensorflow', 'wasm', 'cpu'] as const) {
      if (await attempts[candidate]()) {
        chosen = candidate;
        break;
      }
    }
  } else if (await attempts[name]()) {
    chosen = name;
  }
  if (chosen === null) {
    const hint = name === 'tensorflow' ? ' Install @tensorflow/tfjs-node, or use backend "auto".' : '';
    throw new ConfigError(`framework({ backend: "${name}" }): the TensorFlow.js backend could not start.${hint}`);
  }
  await tf.ready();
  // Another algorithm may have switched backends while this one awaited: name ours, not the active one.
  useBackend(chosen);
  return chosen;
}

/**
 * Makes `name` (as `selectBackend` returned it) tfjs's active backend again, synchronously. tfjs
 * has one active backend per process, so each learner calls this right before its tensor work,
 * with no `await` in between: two algorithms in one process then each compute on their own
 * backend, whatever the other chose. (Switching to an already initialized backend completes
 * synchronously in tfjs; this checks that it did.)
 */
export function useBackend(name: string): void {
  if (tf.getBackend() === name) return;
  void tf.setBackend(name);
  if (tf.getBackend() !== name) {
    throw new ConfigError(`The TensorFlow.js backend "${name}" could not be made active again (was it started with selectBackend?).`);
  }
}

/**
 * The TensorFlow.js backend for a learner that has only a tfjs engine (SAC, CQL, CRR, MARWIL/BC,
 * fitted Q evaluation): `'loomrl'` (LoomRL's kernels, which these learners do not use) and `'auto'`
 * both mean tfjs's own choice (tfjs-node, else wasm, else cpu).
 */
export function tfjsBackendOf(name: BackendName): Exclude<BackendName, 'loomrl'> {
  return name === 'loomrl' ? 'auto' : name;
}
