import { PPOConfig } from '@loomrl/algorithms';
import { ConfigError, configFromJSON } from '@loomrl/core';
import { describe, expect, it } from 'vitest';

const nats = { transport: 'nats', servers: 'nats://10.0.0.5:4222' } as const;

describe('rollouts({ remote })', () => {
  it('fills the defaults of what was not given, and round-trips through JSON', () => {
    const config = new PPOConfig().environment({ env: 'CartPole-v1' }).rollouts({ numRolloutWorkers: 2, remote: nats });
    expect(config.settings.remote).toEqual({
      ...nats,
      name: 'default',
      stream: null,
      credentials: null,
      numNatsWorkers: null,
      joinTimeoutS: 60,
      heartbeatIntervalS: 1,
    });
    expect(configFromJSON(JSON.parse(JSON.stringify(config.toJSON()))).settings.remote).toEqual(config.settings.remote);
    expect(new PPOConfig().settings.remote).toBeNull();
    expect(config.copy().rollouts({ remote: null }).settings.remote).toBeNull();
  });

  it('names the bad key or value and what was expected', () => {
    expect(() => new PPOConfig().rollouts({ remote: { ...nats, servrs: 'x' } as never })).toThrow(
      /rollouts\(\{ remote \}\): expected known keys .*"servrs" is none of them\. Did you mean "servers"\?/,
    );
    expect(() => new PPOConfig().rollouts({ remote: { ...nats, name: 'my experiment' } })).toThrow(
      /expected name: a name of letters, digits, "-" and "_", got .*"my experiment"/,
    );
    expect(() => new PPOConfig().rollouts({ remote: { ...nats, transport: 'kafka' as never } })).toThrow(/transport: "nats"/);
    expect(() => new PPOConfig().rollouts({ remote: { transport: 'nats' } as never })).toThrow(/with "servers" set/);
    expect(() => new PPOConfig().rollouts({ remote: { ...nats, servers: [] } })).toThrow(/servers: a server URL or a non-empty array/);
  });

  it('checks it against the other settings when the config is built', () => {
    const base = () => new PPOConfig().environment({ env: 'CartPole-v1' });
    expect(() => base().rollouts({ remote: nats }).validate()).toThrow(ConfigError);
    expect(() => base().rollouts({ remote: nats }).validate()).toThrow(/needs numRolloutWorkers >= 1/);
    expect(() =>
      base()
        .rollouts({ numRolloutWorkers: 1, remote: { ...nats, numNatsWorkers: 2 } })
        .validate(),
    ).toThrow(/numNatsWorkers: 2 .* exceeds numRolloutWorkers \(1\)/);
    expect(() =>
      base()
        .rollouts({ numRolloutWorkers: 1, remote: { ...nats, heartbeatIntervalS: 5 } })
        .faultTolerance({ workerHealthProbeTimeoutS: 5 })
        .validate(),
    ).toThrow(/heartbeatIntervalS: 5 .* must be below faultTolerance\(\{ workerHealthProbeTimeoutS: 5 \}\)/);
    expect(() =>
      base()
        .rollouts({ numRolloutWorkers: 2, remote: { ...nats, numNatsWorkers: 1 } })
        .validate(),
    ).not.toThrow();
  });
});
