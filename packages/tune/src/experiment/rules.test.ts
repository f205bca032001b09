import { describe, expect, it } from 'vitest';
import { checkpointsToDelete, parseScoreAttr } from './checkpointRetention.js';
import { flattenResult, resultKeyFromRLlib } from './flatten.js';
import { trialDirNameFor, trialIdFor, trialNameFor } from './naming.js';
import { createStopRule } from './stop.js';

describe('trial names', () => {
  it("follow Tune's pattern and cut the identifier to 130 characters before the date", () => {
    const id = trialIdFor('8d0c2', 3);
    expect(id).toBe('8d0c2_00003');
    const name = trialNameFor('PPO', 'RecSim/LongTermSatisfaction-v0', id);
    expect(name).toBe('PPO_RecSim_LongTermSatisfaction-v0_8d0c2_00003');
    const dir = trialDirNameFor(trialNameFor('PPO', 'CartPole-v1', id), '3_lr=0.0010,train(x)', new Date(2023, 4, 1, 12, 0, 0));
    expect(dir).toBe('PPO_CartPole-v1_8d0c2_00003_3_lr=0.0010,train_x__2023-05-01_12-00-00');
    expect(dir).toMatch(/^PPO_CartPole-v1_[0-9a-f]{5}_\d{5}_\d+(_[^/()]+)?_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$/);
    const long = trialDirNameFor(name, `0_${'x'.repeat(300)}`);
    expect(long.length).toBe(130 + 20);
  });
});

describe('stop criteria', () => {
  const check = (criteria: Record<string, number>, result: Record<string, unknown>) =>
    createStopRule(criteria).check('t', result, flattenResult(result));

  it('stop a trial when any value reaches its threshold, on flattened keys, in RLlib or LoomRL spelling', () => {
    expect(check({ trainingIteration: 5, episodeRewardMean: 100 }, { trainingIteration: 2, episodeRewardMean: 100 })).toBe(
      'episodeRewardMean >= 100',
    );
    expect(check({ 'evaluation/episode_reward_mean': 400 }, { evaluation: { episodeRewardMean: 450 } })).toBe(
      'evaluation/episodeRewardMean >= 400',
    );
    expect(check({ trainingIteration: 5 }, { trainingIteration: 4 })).toBeNull();
  });

  it('never stop on NaN or on a missing key, and stop on done', () => {
    expect(check({ episodeRewardMean: 0 }, { episodeRewardMean: Number.NaN })).toBeNull();
    expect(check({ noSuchKey: 0 }, { trainingIteration: 1 })).toBeNull();
    expect(check({ trainingIteration: 99 }, { done: true })).toBe('done');
    expect(() => createStopRule({ evaluation: { a: 1 } } as never)).toThrow(/flattened/);
  });

  it('map RLlib result keys to LoomRL names', () => {
    expect(resultKeyFromRLlib('sampler_results/episode_reward_mean')).toBe('episodeRewardMean');
    expect(resultKeyFromRLlib('info/learner/default_policy/learner_stats/kl')).toBe('learnerStats/kl');
    expect(resultKeyFromRLlib('timesteps_total')).toBe('timestepsTotal');
    expect(resultKeyFromRLlib('evaluation/episodeRewardMean')).toBe('evaluation/episodeRewardMean');
  });
});

describe('checkpoint retention', () => {
  const records = [5, 10, 15, 20].map((iteration, i) => ({
    iteration,
    path: `c${iteration}`,
    metrics: { reward: [30, 90, 60, 10][i] as number },
  }));

  it('keeps the best n by the score attribute, plus the newest', () => {
    const deleted = checkpointsToDelete(records, 2, parseScoreAttr('reward'));
    expect(deleted.map((r) => r.iteration)).toEqual([5]);
    expect(checkpointsToDelete(records, 2, parseScoreAttr('min-reward')).map((r) => r.iteration)).toEqual([10, 15]);
    expect(checkpointsToDelete(records, 2, parseScoreAttr(null)).map((r) => r.iteration)).toEqual([5, 10]);
    expect(checkpointsToDelete(records, null, parseScoreAttr(null))).toEqual([]);
  });
});
