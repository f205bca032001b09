import { type AllSettings, ConfigError, type EpisodeStats, type ModuleId, type ModuleSpec, type ModuleTensors } from '@loomrl/core';
import { WorkerSet } from '../workerSet.js';

/** What `recordRollouts` needs: settings with `output` set, the modules that act and their state. */
export interface RecordRolloutsOptions {
  /** Worker settings (e.g. `config.settingsForWorkers()`), `output` set; `explore`, `batchMode` and the worker counts apply. */
  readonly settings: AllSettings;
  readonly specs: Readonly<Record<ModuleId, ModuleSpec>>;
  readonly state: Readonly<Record<ModuleId, ModuleTensors>>;
  /** Sample rounds go on until this many env steps were written. */
  readonly minEnvSteps: number;
  /** The global timestep exploration schedules see (e.g. a trained algorithm's `timestepsTotal`). */
  readonly timestep?: number;
}

/**
 * Rolls out fixed modules (no learning) on fresh workers and writes every sampled batch to
 * `settings.output`, as training with `offlineData({ output })` would: how datasets of an expert,
 * a beginner or a random policy are made. Returns the episodes finished and the env steps written.
 */
export async function recordRollouts(options: RecordRolloutsOptions): Promise<{ episodes: EpisodeStats[]; envSteps: number }> {
  if (options.settings.output === null) throw new ConfigError('recordRollouts needs offlineData({ output }) in its settings.');
  const workers = new WorkerSet(options.settings, { inEvaluation: false });
  try {
    await workers.ready();
    await workers.setModules(options.specs);
    await workers.syncState({ version: 0, timestep: options.timestep ?? 0, modules: options.state });
    const round = await workers.sample(options.minEnvSteps);
    return { episodes: round.episodes, envSteps: round.envSteps };
  } finally {
    await workers.stop();
  }
}
