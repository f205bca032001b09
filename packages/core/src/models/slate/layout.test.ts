import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Box, Dict, Discrete, MultiDiscrete, Tuple } from '../../spaces/index.js';
import { choiceParameterLayout, slateChoiceWeights } from './choice.js';
import { clickedPosition, slateObservationLayout } from './layout.js';

/** A RecSim-shaped space: user Box(U), C documents Box(D), S responses { click, watchTime }. */
function recSimSpace(U: number, D: number, C: number, S: number) {
  const docs: Record<string, Box> = {};
  for (let k = 0; k < C; k++) docs[String(k)] = new Box({ low: -1, high: 1, shape: [D] });
  const response = () => new Dict({ watchTime: new Box({ low: 0, high: 100, shape: [] }), click: new Discrete(2) });
  return new Dict({
    user: new Box({ low: -1, high: 1, shape: [U] }),
    doc: new Dict(docs),
    response: new Tuple(Array.from({ length: S }, response)),
  });
}

describe('the RecSim observation layout', () => {
  it('finds user, documents and responses in the Dict flatten order', () => {
    const layout = slateObservationLayout(recSimSpace(3, 2, 4, 2), new MultiDiscrete([4, 4]));
    expect(layout).toEqual({
      obsDim: 3 + 4 * 2 + 2 * 3,
      userOffset: 0,
      userDim: 3,
      docOffset: 3,
      docDim: 2,
      numCandidates: 4,
      responseOffset: 11,
      responseDim: 3,
      slateSize: 2,
      clickOffset: 2, // watchTime (1) then the one-hot click's "1" entry
    });
    const space = recSimSpace(3, 2, 4, 2);
    const flat = space.flatten({
      user: Float32Array.of(0, 0, 0),
      doc: { 0: Float32Array.of(0, 0), 1: Float32Array.of(0, 0), 2: Float32Array.of(0, 0), 3: Float32Array.of(0, 0) },
      response: [
        { watchTime: Float32Array.of(0), click: 0 },
        { watchTime: Float32Array.of(4), click: 1 },
      ],
    } as never);
    expect(clickedPosition(layout, flat, 0)).toBe(1);
  });

  it('refuses observations without the RecSim structure, naming the space', () => {
    const flat = new Box({ low: 0, high: 1, shape: [5] });
    expect(() => slateObservationLayout(flat, new MultiDiscrete([2, 2]))).toThrow(ConfigError);
    expect(() => slateObservationLayout(flat, new MultiDiscrete([2, 2]))).toThrow(/RecSim's observation structure.*Box/);
    const noClick = new Dict({
      user: new Box({ low: 0, high: 1, shape: [1] }),
      doc: new Dict({ 0: new Box({ low: 0, high: 1, shape: [1] }) }),
      response: new Tuple([new Dict({ engagement: new Box({ low: 0, high: 1, shape: [] }) })]),
    });
    expect(() => slateObservationLayout(noClick, new MultiDiscrete([1]))).toThrow(/no "click" entry/);
  });

  it('refuses a slate size larger than the candidates and non-slate actions', () => {
    expect(() => slateObservationLayout(recSimSpace(1, 1, 2, 3), new MultiDiscrete([2, 2, 2]))).toThrow(
      /slate size \(3.*larger than the 2 candidates/,
    );
    expect(() => slateObservationLayout(recSimSpace(1, 1, 4, 2), new Discrete(16))).toThrow(/MultiDiscrete/);
  });
});

describe('slate choice weights', () => {
  it("use RLlib's fixed scores user·doc + 1 with no-click weight 2", () => {
    const space = recSimSpace(2, 2, 3, 2);
    const layout = slateObservationLayout(space, new MultiDiscrete([3, 3]));
    const obs = new Float32Array(layout.obsDim);
    obs.set([0.5, -0.25], 0);
    obs.set([1, 0, 0, 1, 1, 1], layout.docOffset);
    const weights = new Float64Array(6);
    const noClick = slateChoiceWeights({ type: 'fixedProportional', minNormalizer: -1, noClickMass: 1 }, layout, null, obs, 0, weights);
    expect(noClick).toBe(2);
    expect([...weights.subarray(0, 3)]).toEqual([1.5, 0.75, 1.25]);
  });

  it('use the learned logit uᵀWd + w·d + bias_p, normalised by a common shift', () => {
    const layout = slateObservationLayout(recSimSpace(1, 2, 2, 2), new MultiDiscrete([2, 2]));
    const at = choiceParameterLayout(layout);
    const params = new Float32Array(at.size);
    params.set([0.5, -1], at.bilinear); // W = [0.5, −1]
    params.set([0.25, 0], at.linear);
    params.set([2, 0], at.positionBias);
    params[at.noClick] = 1;
    const obs = new Float32Array(layout.obsDim);
    obs[0] = 2; // user
    obs.set([1, 0, 0, 1], layout.docOffset); // doc 0 = e0, doc 1 = e1
    const weights = new Float64Array(4);
    const noClick = slateChoiceWeights({ type: 'learnedLogit' }, layout, params, obs, 0, weights);
    // Logits: doc0 = 2·0.5 + 0.25 = 1.25, doc1 = 2·(−1) = −2; + bias (2, 0); no-click 1.
    const logits = [1.25 + 2, -2 + 2, 1.25, -2];
    const ratio = (i: number) => (weights[i] as number) / noClick;
    logits.forEach((l, i) => {
      expect(ratio(i)).toBeCloseTo(Math.exp(l - 1), 10);
    });
  });
});
