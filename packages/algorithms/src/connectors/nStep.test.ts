import type { TransitionColumns } from '@loomrl/core';
import { ConfigError, DataError, SampleBatch } from '@loomrl/core';
import { describe, expect, it } from 'vitest';
import { computeNStepTransitions } from './nStep.js';

type Steps = TransitionColumns & { readonly t: Int32Array; readonly actionProb: Float32Array };

interface Step {
  readonly r: number;
  readonly eps: number;
  readonly term?: boolean;
  readonly trunc?: boolean;
}

/** One row per step; row i has obs [i], nextObs [i + 1, 10·(i + 1)] (width 2 to check the copy), t = i. */
function steps(list: readonly Step[]): SampleBatch<Steps> {
  const n = list.length;
  return new SampleBatch<Steps>(
    n,
    { obs: 1, nextObs: 2, actions: 1, rewards: 1, terminateds: 1, truncateds: 1, epsId: 1, envId: 1, t: 1, actionProb: 1 },
    {
      obs: Float32Array.from(list, (_, i) => i),
      nextObs: Float32Array.from(list.flatMap((_, i) => [i + 1, 10 * (i + 1)])),
      actions: Float32Array.from(list, (_, i) => i % 2),
      rewards: Float32Array.from(list, (s) => s.r),
      terminateds: Uint8Array.from(list, (s) => (s.term ? 1 : 0)),
      truncateds: Uint8Array.from(list, (s) => (s.trunc ? 1 : 0)),
      epsId: Float64Array.from(list, (s) => s.eps),
      envId: new Int32Array(n),
      t: Int32Array.from(list, (_, i) => i),
      actionProb: Float32Array.from(list, (_, i) => 0.1 * i),
    },
  );
}

/** The row whose next observation row i now holds (nextObs[0] − 1). */
function nextRows(batch: SampleBatch<Steps>): number[] {
  return Array.from({ length: batch.count }, (_, i) => (batch.columns.nextObs[2 * i] as number) - 1);
}

const f32 = (values: number[]): number[] => values.map(Math.fround);
const gamma = 0.9;

describe('computeNStepTransitions', () => {
  it('with nStep 1 keeps every row and adds the discount gamma', () => {
    const batch = steps([
      { r: 1, eps: 1 },
      { r: 2, eps: 1 },
      { r: 3, eps: 1, term: true },
    ]);
    const out = computeNStepTransitions(batch, { nStep: 1, gamma });
    expect(Array.from(out.columns.rewards)).toEqual([1, 2, 3]);
    expect(nextRows(out)).toEqual([0, 1, 2]);
    expect(Array.from(out.columns.terminateds)).toEqual([0, 0, 1]);
    expect(Array.from(out.columns.nStepDiscounts)).toEqual(f32([gamma, gamma, gamma]));
  });

  it('sums n discounted rewards inside a segment and shortens the window at a fragment end, discounting by gamma^k', () => {
    const r = [1, 2, 3, 4, 5, 6];
    const out = computeNStepTransitions(steps(r.map((x) => ({ r: x, eps: 7 }))), { nStep: 3, gamma });
    const g = gamma;
    expect(Array.from(out.columns.rewards)).toEqual(
      f32([1 + g * 2 + g * g * 3, 2 + g * 3 + g * g * 4, 3 + g * 4 + g * g * 5, 4 + g * 5 + g * g * 6, 5 + g * 6, 6]),
    );
    expect(nextRows(out)).toEqual([2, 3, 4, 5, 5, 5]);
    // Near the fragment end only 2 and 1 rows remain: their bootstrap is discounted by γ² and γ, not γ³ (RLlib's quirk).
    expect(Array.from(out.columns.nStepDiscounts)).toEqual(f32([g ** 3, g ** 3, g ** 3, g ** 3, g ** 2, g]));
    expect(Array.from(out.columns.terminateds)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(out.columns.truncateds)).toEqual([0, 0, 0, 0, 0, 0]);
    // The next observation is copied as a whole row.
    expect(Array.from(out.columns.nextObs.subarray(0, 2))).toEqual([3, 30]);
  });

  it('stops at a terminated row and carries its terminated flag', () => {
    const out = computeNStepTransitions(
      steps([
        { r: 1, eps: 1 },
        { r: 2, eps: 1 },
        { r: 3, eps: 1, term: true },
        { r: 10, eps: 2 },
        { r: 20, eps: 2 },
      ]),
      { nStep: 4, gamma },
    );
    const g = gamma;
    expect(Array.from(out.columns.rewards)).toEqual(f32([1 + g * 2 + g * g * 3, 2 + g * 3, 3, 10 + g * 20, 20]));
    expect(Array.from(out.columns.terminateds)).toEqual([1, 1, 1, 0, 0]);
    expect(nextRows(out)).toEqual([2, 2, 2, 4, 4]);
    expect(Array.from(out.columns.nStepDiscounts)).toEqual(f32([g ** 3, g ** 2, g, g ** 2, g]));
  });

  it('stops at a truncated row and carries its truncated flag, not a termination', () => {
    const out = computeNStepTransitions(
      steps([
        { r: 1, eps: 1 },
        { r: 1, eps: 1, trunc: true },
        { r: 5, eps: 2 },
      ]),
      { nStep: 3, gamma: 0.5 },
    );
    expect(Array.from(out.columns.rewards)).toEqual([1.5, 1, 5]);
    expect(Array.from(out.columns.truncateds)).toEqual([1, 1, 0]);
    expect(Array.from(out.columns.terminateds)).toEqual([0, 0, 0]);
    expect(nextRows(out)).toEqual([1, 1, 2]);
    expect(Array.from(out.columns.nStepDiscounts)).toEqual([0.25, 0.5, 0.5]);
  });

  it('never sums across an episode-id change, even without a done flag (two envs in one batch)', () => {
    const out = computeNStepTransitions(
      steps([
        { r: 1, eps: 100 },
        { r: 2, eps: 100 },
        { r: 4, eps: 200 },
        { r: 8, eps: 200 },
      ]),
      { nStep: 5, gamma: 0.5 },
    );
    expect(Array.from(out.columns.rewards)).toEqual([2, 2, 8, 8]);
    expect(nextRows(out)).toEqual([1, 1, 3, 3]);
    expect(Array.from(out.columns.nStepDiscounts)).toEqual([0.25, 0.5, 0.25, 0.5]);
  });

  it('gives the Monte Carlo return of a terminated episode when nStep covers it', () => {
    const r = [0.5, -1, 2, 3];
    const list = r.map((x, i) => ({ r: x, eps: 3, term: i === r.length - 1 }));
    const out = computeNStepTransitions(steps(list), { nStep: 10, gamma });
    const returns = r.map((_, i) => r.slice(i).reduce((sum, x, k) => sum + gamma ** k * x, 0));
    expect(Array.from(out.columns.rewards)).toEqual(f32(returns));
    expect(Array.from(out.columns.terminateds)).toEqual([1, 1, 1, 1]);
  });

  it('leaves the input batch as it was and carries the other columns unchanged', () => {
    const batch = steps([
      { r: 1, eps: 1 },
      { r: 2, eps: 1 },
      { r: 3, eps: 1, term: true },
    ]);
    const before = structuredClone(batch.columns);
    const out = computeNStepTransitions(batch, { nStep: 3, gamma });
    expect(batch.columns).toEqual(before);
    expect(out.columns.obs).toBe(batch.columns.obs);
    expect(out.columns.actionProb).toBe(batch.columns.actionProb);
    expect(out.columns.t).toBe(batch.columns.t);
    expect(out.widths.nStepDiscounts).toBe(1);
    expect(out.widths.nextObs).toBe(2);
  });

  it('handles an empty batch', () => {
    const out = computeNStepTransitions(steps([]), { nStep: 3, gamma });
    expect(out.count).toBe(0);
    expect(out.columns.nStepDiscounts.length).toBe(0);
  });

  it('rejects a bad nStep or gamma with a ConfigError and a batch without nextObs with a DataError', () => {
    const batch = steps([{ r: 1, eps: 1 }]);
    expect(() => computeNStepTransitions(batch, { nStep: 0, gamma })).toThrow(ConfigError);
    expect(() => computeNStepTransitions(batch, { nStep: 2.5, gamma })).toThrow('nStep expected an integer >= 1, got 2.5');
    expect(() => computeNStepTransitions(batch, { nStep: 2, gamma: 1.5 })).toThrow('gamma expected a number in [0, 1], got 1.5');
    expect(() => computeNStepTransitions(batch, { nStep: 2, gamma: Number.NaN })).toThrow('got NaN');
    const { nextObs: _n, ...rest } = batch.columns;
    const { nextObs: _w, ...restWidths } = batch.widths;
    const withoutNext = new SampleBatch(1, restWidths, rest) as unknown as SampleBatch<Steps>;
    expect(() => computeNStepTransitions(withoutNext, { nStep: 2, gamma })).toThrow(DataError);
    expect(() => computeNStepTransitions(withoutNext, { nStep: 2, gamma })).toThrow(
      'computeNStepTransitions: the batch lacks column "nextObs"',
    );
  });
});
