/**
 * Data sets the offline learning tests generate for themselves (nothing is downloaded): an expert's
 * rollouts recorded with `recordRollouts`, and episodes of a fixed scripted policy written as
 * RLlib plain-list JSON lines by a bare env loop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Algorithm, type AlgorithmConfig, makeEnv, type TrainResult } from '@loomrl/core';
import { recordPolicy } from '../offline/recordPolicy.js';

/** What `recordExpert` did: the expert's greedy score and what it wrote. */
export interface ExpertRecord {
  readonly greedy: number;
  readonly trainedEnvSteps: number;
  readonly envSteps: number;
  readonly meanReturn: number;
}

/**
 * Trains `config` until its greedy evaluation reaches `target` (checked every `checkEvery`
 * iterations, at most `maxIterations`), then records `envSteps` env steps of it (`explore`
 * as given) into `dir`.
 */
export async function recordExpert(
  config: AlgorithmConfig,
  options: { dir: string; target: number; maxIterations: number; checkEvery?: number; envSteps: number; explore: boolean },
): Promise<ExpertRecord> {
  const algo = config.build() as Algorithm;
  let greedy = Number.NEGATIVE_INFINITY;
  let result: TrainResult | null = null;
  try {
    for (let i = 1; i <= options.maxIterations && greedy < options.target; i++) {
      result = await algo.train();
      if (i % (options.checkEvery ?? 5) === 0) greedy = (await algo.evaluate()).episodeRewardMean;
    }
    const recorded = await recordPolicy(algo, {
      output: options.dir,
      minEnvSteps: options.envSteps,
      explore: options.explore,
      timestep: result?.timestepsTotal ?? 0,
    });
    const meanReturn = recorded.episodes.reduce((sum, e) => sum + e.episodeReturn, 0) / recorded.episodes.length;
    return { greedy, trainedEnvSteps: result?.timestepsTotal ?? 0, envSteps: recorded.envSteps, meanReturn };
  } finally {
    await algo.stop();
  }
}

/**
 * Writes `episodes` episodes of `policy` on `envId` (reset seeds `seed`, `seed + 1`, …) to
 * `dir/<name>.json`, one RLlib plain-list SampleBatch line per episode. Returns the mean return.
 */
export function writeScriptedEpisodes(
  dir: string,
  name: string,
  options: { envId: string; episodes: number; seed: number; policy: (obs: Float32Array) => number },
): number {
  mkdirSync(dir, { recursive: true });
  const env = makeEnv<Float32Array, number>(options.envId);
  const lines: string[] = [];
  let total = 0;
  for (let e = 0; e < options.episodes; e++) {
    const rows = {
      obs: [] as number[][],
      new_obs: [] as number[][],
      actions: [] as number[],
      rewards: [] as number[],
      terminateds: [] as boolean[],
      truncateds: [] as boolean[],
      t: [] as number[],
    };
    let obs = env.reset({ seed: options.seed + e }).obs;
    for (let t = 0; ; t++) {
      const action = options.policy(obs);
      const step = env.step(action);
      rows.obs.push(Array.from(obs));
      rows.new_obs.push(Array.from(step.obs));
      rows.actions.push(action);
      rows.rewards.push(step.reward);
      rows.terminateds.push(step.terminated);
      rows.truncateds.push(step.truncated);
      rows.t.push(t);
      total += step.reward;
      obs = step.obs;
      if (step.terminated || step.truncated) break;
    }
    const epsId = 1_000_000 + options.seed + e;
    lines.push(JSON.stringify({ type: 'SampleBatch', ...rows, eps_id: rows.t.map(() => epsId) }));
  }
  writeFileSync(join(dir, `${name}.json`), `${lines.join('\n')}\n`);
  return total / options.episodes;
}
