import { SlateQConfig } from './config.js';

/**
 * SlateQ on Interest Evolution (RLlib's tuned example `interest-evolution-10-candidates-recsim-env-slateq`:
 * 10 candidates, slate 2, resampled documents, seed 0), tuned for LoomRL: the no-click value is
 * learned (the default), one shared item tower (the SlateQ paper's Q(s, i); RLlib's per-candidate
 * towers learn 10× slower here), Adam at lr 1e-3, learning and ε decay from 10k env steps
 * (ε 1 → 0.01 over 40k), the target network copied every 800 steps. Reaches a greedy evaluation
 * of 200+ by about 20k env steps (RLlib's tuned example stops at 160; random ≈ 154,
 * greedy-click ≈ 165).
 */
export function interestEvolutionSlateQ(options: { seed?: number; numRolloutWorkers?: number; numCandidates?: number } = {}): SlateQConfig {
  return new SlateQConfig()
    .environment({
      env: 'RecSim/InterestEvolution-v0',
      envConfig: { numCandidates: options.numCandidates ?? 10, slateSize: 2, resampleDocuments: true, seed: 0 },
    })
    .rollouts({ numRolloutWorkers: options.numRolloutWorkers ?? 0 })
    .training({
      candidateTowers: 'shared',
      lr: 1e-3,
      targetNetworkUpdateFreq: 800,
      numStepsSampledBeforeLearningStarts: 10_000,
      replayBufferConfig: { capacity: 100_000 },
    })
    .exploration({ explorationConfig: { warmupTimesteps: 10_000, epsilonTimesteps: 40_000, finalEpsilon: 0.01 } })
    .evaluation({ evaluationDuration: 50, evaluationConfig: { explore: false } })
    .reporting({ minSampleTimestepsPerIteration: 1000, minTimeSPerIteration: null })
    .debugging({ seed: options.seed ?? 0 });
}
