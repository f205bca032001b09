import { createRng, type Env, EnvError, envHasState, makeEnv } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { RECSIM_ENV_IDS } from '../register.js';
import '../register.js';

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

  it('refuses a foreign state with an EnvError', () => {
    const env = makeEnv('RecSim/InterestEvolution-v0', { numCandidates: 4 });
    expect(() => env.setState?.({ candidates: [] })).toThrow(EnvError);
    expect(() => env.setState?.(null)).toThrow(/expected what getState\(\) returned \(4 candidates\)/);
  });
});
