import type { Algorithm, EpisodeStats } from '@loomrl/core';
import { recordRollouts } from '@loomrl/workers';

/** How `recordPolicy` rolls a trained algorithm's policy out. */
export interface RecordPolicyOptions {
  /** Directory the JSON lines go to (RLlib `output`). */
  readonly output: string;
  /** Env steps to write (whole episodes: `batchMode: 'complete_episodes'`). */
  readonly minEnvSteps: number;
  /** Sample actions (`true`, diverse data) or act greedily (`false`). */
  readonly explore: boolean;
  /** Envs stepped together on the local worker; default 4. */
  readonly numEnvsPerWorker?: number;
  /** The timestep exploration schedules see (e.g. the last result's `timestepsTotal`, so DQN's ε has decayed); default 0. */
  readonly timestep?: number;
  /** Overrides the algorithm's seed (e.g. a held-out set from the same policy). */
  readonly seed?: number;
}

/**
 * Writes a data set with `algo`'s current policy (no learning): its config with
 * `offlineData({ output })`, complete episodes on the local worker, `explore` as given. How the
 * tutorial's expert, beginner and random data sets are made. Returns the episodes written.
 */
export async function recordPolicy(algo: Algorithm, options: RecordPolicyOptions): Promise<{ episodes: EpisodeStats[]; envSteps: number }> {
  await algo.ready();
  let config = algo.config
    .copy()
    .offlineData({ output: options.output, input: 'sampler' })
    .rollouts({ batchMode: 'complete_episodes', numRolloutWorkers: 0, numEnvsPerWorker: options.numEnvsPerWorker ?? 4 })
    .exploration({ explore: options.explore });
  if (options.seed !== undefined) config = config.debugging({ seed: options.seed });
  return recordRollouts({
    settings: config.settingsForWorkers(),
    specs: algo.moduleSpecsInUse,
    state: { default: algo.getModuleState() },
    minEnvSteps: options.minEnvSteps,
    timestep: options.timestep ?? 0,
  });
}
