import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvError } from '../errors.js';
import { Discrete } from '../spaces/index.js';
import { DEFAULT_ENV_CONTEXT, type Env, type EnvContext, type EnvCreator, type ResetResult, type StepResult } from './env.js';
import { envSpec, isEnvRegistered, listEnvs, loadEnvModules, makeEnv, registerEnv } from './registry.js';
import { TimeLimit } from './wrapper.js';

const fixturePath = fileURLToPath(new URL('../__fixtures__/tinyEnvModule.js', import.meta.url));

/** A coin that lands on `envConfig.side`: one step, reward 1 when the action guesses the side. */
class Coin implements Env<number, number> {
  readonly observationSpace = new Discrete(2);
  readonly actionSpace = new Discrete(2);
  constructor(readonly side: number) {}
  reset(): ResetResult<number> {
    return { obs: 0, info: {} };
  }
  step(action: number): StepResult<number> {
    return { obs: this.side, reward: action === this.side ? 1 : 0, terminated: true, truncated: false, info: {} };
  }
}

/** Never ends by itself. */
class Forever implements Env<number, number> {
  readonly observationSpace = new Discrete(1);
  readonly actionSpace = new Discrete(1);
  reset(): ResetResult<number> {
    return { obs: 0, info: {} };
  }
  step(): StepResult<number> {
    return { obs: 0, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

const calls: Array<{ envConfig: Record<string, unknown>; context: EnvContext }> = [];
registerEnv('test/Coin-v0', (envConfig: { side?: number }, context) => {
  calls.push({ envConfig, context });
  return new Coin(envConfig.side ?? 0);
});
registerEnv('test/Forever-v0', () => new Forever(), { maxEpisodeSteps: 3, rewardThreshold: 0.5 });

describe('registerEnv / makeEnv', () => {
  it('builds a registered env with its envConfig and context', () => {
    const context: EnvContext = { ...DEFAULT_ENV_CONTEXT, workerIndex: 2, vectorIndex: 1, numWorkers: 2, remote: true };
    const env = makeEnv<number, number>('test/Coin-v0', { side: 1 }, context);
    expect(env).toBeInstanceOf(Coin);
    expect(calls.at(-1)).toEqual({ envConfig: { side: 1 }, context });
    env.reset();
    expect(env.step(1).reward).toBe(1);
  });

  it('defaults to an empty envConfig and the default context', () => {
    makeEnv('test/Coin-v0');
    expect(calls.at(-1)).toEqual({ envConfig: {}, context: DEFAULT_ENV_CONTEXT });
  });

  it('sets spec on the built env, and wraps it in a TimeLimit when the registration has maxEpisodeSteps', () => {
    const plain = makeEnv('test/Coin-v0');
    expect(plain.spec).toEqual({ id: 'test/Coin-v0' });

    const limited = makeEnv<number, number>('test/Forever-v0');
    expect(limited).toBeInstanceOf(TimeLimit);
    expect((limited as TimeLimit<number, number>).unwrapped).toBeInstanceOf(Forever);
    expect(limited.spec).toEqual({ id: 'test/Forever-v0', maxEpisodeSteps: 3, rewardThreshold: 0.5 });
    limited.reset();
    const flags = [limited.step(0), limited.step(0), limited.step(0)].map((r) => [r.terminated, r.truncated]);
    expect(flags).toEqual([
      [false, false],
      [false, false],
      [false, true],
    ]);
  });

  it('reports registered ids sorted and their specs', () => {
    expect(isEnvRegistered('test/Coin-v0')).toBe(true);
    expect(isEnvRegistered('test/Nope-v0')).toBe(false);
    const ids = listEnvs();
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['test/Coin-v0', 'test/Forever-v0']));
    expect(envSpec('test/Forever-v0')).toEqual({ id: 'test/Forever-v0', maxEpisodeSteps: 3, rewardThreshold: 0.5 });
  });

  it('registering an id again replaces the earlier creator', () => {
    registerEnv('test/Replace-v0', () => new Coin(0));
    registerEnv('test/Replace-v0', () => new Coin(1), { maxEpisodeSteps: 7 });
    const env = makeEnv('test/Replace-v0') as TimeLimit<number, number>;
    expect((env.unwrapped as Coin).side).toBe(1);
    expect(env.maxEpisodeSteps).toBe(7);
  });

  it('rejects an empty id or a creator that is not a function', () => {
    expect(() => registerEnv('', () => new Coin(0))).toThrow(EnvError);
    expect(() => registerEnv('test/Bad-v0', 'not a function' as never)).toThrow(/registerEnv\("test\/Bad-v0"\).*got string/);
  });
});

describe('makeEnv errors', () => {
  it('an unknown id lists the registered ids and suggests the nearest', () => {
    let error: unknown;
    try {
      makeEnv('test/Con-v0');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    expect(message).toContain('Unknown env id "test/Con-v0"');
    expect(message).toContain('Did you mean "test/Coin-v0"?');
    expect(message).toContain(`Registered envs: ${listEnvs().join(', ')}`);
    expect((error as EnvError).code).toBe('ENV_INVALID');
  });

  it('an unknown id far from every registered id gets no suggestion', () => {
    expect(() => envSpec('SomethingCompletelyDifferent')).toThrow(/^(?!.*Did you mean).*Registered envs: /);
  });

  it('a creator that throws gives an EnvError naming the env id and the reason, keeping the cause', () => {
    const cause = new TypeError('envConfig.size must be a number');
    registerEnv('test/Throws-v0', () => {
      throw cause;
    });
    let error: unknown;
    try {
      makeEnv('test/Throws-v0');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toBe('The creator of env "test/Throws-v0" threw: envConfig.size must be a number');
    expect((error as EnvError).cause).toBe(cause);
  });

  it('a creator that throws a non-Error still has its reason reported', () => {
    registerEnv('test/ThrowsString-v0', () => {
      throw 'no GPU here';
    });
    expect(() => makeEnv('test/ThrowsString-v0')).toThrow('The creator of env "test/ThrowsString-v0" threw: no GPU here');
  });

  it('a creator returning something that is not an Env gives an error naming the missing members', () => {
    registerEnv('test/Partial-v0', () => ({ reset: () => ({ obs: 0, info: {} }), actionSpace: new Discrete(2) }) as unknown as Env);
    expect(() => makeEnv('test/Partial-v0')).toThrow(
      new EnvError('The creator of env "test/Partial-v0" returned an object that is not an Env: it lacks step(), observationSpace'),
    );
    registerEnv('test/Null-v0', () => null as unknown as Env);
    expect(() => makeEnv('test/Null-v0')).toThrow(/"test\/Null-v0" must return an Env object, got null/);
    registerEnv('test/Undefined-v0', () => undefined as unknown as Env);
    expect(() => makeEnv('test/Undefined-v0')).toThrow(/got undefined/);
    registerEnv('test/Async-v0', (async () => new Coin(0)) as unknown as EnvCreator);
    expect(() => makeEnv('test/Async-v0')).toThrow(/lacks reset\(\), step\(\), observationSpace, actionSpace/);
  });
});

describe('loadEnvModules', () => {
  it('imports a user’s .js module by absolute path so its registerEnv runs', async () => {
    expect(isEnvRegistered('fixture/Countdown-v0')).toBe(false);
    await loadEnvModules([fixturePath]);
    expect(isEnvRegistered('fixture/Countdown-v0')).toBe(true);
    const env = makeEnv<number, number>('fixture/Countdown-v0', { start: 2 });
    expect(env.spec?.maxEpisodeSteps).toBe(10);
    expect(env.reset().obs).toBe(2);
    expect(env.step(1)).toMatchObject({ obs: 1, terminated: false, truncated: false });
    expect(env.step(1)).toMatchObject({ obs: 0, reward: 1, terminated: true, truncated: false });
  });

  it('accepts a file URL and importing a module twice is harmless', async () => {
    await loadEnvModules([pathToFileURL(fixturePath).href, fixturePath]);
    expect(isEnvRegistered('fixture/Countdown-v0')).toBe(true);
  });

  it('a missing module gives an EnvError naming the specifier', async () => {
    const missing = fileURLToPath(new URL('../__fixtures__/doesNotExist.js', import.meta.url));
    await expect(loadEnvModules([missing])).rejects.toThrow(EnvError);
    await expect(loadEnvModules([missing])).rejects.toThrow(`Could not import env module "${missing}"`);
    await expect(loadEnvModules(['@loomrl/no-such-package'])).rejects.toThrow(/"@loomrl\/no-such-package"/);
  });

  it('stops at the first module that fails, after importing the ones before it', async () => {
    await expect(loadEnvModules([fixturePath, '/no/such/dir/envs.js'])).rejects.toThrow(/"\/no\/such\/dir\/envs\.js"/);
  });
});
