/**
 * RecSim's agent test fixture (`recsim/testing/test_environment.py`): a fully observed 6-state ×
 * 4-action MDP. The user observation is the state, a document's observation its action id (documents
 * come round robin 0, 1, 2, 3, 0, …), the user always takes slate position 0, never leaves, and is
 * paid R[a][s] for the state before the transition.
 */
import { Box, Dict, Discrete, type Rng, type Space } from '@loomrl/core';
import { DocumentSampler, type RecDocument } from '../../framework/document.js';
import { RecSimEnv } from '../../framework/recsimEnv.js';
import type { RecResponse } from '../../framework/response.js';
import { SingleUserEnvironment } from '../../framework/singleUserEnvironment.js';
import { createRecSimStreams } from '../../framework/streams.js';
import { type RecUserState, UserModel, UserSampler } from '../../framework/user.js';

/** R[a][s]. */
export const TEST_REWARDS = [
  [-10, 0, 0, 4, 0, 5],
  [-10, 0, 1, 0, 0, 0],
  [-10, 1, 0, 2, 0, 2],
  [-10, 0, 0, 0, 0, 5],
];

/** Q*(s, a) for γ = 0.5, rows = state, columns = action (RecSim's test). */
export const TEST_Q_GAMMA_HALF = [
  [-8.53022, -8.41259, -7.10072, -12.3547],
  [1.58741, 2.89928, -1.35468, 1.12842],
  [2.89928, -1.35468, 1.12842, 0.94964],
  [1.64532, 1.12842, 2.94964, 1.46978],
  [3.23741, -3.55036, 1.44964, 1.44964],
  [1.44964, 1.44964, 3.44964, 6.47482],
];

class ActionDocument implements RecDocument<number> {
  constructor(
    readonly id: number,
    readonly action: number,
  ) {}
  observation(): number {
    return this.action;
  }
}

class RoundRobinSampler extends DocumentSampler<ActionDocument, number> {
  constructor(rng: Rng) {
    super(new Discrete(4) as unknown as Space<number>, rng);
  }
  protected createDocument(id: number): ActionDocument {
    return new ActionDocument(id, id % 4);
  }
}

class StateUser implements RecUserState<number, number> {
  constructor(public state: number) {}
  observation(): number {
    return this.state;
  }
  scoreDocument(): number {
    return 0;
  }
}

class StartSampler extends UserSampler<StateUser> {
  protected createUser(): StateUser {
    return new StateUser(0);
  }
}

class RewardResponse implements RecResponse<{ reward: Float32Array }> {
  constructor(readonly reward: number) {}
  observation(): { reward: Float32Array } {
    return { reward: Float32Array.of(this.reward) };
  }
}

class MdpUser extends UserModel<StateUser, ActionDocument, RewardResponse, number, number, { reward: Float32Array }> {
  constructor(slateSize: number, rng: Rng) {
    super({
      slateSize,
      sampler: new StartSampler(rng),
      observationSpace: new Discrete(6) as unknown as Space<number>,
      responseSpace: new Dict({ reward: new Box({ low: -10, high: 10, shape: [] }) }) as unknown as Space<{ reward: Float32Array }>,
    });
  }
  simulateResponse(docs: readonly ActionDocument[]): RewardResponse[] {
    const s = this.user.state;
    return docs.map((d, i) => new RewardResponse(i === 0 ? ((TEST_REWARDS[d.action] as number[])[s] as number) : 0));
  }
  updateState(docs: readonly ActionDocument[], _responses: readonly RewardResponse[], rng: Rng): void {
    const a = (docs[0] as ActionDocument).action;
    const s = this.user.state;
    if (s < 4) {
      const u = rng.random();
      const offset = u < 0.1 ? 1 : u < 0.2 ? 2 : 3;
      this.user.state = (s + offset + a) % 6;
    } else if (s === 4) this.user.state = (5 + a) % 6;
    else this.user.state = a;
  }
  isTerminal(): boolean {
    return false;
  }
}

/** The fixture env: `numCandidates` documents (no resampling), slates of `slateSize`. */
export function createTestEnvironment(numCandidates = 10, slateSize = 1, seed = 0) {
  const streams = createRecSimStreams(seed);
  const environment = new SingleUserEnvironment({
    userModel: new MdpUser(slateSize, streams.user),
    documentSampler: new RoundRobinSampler(streams.document),
    numCandidates,
    slateSize,
    resampleDocuments: false,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({
    environment,
    reward: (responses) => responses.reduce((a, r) => a + r.reward, 0),
    streamsForSeed: (s) => createRecSimStreams(s),
  });
}
