import { ConfigError } from '@loomrl/core';
import { IEV_ENV_ID } from '../interestEvolution/config.js';
import { IEXP_ENV_ID } from '../interestExploration/config.js';
import type { IExpDocumentObservation } from '../interestExploration/documents.js';
import { resolveInterestExplorationConfig } from '../interestExploration/env.js';
import type { PolicyContext, RecSimPolicy, RecSimPolicyFactory } from './policy.js';
import { slateAsAction, slateSizeOf, structuredObservation, topPositions } from './policy.js';

/** Uniformly random actions from the env's action space (RLlib's random baseline; slates may repeat a document). */
export const randomPolicy: RecSimPolicyFactory = ({ env, rng }) => ({ act: () => env.actionSpace.sample(rng) });

/** A policy that ranks candidates by `score(obs, k)` and shows the top S. */
function rankingPolicy(
  context: PolicyContext,
  name: string,
  score: (obs: ReturnType<typeof structuredObservation>, key: string) => number,
): RecSimPolicy {
  let scores = new Float64Array(0);
  return {
    act(raw) {
      const obs = structuredObservation(raw, name);
      const keys = Object.keys(obs.doc);
      if (scores.length !== keys.length) scores = new Float64Array(keys.length);
      for (let k = 0; k < keys.length; k++) scores[k] = score(obs, keys[k] as string);
      const slate = topPositions(scores, slateSizeOf(context.env, keys.length));
      return slateAsAction(context.env, slate, keys.length);
    },
  };
}

/** LTS: always consume the sweetest (highest clickbait score) candidate — the tutorial's "always sweet". */
export const sweetestPolicy: RecSimPolicyFactory = (context) =>
  rankingPolicy(context, 'sweetest', (obs, key) => (obs.doc[key] as Float32Array)[0] as number);

/** LTS: always consume the kale-iest (lowest clickbait score) candidate — the tutorial's "always kale". */
export const kaleistPolicy: RecSimPolicyFactory = (context) =>
  rankingPolicy(context, 'kaleist', (obs, key) => -((obs.doc[key] as Float32Array)[0] as number));

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Show the S candidates the user is most likely to click. Interest Evolution: the click score u·f
 * (interests are observed). Interest Exploration: quality + the population's expected affinity for
 * the topic, E[g_k] = Σ_t P(t)·exp(M[t][k] + σ²/2) (affinities are hidden).
 */
export const greedyClickPolicy: RecSimPolicyFactory = (context) => {
  if (context.envId === IEV_ENV_ID) {
    return rankingPolicy(context, 'greedyClick', (obs, key) => dot(obs.user as Float32Array, obs.doc[key] as Float32Array));
  }
  if (context.envId === IEXP_ENV_ID) {
    const p = resolveInterestExplorationConfig(context.envConfig);
    const prior = p.documentTopicProbs.map((_, k) =>
      p.userTypeProbs.reduce(
        (sum, pt, t) => sum + pt * Math.exp(((p.userAffinityMeans[t] as number[])[k] as number) + p.userAffinityStddev ** 2 / 2),
        0,
      ),
    );
    return rankingPolicy(context, 'greedyClick', (obs, key) => {
      const doc = obs.doc[key] as IExpDocumentObservation;
      return (prior[doc.clusterId] as number) + (doc.quality[0] as number);
    });
  }
  throw new ConfigError(`Policy "greedyClick" supports ${IEV_ENV_ID} and ${IEXP_ENV_ID}, not "${context.envId}".`);
};

/**
 * Show the S highest-quality candidates. Interest Exploration: quality is observed. Interest
 * Evolution: quality is hidden, so each cluster's quality is the mean of the qualities revealed by
 * this episode's responses; clusters not seen yet rank first (optimism), then by estimate.
 */
export const greedyQualityPolicy: RecSimPolicyFactory = (context) => {
  if (context.envId === IEXP_ENV_ID) {
    return rankingPolicy(context, 'greedyQuality', (obs, key) => (obs.doc[key] as IExpDocumentObservation).quality[0] as number);
  }
  if (context.envId === IEV_ENV_ID) {
    let sums = new Float64Array(0);
    let counts = new Float64Array(0);
    const inner = rankingPolicy(context, 'greedyQuality', (obs, key) => {
      const features = obs.doc[key] as Float32Array;
      const cluster = features.indexOf(1);
      const n = counts[cluster] ?? 0;
      return n === 0 ? Number.POSITIVE_INFINITY : (sums[cluster] as number) / n;
    });
    return {
      reset() {
        sums = new Float64Array(0);
        counts = new Float64Array(0);
      },
      act(raw) {
        const obs = structuredObservation(raw, 'greedyQuality');
        const numClusters = (obs.user as Float32Array).length;
        if (counts.length !== numClusters) {
          sums = new Float64Array(numClusters);
          counts = new Float64Array(numClusters);
        }
        for (const r of obs.response as readonly { quality: Float32Array; clusterId: number; click: number }[]) {
          // Reset responses carry no document (all zeros); real responses reveal the shown document's quality.
          if (r.quality[0] === 0 && r.click === 0 && r.clusterId === 0) continue;
          sums[r.clusterId] = (sums[r.clusterId] as number) + (r.quality[0] as number);
          counts[r.clusterId] = (counts[r.clusterId] as number) + 1;
        }
        return inner.act(obs);
      },
    };
  }
  throw new ConfigError(`Policy "greedyQuality" supports ${IEV_ENV_ID} and ${IEXP_ENV_ID}, not "${context.envId}".`);
};

/** The baseline policies by name, as an evaluation chunk names them. */
export const RECSIM_BASELINE_POLICIES: Readonly<Record<string, RecSimPolicyFactory>> = Object.freeze({
  random: randomPolicy,
  sweetest: sweetestPolicy,
  kaleist: kaleistPolicy,
  greedyClick: greedyClickPolicy,
  greedyQuality: greedyQualityPolicy,
});
