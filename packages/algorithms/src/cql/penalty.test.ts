import { selectBackend, tf } from '@loomrl/core/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { conservativePenalty } from './penalty.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

const t = (values: number[]) => tf.tensor1d(values);

describe("CQL's conservative penalty", () => {
  it('is minQWeight · (mean logsumexp of the importance-corrected Q values − mean data Q) on one sample per state', () => {
    // State 0: X = [0 + ln 2, 1 − 0, 2 − 1]  → ln(2 + 2e)      = 2.006375…
    // State 1: X = [1 + ln 2, 0 − (−1), 0 − 0] → ln(2e + e + 1) = 2.214284…
    // 5 · ((2.006375 + 2.214284) / 2 − (1 + 3) / 2) = 0.551730
    const penalty = conservativePenalty(
      { qRandom: t([0, 1]), qNext: t([1, 0]), logpNext: t([0, -1]), qCurrent: t([2, 0]), logpCurrent: t([1, 0]), qData: t([1, 3]) },
      { numActions: 1, actionDim: 1, temperature: 1, minQWeight: 5 },
    );
    expect(penalty.dataSync()[0]).toBeCloseTo(0.5517304, 5);
  });

  it('groups the sampled rows n·B + b by state and applies the temperature and the 0.5ᵈ density', () => {
    // B = 2 states, N = 2 samples, d = 2 (log-density 2 ln 0.5), T = 2, minQWeight 1.5.
    // State 0 X = [0.5 + 2ln2, 2 + 2ln2, 1 + 1, −0.5 − 0, 0 − 0.5, −2 − 1] → 2·lse(X/2) = 5.052038
    // State 1 X = [−1 + 2ln2, 0 + 2ln2, 0.25 − 0.5, 3 − 2, 1.5 + 0.5, 1 − 0] → 2·lse(X/2) = 4.627304
    // 1.5 · ((5.052038 + 4.627304) / 2 − (0.75 − 0.25) / 2) = 6.884506
    const penalty = conservativePenalty(
      {
        qRandom: t([0.5, -1, 2, 0]),
        qNext: t([1, 0.25, -0.5, 3]),
        logpNext: t([-1, 0.5, 0, 2]),
        qCurrent: t([0, 1.5, -2, 1]),
        logpCurrent: t([0.5, -0.5, 1, 0]),
        qData: t([0.75, -0.25]),
      },
      { numActions: 2, actionDim: 2, temperature: 2, minQWeight: 1.5 },
    );
    expect(penalty.dataSync()[0]).toBeCloseTo(6.8845061, 5);
  });
});
