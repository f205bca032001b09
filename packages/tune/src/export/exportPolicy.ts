import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Box, Discrete } from '@loomrl/core';
import { ExportError } from '../errors.js';
import { type LoadedPolicy, loadPolicy } from '../policy/loadedPolicy.js';
import { policyNetworkOf } from './actorCriticWeights.js';
import { layersModel } from './layersModel.js';
import { POLICY_HELPER } from './policyHelper.js';

/** Options of `exportPolicy`. */
export interface ExportOptions {
  /** Only `'tfjs-layers'`: a TensorFlow.js layers model (`tf.loadLayersModel`). */
  readonly format: 'tfjs-layers';
  /** Modules that register your algorithms or envs. */
  readonly modules?: readonly string[];
}

/** What `exportPolicy` wrote. */
export interface ExportedFiles {
  readonly modelJson: string;
  readonly weights: string;
  readonly helper: string;
}

/**
 * Writes a checkpoint's policy for the browser: `model.json` + `weights.bin` (a tfjs layers model
 * that `tf.loadLayersModel` loads with no LoomRL code; its output is the action distribution's
 * inputs — greedy action = argmax of the logits, or the Gaussian mean) and `policy.js` (a small
 * ESM helper applying the observation flattening and the action post-processing recorded in
 * `userDefinedMetadata.loomrl`). No tfjs-node needed: the files are written directly.
 */
export async function exportPolicy(checkpoint: string | LoadedPolicy, dir: string, options: ExportOptions): Promise<ExportedFiles> {
  if (options.format !== 'tfjs-layers')
    throw new ExportError(`exportPolicy: unknown format ${JSON.stringify(options.format)}; expected "tfjs-layers".`);
  const loaded = typeof checkpoint === 'string' ? await loadPolicy(checkpoint, options.modules) : checkpoint;
  try {
    const { observationSpace, actionSpace, algorithm } = loaded;
    if (!(observationSpace instanceof Box) && !(observationSpace instanceof Discrete)) {
      throw new ExportError(`TF.js export supports Box and Discrete observations; this policy observes ${observationSpace.toString()}.`);
    }
    const network = policyNetworkOf(algorithm, observationSpace, actionSpace);
    const s = algorithm.config.settings;
    const metadata = {
      loomrl: {
        format: 'loomrl-tfjs-policy/1',
        algorithm: algorithm.config.algorithm,
        policy_id: 'default_policy',
        observation_space: observationSpace.toJSON(),
        action_space: actionSpace.toJSON(),
        obs_dim: observationSpace.flatDim,
        action_distribution: network.distribution,
        output: network.output,
        log_std: network.logStd === null ? null : Array.from(network.logStd),
        normalize_actions: s.normalizeActions,
        clip_actions: s.clipActions,
        bounded: actionSpace instanceof Box ? actionSpace.isBounded() : false,
        checkpoint: loaded.checkpoint,
        exported_at: new Date().toISOString(),
      },
    };
    const files = layersModel(network.layers, 'weights.bin', metadata);
    await mkdir(dir, { recursive: true });
    const out = { modelJson: join(dir, 'model.json'), weights: join(dir, 'weights.bin'), helper: join(dir, 'policy.js') };
    await writeFile(out.weights, files.weights);
    await writeFile(out.modelJson, `${JSON.stringify(files.modelJson, null, 2)}\n`);
    await writeFile(out.helper, POLICY_HELPER);
    return out;
  } finally {
    if (typeof checkpoint === 'string') await loaded.algorithm.stop();
  }
}
