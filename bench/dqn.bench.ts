/**
 * Issue 9 benchmark: DQN on CartPole-v1 with the tuned example `cartPoleDQN` (local worker), seed 1:
 * env steps and seconds until the greedy policy (20 evaluation episodes) scores ≥ 475, evaluated
 * after every iteration whose training mean is ≥ 150; and the learner's share of the time.
 */
import { cartPoleDQN } from '@loomrl/algorithms';

export default async function run(): Promise<Record<string, unknown>> {
  const algo = cartPoleDQN({ seed: 1 }).build();
  const started = performance.now();
  let steps = 0;
  let greedy = Number.NaN;
  let learnMs = 0;
  let sampleMs = 0;
  let iterations = 0;
  while (steps < 150_000 && !(greedy >= 475)) {
    const r = await algo.train();
    steps = r.timestepsTotal;
    learnMs += r.timers.learnTimeMs;
    sampleMs += r.timers.sampleTimeMs;
    iterations = r.trainingIteration;
    if (r.episodeRewardMean >= 150) greedy = (await algo.evaluate()).episodeRewardMean;
  }
  const seconds = (performance.now() - started) / 1000;
  await algo.stop();
  return {
    envStepsToGreedy475: greedy >= 475 ? steps : null,
    secondsToGreedy475: greedy >= 475 ? Number(seconds.toFixed(1)) : null,
    iterations,
    finalGreedyEvaluation20Episodes: greedy,
    learnerShareOfTime: Number((learnMs / (seconds * 1000)).toFixed(3)),
    samplingShareOfTime: Number((sampleMs / (seconds * 1000)).toFixed(3)),
    targetEnvSteps: 50_000,
  };
}
