/**
 * Single-thread env steps/s of the stock RecSim envs: Long Term Satisfaction with 20 candidates and
 * Interest Evolution with 10 candidates (slate 2, resampling on, as RLlib's defaults), stepping with a
 * precomputed cycle of random slates and resetting on episode end. Target: 300k steps/s for LTS.
 */
import { type Env, makeEnv, Rng } from '@loomrl/core';
import '@loomrl/envs';

const LTS_TARGET_STEPS_PER_SECOND = 300_000;

function stepsPerSecond(env: Env, seconds: number): number {
  const rng = new Rng('recsim-bench/actions');
  const actions = Array.from({ length: 1024 }, () => env.actionSpace.sample(rng));
  env.reset({ seed: 0 });
  let steps = 0;
  const run = (budgetMs: number): void => {
    const end = performance.now() + budgetMs;
    while (performance.now() < end) {
      for (let i = 0; i < 1000; i++) {
        const r = env.step(actions[steps & 1023]);
        steps += 1;
        if (r.terminated || r.truncated) env.reset();
      }
    }
  };
  run(300); // warm-up
  steps = 0;
  const start = performance.now();
  run(seconds * 1000);
  return steps / ((performance.now() - start) / 1000);
}

export default async () => {
  const ltsEnv = makeEnv('RecSim/LongTermSatisfaction-v0', { numCandidates: 20, slateSize: 2 });
  const ievEnv = makeEnv('RecSim/InterestEvolution-v0', { numCandidates: 10, slateSize: 2 });
  const lts = stepsPerSecond(ltsEnv, 2);
  const iev = stepsPerSecond(ievEnv, 2);
  return {
    ltsStepsPerSecond20Candidates: Math.round(lts),
    interestEvolutionStepsPerSecond10Candidates: Math.round(iev),
    ltsRatioToTarget: Number((lts / LTS_TARGET_STEPS_PER_SECOND).toFixed(3)),
    ltsTargetStepsPerSecond: LTS_TARGET_STEPS_PER_SECOND,
  };
};
