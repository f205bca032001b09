/**
 * The accept/reject catalogue, a new RecSim environment authored with LoomRL's framework the way
 * RecSim users do (the env module of examples/recsim-custom-env.ts and recsim-wolpertinger.ts;
 * importing it registers "Example/AcceptReject-v0"). A catalogue of items is recommended one at a
 * time (slate size 1) to users of a few types; a user of type k accepts item j with probability
 * W[k][j]. After an accept the user leaves with probability `exitAfterAccept`, after a reject with
 * `exitAfterReject`. Reward = 1 per accept. Exports the optimal recommender (argmax_j W[k][j]) and
 * the closed-form values p / (p·exitAfterAccept + (1 − p)·exitAfterReject).
 */
import { Dict, Discrete, type EnvContext, type Rng, registerEnv, type Space } from '@loomrl/core';
import {
  type ClickResponse,
  createRecSimStreams,
  DocumentSampler,
  float32Box,
  type RecDocument,
  type RecResponse,
  RecSimEnv,
  type RecSimPolicyFactory,
  type RecUserState,
  SingleUserEnvironment,
  structuredObservation,
  totalClicksReward,
  UserModel,
  UserSampler,
  validateRecSimConfig,
} from '@loomrl/envs';

// 1. The env's parameters, validated like the stock envs' (unknown keys get a did-you-mean).
export const ENV_ID = 'Example/AcceptReject-v0';
const SCHEMA = {
  acceptProbs: {
    kind: 'numberMatrix',
    default: [
      [0.9, 0.4, 0.2, 0.1, 0.3],
      [0.1, 0.3, 0.8, 0.2, 0.5],
      [0.2, 0.2, 0.3, 0.7, 0.1],
    ],
    min: 0,
    max: 1,
    doc: 'W[k][j]: P(user type k accepts item j)',
  },
  exitAfterAccept: { kind: 'number', default: 0.1, min: 0, max: 1, doc: 'P(leave | accepted)' },
  exitAfterReject: { kind: 'number', default: 0.3, min: 0, max: 1, doc: 'P(leave | rejected)' },
  seed: { kind: 'integer', default: 0, min: 0, doc: 'seeds every stream' },
} as const;
type Config = ReturnType<typeof validateRecSimConfig<typeof SCHEMA>>;

// 2. Documents: the catalogue items, observed as one-hot item ids; the sampler cycles through them.
class Item implements RecDocument<Float32Array> {
  private readonly features: Float32Array;
  constructor(
    readonly id: number,
    readonly item: number,
    numItems: number,
  ) {
    this.features = new Float32Array(numItems);
    this.features[item] = 1;
  }
  observation(): Float32Array {
    return this.features;
  }
}

class CatalogueSampler extends DocumentSampler<Item, Float32Array> {
  constructor(
    private readonly numItems: number,
    rng: Rng,
  ) {
    super(float32Box({ low: 0, high: 1, shape: [numItems] }), rng);
  }
  protected createDocument(id: number): Item {
    return new Item(id, id % this.numItems, this.numItems);
  }
}

// 3. Users: a type drawn uniformly, observed one-hot; `left` is set when they exit.
class Shopper implements RecUserState<Float32Array, Float32Array> {
  left = false;
  constructor(
    readonly type: number,
    private readonly numTypes: number,
  ) {}
  observation(): Float32Array {
    const obs = new Float32Array(this.numTypes);
    obs[this.type] = 1;
    return obs;
  }
  scoreDocument(): number {
    return 0; // unused: acceptance is a per-item coin flip, not a choice among items
  }
}

class ShopperSampler extends UserSampler<Shopper> {
  constructor(
    private readonly numTypes: number,
    rng: Rng,
  ) {
    super(rng);
  }
  protected createUser(rng: Rng): Shopper {
    return new Shopper(rng.int(this.numTypes), this.numTypes);
  }
}

// 4. Responses and the user model: accept with W[type][item], then leave with the exit probability.
interface Reaction {
  readonly click: number;
}
class Decision implements RecResponse<Reaction>, ClickResponse {
  constructor(readonly clicked: boolean) {}
  observation(): Reaction {
    return { click: this.clicked ? 1 : 0 };
  }
}

class ShopperModel extends UserModel<Shopper, Item, Decision, Float32Array, Float32Array, Reaction> {
  constructor(
    private readonly config: Config,
    sampler: ShopperSampler,
  ) {
    const numTypes = config.acceptProbs.length;
    super({
      slateSize: 1,
      sampler,
      observationSpace: float32Box({ low: 0, high: 1, shape: [numTypes] }),
      responseSpace: new Dict({ click: new Discrete(2) }) as unknown as Space<Reaction>,
    });
  }
  simulateResponse(items: readonly Item[], rng: Rng): Decision[] {
    const w = this.config.acceptProbs[this.user.type] as number[];
    return items.map((item) => new Decision(rng.random() < (w[item.item] as number)));
  }
  updateState(_items: readonly Item[], responses: readonly Decision[], rng: Rng): void {
    const exit = responses[0]?.clicked ? this.config.exitAfterAccept : this.config.exitAfterReject;
    if (rng.random() < exit) this.user.left = true;
  }
  isTerminal(): boolean {
    return this.user.left;
  }
}

// 5. Assemble and register, so configs (and later worker threads) can name it.
function createAcceptRejectEnv(envConfig: unknown, context: EnvContext) {
  const config = validateRecSimConfig(ENV_ID, SCHEMA, envConfig);
  const numItems = (config.acceptProbs[0] as number[]).length;
  const streams = createRecSimStreams(config.seed, context);
  const environment = new SingleUserEnvironment({
    userModel: new ShopperModel(config, new ShopperSampler(config.acceptProbs.length, streams.user)),
    documentSampler: new CatalogueSampler(numItems, streams.document),
    numCandidates: numItems,
    slateSize: 1,
    resampleDocuments: false,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({ environment, reward: totalClicksReward, streamsForSeed: (seed) => createRecSimStreams(seed, context) });
}
registerEnv(ENV_ID, createAcceptRejectEnv);

// 6. The optimal recommender.
/** The optimal recommender: the item the user's type accepts most often. */
export const argmaxW: RecSimPolicyFactory = ({ envConfig }) => {
  const W = validateRecSimConfig(ENV_ID, SCHEMA, envConfig).acceptProbs;
  return {
    act(raw) {
      const type = (structuredObservation(raw, 'argmaxW').user as Float32Array).indexOf(1);
      const w = W[type] as number[];
      return Int32Array.of(w.indexOf(Math.max(...w)));
    },
  };
};

/** The env's default settings (W and the exit probabilities). */
export const config = validateRecSimConfig(ENV_ID, SCHEMA, {});
/** The closed-form mean return of always showing an item accepted with probability p. */
export const value = (p: number) => p / (p * config.exitAfterAccept + (1 - p) * config.exitAfterReject);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** The closed-form mean return of the random and the optimal recommender from a uniform user type. */
export const expected = {
  random: mean(config.acceptProbs.map((w) => value(mean(w)))),
  argmaxW: mean(config.acceptProbs.map((w) => value(Math.max(...w)))),
};
