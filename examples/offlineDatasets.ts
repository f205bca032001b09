/**
 * Shared by the offline examples: where `offline-generate.ts` writes its data sets and the
 * RecSim Long Term Satisfaction setting of the recommender logs (the RLlib tutorial's user with
 * 10 candidates, slate 1, a 60-step session, satisfaction observed, flattened observations and
 * Discrete(10) actions: small enough to train and evaluate in minutes).
 */
import { join, resolve } from 'node:path';
import { TUTORIAL_USER } from './recsimTutorial.js';

/** The data directory: `OFFLINE_DATA` or `./offline_data`. */
export const DATA_DIR = resolve(process.env.OFFLINE_DATA ?? 'offline_data');

/** The path of data set `name` (a directory of JSON-lines files). */
export const dataset = (name: string): string => join(DATA_DIR, name);

/** The LTS env of the recommender logs. */
export const LTS_ENV = {
  env: 'RecSim/LongTermSatisfaction-v0',
  envConfig: {
    ...TUTORIAL_USER,
    numCandidates: 10,
    slateSize: 1,
    timeBudget: 60,
    observeSatisfaction: true,
    flattenObservations: true,
    convertToDiscreteActionSpace: true,
  },
};

/** The expert shares of the mixed LTS logs (`lts_expert_<p>pct`: the learned policy's rows, the rest random). */
export const EXPERT_SHARES = [1, 5, 10, 20] as const;
