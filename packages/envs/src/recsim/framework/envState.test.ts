import { Box, createRng, Discrete, type Env, EnvError, envHasState, makeEnv, type Rng, type Space } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { createTestEnvironment } from '../agents/__fixtures__/testEnvironment.js';
import { RECSIM_ENV_IDS } from '../register.js';
import { DocumentSampler, type RecDocument } from './document.js';
import { RecSimEnv } from './recsimEnv.js';
import { SingleUserEnvironment } from './singleUserEnvironment.js';
import { createRecSimStreams } from './streams.js';
import { type RecUserState, UserModel, UserSampler } from './user.js';
import '../register.js';

/** A user that keeps its own random stream (not plain data). */
class NoisyUser implements RecUserState<Float32Array, number> {
  constructor(readonly noise: Rng) {}
  observation(): Float32Array {
    return Float32Array.of(this.noise.random());
  }
  scoreDocument(): number {
    return 0;
  }
}

class NoisySampler extends UserSampler<NoisyUser> {
  protected createUser(rng: Rng): NoisyUser {
    return new NoisyUser(createRng(rng.uint32()));
  }
}

class Item implements RecDocument<number> {
  constructor(readonly id: number) {}
  observation(): number {
    return this.id % 2;
  }
}

class Items extends DocumentSampler<Item, number> {
  protected createDocument(id: number): Item {
    return new Item(id);
  }
}

class NoisyModel extends UserModel<NoisyUser, Item, never, Float32Array, number, number> {
  simulateResponse(): never[] {
    return [];
  }
  updateState(): void {}
  isTerminal(): boolean {
    return false;
  }
}

function noisyEnv() {
  const streams = createRecSimStreams(0);
  const userModel = new NoisyModel({
    slateSize: 1,
    sampler: new NoisySampler(streams.user),
    observationSpace: new Box({ low: 0, high: 1, shape: [1] }) as unknown as Space<Float32Array>,
    responseSpace: new Discrete(2) as unknown as Space<number>,
  });
  const environment = new SingleUserEnvironment({
    userModel,
    documentSampler: new Items(new Discrete(2) as unknown as Space<number>, streams.document),
    numCandidates: 2,
    slateSize: 1,
    resampleDocuments: true,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({ environment, reward: () => 0, streamsForSeed: createRecSimStreams });
}

/** `steps` steps of a seeded random slate policy, resetting (unseeded) at episode ends; the trace as JSON. */
function run(env: Env, steps: number, seed: number): string {
  const rng = createRng(seed);
  const trace: unknown[] = [];
  const space = env.actionSpace as unknown as { nvec: ArrayLike<number> };
  for (let t = 0; t < steps; t++) {
    const action = Int32Array.from(space.nvec, (n) => rng.int(n));
    const s = env.step(action);
    trace.push(s.obs, s.reward, s.terminated, s.truncated);
    if (s.terminated || s.truncated) trace.push(env.reset().obs);
  }
  return JSON.stringify(trace, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v));
}

describe('a RecSim env state', () => {
  it.each(
    RECSIM_ENV_IDS.flatMap((id) => [
      [id, { numCandidates: 6, slateSize: 2, horizon: 60 }],
      [id, { numCandidates: 5, slateSize: 1 }],
    ]),
  )('of %s %j survives JSON and continues its episodes exactly like the uninterrupted env', (id, config) => {
    const original = makeEnv(id, config);
    expect(envHasState(original)).toBe(true);
    original.reset({ seed: 3 });
    run(original, 37, 1);
    const saved = JSON.stringify(original.getState?.());
    const straight = run(original, 150, 2);
    const restored = makeEnv(id, config);
    restored.reset({ seed: 11 });
    restored.setState?.(JSON.parse(saved));
    expect(run(restored, 150, 2)).toBe(straight);
    const unrestored = makeEnv(id, config);
    unrestored.reset({ seed: 11 });
    expect(run(unrestored, 150, 2)).not.toBe(straight);
  });

  it('is reported by a user-authored env of plain data, and not by one whose user holds a Rng (its restored episodes start afresh)', () => {
    expect(envHasState(createTestEnvironment())).toBe(true);
    const noisy = noisyEnv();
    expect(envHasState(noisy)).toBe(false);
    expect(noisy.getState).toBeUndefined();
  });

  it('refuses a foreign state with an EnvError', () => {
    const env = makeEnv('RecSim/InterestEvolution-v0', { numCandidates: 4 });
    expect(() => env.setState?.({ candidates: [] })).toThrow(EnvError);
    expect(() => env.setState?.(null)).toThrow(/expected what getState\(\) returned \(4 candidates\)/);
  });
});
