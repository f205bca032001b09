/**
 * Shared by the RecSim examples: the RLlib RecSim tutorial's Long Term Satisfaction user (20
 * candidates, slate 2, stronger dissatisfaction: sensitivity 0.058, time budget 120, choc/kale
 * stddev 0.1) and its three baselines, evaluated on the same users as a learned policy.
 */
import { type EvaluationResult, evaluatePolicy } from '@loomrl/envs';

/** The env id of the tutorial. */
export const LTS_ENV_ID = 'RecSim/LongTermSatisfaction-v0';

/** The tutorial's user and candidate settings (`envConfig` of `RecSim/LongTermSatisfaction-v0`). */
export const TUTORIAL_USER = {
  numCandidates: 20,
  slateSize: 2,
  resampleDocuments: true,
  sensitivity: 0.058,
  timeBudget: 120,
  chocStddev: 0.1,
  kaleStddev: 0.1,
};

/** The tutorial's baselines, by RecSim baseline policy name. */
export const TUTORIAL_BASELINES = [
  { policy: 'kaleist', label: 'always kale' },
  { policy: 'random', label: 'random' },
  { policy: 'sweetest', label: 'always sweet' },
] as const;

/** Each baseline's returns over `episodes` users of evaluation seed `seed` (2 evaluation threads). */
export async function evaluateBaselines(episodes: number, seed: number): Promise<Array<[string, EvaluationResult]>> {
  const rows: Array<[string, EvaluationResult]> = [];
  for (const { label, policy } of TUTORIAL_BASELINES) {
    rows.push([label, await evaluatePolicy({ envId: LTS_ENV_ID, envConfig: TUTORIAL_USER, policy, episodes, seed, numThreads: 2 })]);
  }
  return rows;
}
