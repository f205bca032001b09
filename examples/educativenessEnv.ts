/**
 * The "educativeness" variant of Long Term Satisfaction from RecSim's cluster-bandit tutorial
 * (RecSim's choc/kale tutorial renamed — kaleness → educativeness — plus a document cluster),
 * authored with LoomRL's RecSim framework. Importing this module registers "Example/Educativeness-v0".
 *
 * - Documents: educativeness e ~ U[0, 1) and a cluster id uniform in {0…3}; observed as
 *   `{ educativeness, clusterId }`.
 * - Users: net educativeness exposure nee₀ = (u − 0.5)/(1 − β), satisfaction σ(τ·nee); the
 *   agent observes satisfaction + N(0, 0.1).
 * - Choice: multinomial logit over 1 − e (less educative = more clickable), always one click.
 * - Response: engagement exp(N((e·5 + (1 − e)·4)·sat, e·1 + (1 − e)·1)) for the clicked document;
 *   `clusterId` on every position (so impression counts are per cluster).
 * - Update (clicked document): nee ← β·nee − 2(e − 0.5) + N(0, η); 60 steps per session.
 * Reward = the clicked document's engagement. As in the tutorial, the labels are inverted relative
 * to the story (an educative document gets the higher "meme" engagement and lowers satisfaction).
 */
import { Box, Dict, Discrete, type EnvContext, type Rng, registerEnv, type Space } from '@loomrl/core';
import {
  type ClickResponse,
  clickedSumReward,
  createRecSimStreams,
  DocumentSampler,
  float32Box,
  MultinomialLogitChoiceModel,
  NO_CLICK,
  type RecDocument,
  type RecResponse,
  RecSimEnv,
  type RecUserState,
  SingleUserEnvironment,
  sigmoid,
  UserModel,
  UserSampler,
  validateRecSimConfig,
} from '@loomrl/envs';

/** The registered id. */
export const EDUCATIVENESS_ENV_ID = 'Example/Educativeness-v0';
const NUM_CLUSTERS = 4;

const SCHEMA = {
  numCandidates: { kind: 'integer', default: 10, min: 1, doc: 'documents offered per step' },
  slateSize: { kind: 'integer', default: 3, min: 1, doc: 'documents shown per step' },
  memoryDiscount: { kind: 'number', default: 0.9, min: 0, below: 1, doc: 'β, decay of the exposure' },
  sensitivity: { kind: 'number', default: 0.01, doc: 'τ, slope of satisfaction vs exposure' },
  innovationStddev: { kind: 'number', default: 0.05, min: 0, doc: 'η, exposure noise' },
  memeMean: { kind: 'number', default: 5, doc: 'log-engagement location of e = 1' },
  memeStddev: { kind: 'number', default: 1, min: 0, doc: 'log-engagement scale of e = 1' },
  educMean: { kind: 'number', default: 4, doc: 'log-engagement location of e = 0' },
  educStddev: { kind: 'number', default: 1, min: 0, doc: 'log-engagement scale of e = 0' },
  timeBudget: { kind: 'integer', default: 60, min: 1, doc: 'steps per session' },
  observationNoiseStddev: { kind: 'number', default: 0.1, min: 0, doc: 'noise on the observed satisfaction' },
  seed: { kind: 'integer', default: 0, min: 0, doc: 'seeds every stream' },
} as const;
type Config = ReturnType<typeof validateRecSimConfig<typeof SCHEMA>>;

interface EducDocObservation {
  readonly educativeness: Float32Array;
  readonly clusterId: number;
}

class EducDocument implements RecDocument<EducDocObservation> {
  private readonly obs: EducDocObservation;
  constructor(
    readonly id: number,
    readonly educativeness: number,
    readonly clusterId: number,
  ) {
    this.obs = { educativeness: Float32Array.of(educativeness), clusterId };
  }
  observation(): EducDocObservation {
    return this.obs;
  }
}

class EducDocumentSampler extends DocumentSampler<EducDocument, EducDocObservation> {
  constructor(rng: Rng) {
    const space = new Dict({ educativeness: new Box({ low: 0, high: 1, shape: [1] }), clusterId: new Discrete(NUM_CLUSTERS) });
    super(space as unknown as Space<EducDocObservation>, rng);
  }
  protected createDocument(id: number, rng: Rng): EducDocument {
    return new EducDocument(id, rng.random(), rng.int(NUM_CLUSTERS));
  }
}

class EducUser implements RecUserState<Float32Array, EducDocObservation> {
  satisfaction: number;
  timeBudget: number;
  constructor(
    readonly config: Config,
    public exposure: number,
    private readonly noise: Rng,
  ) {
    this.satisfaction = sigmoid(config.sensitivity * exposure);
    this.timeBudget = config.timeBudget;
  }
  observation(): Float32Array {
    return Float32Array.of(this.satisfaction + this.config.observationNoiseStddev * this.noise.normal());
  }
  /** The click logit: less educative documents are more clickable. */
  scoreDocument(doc: EducDocObservation): number {
    return 1 - (doc.educativeness[0] as number);
  }
}

class EducUserSampler extends UserSampler<EducUser> {
  constructor(
    private readonly config: Config,
    rng: Rng,
  ) {
    super(rng);
  }
  protected createUser(rng: Rng): EducUser {
    return new EducUser(this.config, (rng.random() - 0.5) / (1 - this.config.memoryDiscount), rng);
  }
}

interface EducResponseObservation {
  readonly click: number;
  readonly engagement: Float32Array;
  readonly clusterId: number;
}

class EducResponse implements RecResponse<EducResponseObservation>, ClickResponse {
  constructor(
    readonly clicked: boolean,
    readonly engagement: number,
    readonly clusterId: number,
  ) {}
  observation(): EducResponseObservation {
    return { click: this.clicked ? 1 : 0, engagement: Float32Array.of(this.engagement), clusterId: this.clusterId };
  }
}

class EducUserModel extends UserModel<EducUser, EducDocument, EducResponse, Float32Array, EducDocObservation, EducResponseObservation> {
  private readonly choice = new MultinomialLogitChoiceModel();
  constructor(config: Config, sampler: EducUserSampler) {
    const responseSpace = new Dict({
      click: new Discrete(2),
      engagement: new Box({ low: 0, high: 100, shape: [] }),
      clusterId: new Discrete(NUM_CLUSTERS),
    }) as unknown as Space<EducResponseObservation>;
    super({ slateSize: config.slateSize, sampler, observationSpace: float32Box({ low: -2, high: 2, shape: [1] }), responseSpace });
  }
  simulateResponse(documents: readonly EducDocument[], rng: Rng): EducResponse[] {
    this.choice.scoreDocuments(
      this.user,
      documents.map((d) => d.observation()),
    );
    const chosen = this.choice.chooseItem(rng);
    const { config, satisfaction } = this.user;
    return documents.map((d, i) => {
      if (chosen === NO_CLICK || i !== chosen) return new EducResponse(false, 0, d.clusterId);
      const e = d.educativeness;
      const loc = (e * config.memeMean + (1 - e) * config.educMean) * satisfaction;
      const scale = e * config.memeStddev + (1 - e) * config.educStddev;
      return new EducResponse(true, Math.exp(loc + scale * rng.normal()), d.clusterId);
    });
  }
  updateState(documents: readonly EducDocument[], responses: readonly EducResponse[], rng: Rng): void {
    const user = this.user;
    const i = responses.findIndex((r) => r.clicked);
    if (i < 0) return;
    const e = (documents[i] as EducDocument).educativeness;
    user.exposure = user.config.memoryDiscount * user.exposure - 2 * (e - 0.5) + user.config.innovationStddev * rng.normal();
    user.satisfaction = sigmoid(user.config.sensitivity * user.exposure);
    user.timeBudget -= 1;
  }
  isTerminal(): boolean {
    return this.user.timeBudget <= 0;
  }
}

function createEducativenessEnv(envConfig: unknown, context: EnvContext) {
  const config = validateRecSimConfig(EDUCATIVENESS_ENV_ID, SCHEMA, envConfig);
  const streams = createRecSimStreams(config.seed, context);
  const environment = new SingleUserEnvironment({
    userModel: new EducUserModel(config, new EducUserSampler(config, streams.user)),
    documentSampler: new EducDocumentSampler(streams.document),
    numCandidates: config.numCandidates,
    slateSize: config.slateSize,
    resampleDocuments: true,
    behaviour: streams.behaviour,
  });
  return new RecSimEnv({
    environment,
    reward: clickedSumReward<EducResponse>((r) => r.engagement),
    streamsForSeed: (seed) => createRecSimStreams(seed, context),
  });
}
registerEnv(EDUCATIVENESS_ENV_ID, createEducativenessEnv);
