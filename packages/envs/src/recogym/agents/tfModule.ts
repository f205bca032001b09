import { ConfigError } from '@loomrl/core';

/** `@loomrl/core/tf`, imported on demand so that worker threads, which load `@loomrl/envs`, never load TensorFlow.js. */
export type RecoGymTfModule = typeof import('@loomrl/core/tf');

/** The TensorFlow.js backends a RecoGym neural agent can train on. */
export type RecoGymTfBackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** TensorFlow.js with the backend a neural RecoGym agent trains on; `use()` makes it active again right before tensor work. */
export interface RecoGymTf {
  readonly tf: RecoGymTfModule['tf'];
  /** The backend's name, e.g. `'wasm'`. */
  readonly backend: string;
  use(): void;
}

/** Imports `@loomrl/core/tf` and starts `backend` (`'auto'`: tfjs-node if installed, else wasm, else cpu). */
export async function loadRecoGymTf(agent: string, backend: RecoGymTfBackendName = 'auto'): Promise<RecoGymTf> {
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) {
    throw new ConfigError(`${agent}: backend must be 'auto', 'tensorflow', 'wasm' or 'cpu', got ${JSON.stringify(backend)}`);
  }
  const module = await import('@loomrl/core/tf');
  const name = await module.selectBackend(backend);
  return { tf: module.tf, backend: name, use: () => module.useBackend(name) };
}

/** A TensorFlow.js tensor. */
export type RecoGymTensor = ReturnType<RecoGymTfModule['tf']['tensor']>;

/** A TensorFlow.js variable. */
export type RecoGymVariable = ReturnType<RecoGymTfModule['tf']['variable']>;
