import { ConfigError, configFromJSON } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { PPOConfig } from './config.js';

describe('PPOConfig', () => {
  it('chains setters and keeps RLlib defaults for what it was not given', () => {
    const config = new PPOConfig().environment({ env: 'CartPole-v1' }).training({ lr: 3e-4 });
    expect(config.settings.lr).toBe(3e-4);
    expect(config.settings.numSgdIter).toBe(30);
    expect(config.settings.clipParam).toBe(0.3);
    expect(config.settings.model.vfShareLayers).toBe(false);
  });

  it('rejects an unknown key and suggests the nearest valid one', () => {
    expect(() => new PPOConfig().training({ lrr: 0.1 } as never)).toThrow(/Unknown training\(\) option "lrr". Did you mean "lr"\?/);
  });

  it('names the right group when a key is given to the wrong setter', () => {
    expect(() => new PPOConfig().training({ numRolloutWorkers: 2 } as never)).toThrow(/belongs to rollouts\(\{ numRolloutWorkers \}\)/);
  });

  it('rejects out-of-range values naming the value and what was expected', () => {
    expect(() => new PPOConfig().rollouts({ numEnvsPerWorker: 0 })).toThrow(/numEnvsPerWorker.*expected an integer >= 1, got 0/);
    expect(() => new PPOConfig().training({ lr: -1 })).toThrow(/lr.*expected a finite number > 0, got -1/);
    expect(() => new PPOConfig().rollouts({ numRolloutWorkers: 1.5 })).toThrow(/numRolloutWorkers.*got 1.5/);
    expect(() => new PPOConfig().rollouts({ batchMode: 'whole' as never })).toThrow(/one of "truncate_episodes", "complete_episodes"/);
    expect(() => new PPOConfig().training({ model: { fcnetHiden: [8] } as never })).toThrow(/Did you mean "fcnetHiddens"/);
  });

  it('merges model settings key by key', () => {
    const config = new PPOConfig().training({ model: { fcnetHiddens: [32] } }).training({ model: { fcnetActivation: 'relu' } });
    expect(config.settings.model).toMatchObject({ fcnetHiddens: [32], fcnetActivation: 'relu', vfShareLayers: false });
  });

  it('round-trips through JSON to an equal config', () => {
    const config = new PPOConfig()
      .environment({ env: 'CartPole-v1', envConfig: { a: 1 } })
      .training({ lambda: 0.9 })
      .debugging({ seed: 3 });
    const json = JSON.parse(JSON.stringify(config.toJSON())) as Record<string, unknown>;
    const back = PPOConfig.fromJSON(json);
    expect(back.toJSON()).toEqual(config.toJSON());
    expect(configFromJSON(json)).toBeInstanceOf(PPOConfig);
  });

  it('copies deeply and refuses changes once frozen', () => {
    const config = new PPOConfig().environment({ env: 'CartPole-v1' });
    const copy = config.copy().training({ lr: 0.5 });
    expect(config.settings.lr).toBe(5e-5);
    expect(copy.settings.lr).toBe(0.5);
    const frozen = copy.freeze();
    expect(() => frozen.training({ lr: 0.1 })).toThrow(/frozen/);
  });

  it('validates options together', () => {
    expect(() => new PPOConfig().validate()).toThrow(/environment\(\{ env \}\) is not set/);
    expect(() =>
      new PPOConfig().environment({ env: 'CartPole-v1' }).training({ sgdMinibatchSize: 500, trainBatchSize: 100 }).validate(),
    ).toThrow(/sgdMinibatchSize: 500/);
    expect(() =>
      new PPOConfig()
        .environment({ env: 'CartPole-v1' })
        .rollouts({ rolloutFragmentLength: 300, numEnvsPerWorker: 8 })
        .training({ trainBatchSize: 1024 })
        .validate(),
    ).toThrow(/more than 10% over/);
    expect(() => new PPOConfig().environment({ env: 'CartPole-v1' }).evaluation({ evaluationParallelToTraining: true }).validate()).toThrow(
      ConfigError,
    );
  });

  it('resolves rolloutFragmentLength "auto" so the fragments add up to trainBatchSize', () => {
    const config = new PPOConfig().rollouts({ numRolloutWorkers: 3, numEnvsPerWorker: 2 }).training({ trainBatchSize: 100 });
    const lengths = [1, 2, 3].map((w) => config.getRolloutFragmentLength(w));
    expect(lengths.reduce((a, b) => a + b, 0) * 2).toBe(100);
    expect(lengths).toEqual([17, 17, 16]);
  });

  it('names the registered envs when the env id is unknown', async () => {
    const algo = new PPOConfig().environment({ env: 'CartPol-v1' }).build();
    await expect(algo.train()).rejects.toThrow(/Unknown env id "CartPol-v1". Did you mean "CartPole-v1"\?.*Registered envs: .*CartPole-v1/);
    await algo.stop();
  });
});
