import { createRng, type Rng } from '@loomrl/core';
import { AbstractEpisodicRecommenderAgent, type AgentObservation, type AgentSpaces, type Slate } from './agent.js';

/**
 * Recommends a uniformly random ordered slate of distinct candidates (RecSim's `RandomAgent`):
 * shuffles the C positions with its own seeded stream and shows the first S. It does not learn.
 */
export class RandomAgent extends AbstractEpisodicRecommenderAgent {
  private readonly rng: Rng;

  /** An agent for `spaces.actionSpace`, drawing from a stream seeded with `randomSeed` (default 0). */
  constructor(spaces: Pick<AgentSpaces, 'actionSpace'> & { readonly randomSeed?: number }) {
    super(spaces.actionSpace);
    this.rng = createRng(spaces.randomSeed ?? 0, 'RandomAgent');
  }

  step(_reward: number, observation: AgentObservation): Slate {
    const positions = Object.keys(observation.doc).map((_, k) => k);
    for (let i = positions.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [positions[i], positions[j]] = [positions[j] as number, positions[i] as number];
    }
    return positions.slice(0, this.slateSize);
  }
}
