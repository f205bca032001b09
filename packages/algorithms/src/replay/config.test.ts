import { AlgorithmConfig, ConfigError, type FieldSpec, type TrainingSettings } from '@loomrl/core';
import { BASE_FIELDS } from '@loomrl/core/internal';
import { describe, expect, it } from 'vitest';
import {
  checkReplayBufferConfig,
  mergeReplayBufferConfig,
  REPLAY_BUFFER_DEFAULTS,
  type ReplayBufferConfig,
  resolveReplayBufferConfig,
} from './config.js';
import { createReplayBuffer } from './createReplayBuffer.js';
import { PrioritizedReplayBuffer } from './prioritizedReplayBuffer.js';
import { ReplayBuffer } from './replayBuffer.js';

interface ReplayTrainingSettings extends TrainingSettings {
  replayBufferConfig: ReplayBufferConfig;
}

/** A config class declaring `replayBufferConfig` the way an algorithm's config does. */
class ReplayUsingConfig extends AlgorithmConfig<ReplayTrainingSettings> {
  constructor() {
    super('ReplayUsing', { replayBufferConfig: REPLAY_BUFFER_DEFAULTS });
  }

  protected override fields(): Readonly<Record<string, FieldSpec>> {
    return { ...BASE_FIELDS, replayBufferConfig: { group: 'training', check: checkReplayBufferConfig } };
  }
}

describe('replayBufferConfig', () => {
  it("has RLlib's DQN defaults, with the older constant-beta annealing", () => {
    expect(REPLAY_BUFFER_DEFAULTS).toEqual({
      type: 'MultiAgentPrioritizedReplayBuffer',
      capacity: 50_000,
      storageUnit: 'timesteps',
      prioritizedReplayAlpha: 0.6,
      prioritizedReplayBeta: 0.4,
      prioritizedReplayEps: 1e-6,
      finalPrioritizedReplayBeta: 0.4,
      prioritizedReplayBetaAnnealingTimesteps: 20_000,
    });
  });

  it('accepts any subset of valid options', () => {
    expect(checkReplayBufferConfig({})).toBeUndefined();
    expect(checkReplayBufferConfig({ type: 'ReplayBuffer', capacity: 1 })).toBeUndefined();
    expect(checkReplayBufferConfig({ ...REPLAY_BUFFER_DEFAULTS, prioritizedReplayAlpha: 0 })).toBeUndefined();
  });

  it('names the bad option and what was expected', () => {
    expect(checkReplayBufferConfig({ type: 'Fancy' })).toBe(
      'type to be one of "MultiAgentReplayBuffer", "MultiAgentPrioritizedReplayBuffer", "ReplayBuffer", "PrioritizedReplayBuffer" (got "Fancy")',
    );
    expect(checkReplayBufferConfig({ prioritizedReplayAlpha: -0.1 })).toBe('prioritizedReplayAlpha to be a finite number >= 0 (got -0.1)');
    expect(checkReplayBufferConfig({ capacity: 0 })).toBe('capacity to be an integer in [1, 2147483647] (got 0)');
    expect(checkReplayBufferConfig({ capacity: 10.5 })).toBe('capacity to be an integer in [1, 2147483647] (got 10.5)');
    expect(checkReplayBufferConfig({ prioritizedReplayEps: Number.NaN })).toBe('prioritizedReplayEps to be a finite number >= 0 (got NaN)');
    expect(checkReplayBufferConfig({ storageUnit: 'episodes' })).toBe('storageUnit to be one of "timesteps" (got "episodes")');
    expect(checkReplayBufferConfig({ capacty: 10 })).toContain(
      '"capacty" is not one. Did you mean "capacity"? Valid options: type, capacity,',
    );
    expect(checkReplayBufferConfig(5)).toBe('a plain object of replay buffer options');
  });

  it('works as the field check of an AlgorithmConfig', () => {
    const config = new ReplayUsingConfig();
    expect(() => config.training({ replayBufferConfig: { capacity: 0 } as ReplayBufferConfig })).toThrow(ConfigError);
    expect(() => config.training({ replayBufferConfig: { type: 'Fancy' } as unknown as ReplayBufferConfig })).toThrow(
      'training({ replayBufferConfig }): expected type to be one of "MultiAgentReplayBuffer"',
    );
    config.training({ replayBufferConfig: { ...REPLAY_BUFFER_DEFAULTS, capacity: 1000 } });
    expect(config.settings.replayBufferConfig.capacity).toBe(1000);
  });

  it('resolves a partial config over the defaults, or throws a ConfigError naming the option', () => {
    expect(resolveReplayBufferConfig({ capacity: 10, prioritizedReplayAlpha: undefined })).toEqual({
      ...REPLAY_BUFFER_DEFAULTS,
      capacity: 10,
    });
    expect(() => resolveReplayBufferConfig({ prioritizedReplayBeta: -1 }, 'training({ replayBufferConfig })')).toThrow(
      'training({ replayBufferConfig }): expected prioritizedReplayBeta to be a finite number >= 0 (got -1).',
    );
    try {
      resolveReplayBufferConfig({ capacity: -5 });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    }
  });

  it('merges updates like RLlib: key by key, but a new type replaces the whole config', () => {
    const current = { ...REPLAY_BUFFER_DEFAULTS, capacity: 1000, prioritizedReplayAlpha: 0.9 };
    expect(mergeReplayBufferConfig(current, { prioritizedReplayBeta: 0.5 })).toEqual({ ...current, prioritizedReplayBeta: 0.5 });
    expect(mergeReplayBufferConfig(current, { type: 'MultiAgentPrioritizedReplayBuffer', capacity: 7 })).toEqual({
      ...current,
      capacity: 7,
    });
    expect(mergeReplayBufferConfig(current, { type: 'MultiAgentReplayBuffer', capacity: 7 })).toEqual({
      ...REPLAY_BUFFER_DEFAULTS,
      type: 'MultiAgentReplayBuffer',
      capacity: 7,
    });
  });
});

describe('createReplayBuffer', () => {
  it('builds a prioritized buffer for the prioritized types and the defaults, a uniform one otherwise', () => {
    expect(createReplayBuffer()).toBeInstanceOf(PrioritizedReplayBuffer);
    expect(createReplayBuffer({ type: 'PrioritizedReplayBuffer' })).toBeInstanceOf(PrioritizedReplayBuffer);
    expect(createReplayBuffer({ type: 'MultiAgentReplayBuffer' })).toBeInstanceOf(ReplayBuffer);
    expect(createReplayBuffer({ type: 'ReplayBuffer', capacity: 12 }).capacity).toBe(12);
  });

  it('passes every option to the prioritized buffer', () => {
    const buffer = createReplayBuffer({
      capacity: 64,
      prioritizedReplayAlpha: 0.5,
      prioritizedReplayBeta: 0.3,
      prioritizedReplayEps: 1e-3,
      finalPrioritizedReplayBeta: 1,
      prioritizedReplayBetaAnnealingTimesteps: 100,
    }) as PrioritizedReplayBuffer;
    expect([buffer.capacity, buffer.alpha, buffer.beta, buffer.eps, buffer.finalBeta, buffer.betaAnnealingTimesteps]).toEqual([
      64, 0.5, 0.3, 1e-3, 1, 100,
    ]);
  });

  it('refuses a bad config with a ConfigError', () => {
    expect(() => createReplayBuffer({ prioritizedReplayAlpha: -1 })).toThrow(
      'replayBufferConfig: expected prioritizedReplayAlpha to be a finite number >= 0 (got -1).',
    );
  });
});
