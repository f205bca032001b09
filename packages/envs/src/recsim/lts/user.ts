import { Box, Dict, Discrete, type Rng, type Space } from '@loomrl/core';
import type { ClickResponse, RecResponse } from '../framework/response.js';
import { float32Box } from '../framework/spaceValues.js';
import { type RecUserState, UserModel, UserSampler } from '../framework/user.js';
import type { LTSUserParameters } from './config.js';
import type { LTSDocument } from './documents.js';

/** Engagement observations are clipped to [0, this] (RecSim's `MAX_ENGAGEMENT_MAGNITUDE`); rewards are not. */
export const LTS_MAX_ENGAGEMENT = 100;

/** The logistic function σ(x) = 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

const EMPTY = new Float32Array(0);

/** A Long Term Satisfaction user: net positive exposure (NPE), satisfaction σ(β·NPE) and remaining time. */
export class LTSUserState implements RecUserState<Float32Array, Float32Array> {
  /** The user parameters (shared by every user). */
  readonly params: LTSUserParameters;
  /** NPE. */
  netPositiveExposure: number;
  /** SAT = σ(β·NPE). */
  satisfaction: number;
  /** Steps left. */
  timeBudget: number;

  /** A user starting at exposure `netPositiveExposure`. */
  constructor(params: LTSUserParameters, netPositiveExposure: number) {
    this.params = params;
    this.netPositiveExposure = netPositiveExposure;
    this.satisfaction = sigmoid(params.sensitivity * netPositiveExposure);
    this.timeBudget = params.timeBudget;
  }

  /** Empty (satisfaction is latent), or `[satisfaction]` with `observeSatisfaction`. */
  observation(): Float32Array {
    if (!this.params.observeSatisfaction) return EMPTY;
    const obs = new Float32Array(1);
    obs[0] = this.satisfaction;
    return obs;
  }

  /** Unused by LTS (the user always consumes position 0); returns the clickbait score. */
  scoreDocument(documentObservation: Float32Array): number {
    return documentObservation[0] as number;
  }
}

/** Every user gets the same parameters; NPE₀ = (u − 0.5)/(1 − γ_m), u ~ U[0, 1) (RecSim's `LTSStaticUserSampler`). */
export class LTSUserSampler extends UserSampler<LTSUserState> {
  /** The parameters given to every user. */
  readonly params: LTSUserParameters;

  /** A sampler over `rng`. */
  constructor(params: LTSUserParameters, rng: Rng) {
    super(rng);
    this.params = params;
  }

  protected createUser(rng: Rng): LTSUserState {
    const u = rng.random();
    return new LTSUserState(this.params, (u - 0.5) / (1 - this.params.memoryDiscount));
  }
}

/** The observable part of an LTS response. */
export interface LTSResponseObservation {
  /** 1 when clicked. */
  readonly click: number;
  /** Engagement clipped to [0, 100], shape (). */
  readonly engagement: Float32Array;
}

/** An LTS response: clicked or not, and the (unclipped) engagement. */
export class LTSResponse implements RecResponse<LTSResponseObservation>, ClickResponse {
  readonly clicked: boolean;
  /** Unclipped engagement (the reward uses this). */
  readonly engagement: number;

  /** A response. */
  constructor(clicked: boolean, engagement: number) {
    this.clicked = clicked;
    this.engagement = engagement;
  }

  observation(): LTSResponseObservation {
    const engagement = new Float32Array(1);
    engagement[0] = Math.min(Math.max(this.engagement, 0), LTS_MAX_ENGAGEMENT);
    return { click: this.clicked ? 1 : 0, engagement };
  }
}

/** The response space of LTS: `Dict(click: Discrete(2), engagement: Box(0, 100, ()))`. */
export function ltsResponseSpace(): Space<LTSResponseObservation> {
  return new Dict({
    click: new Discrete(2),
    engagement: new Box({ low: 0, high: LTS_MAX_ENGAGEMENT, shape: [] }),
  }) as unknown as Space<LTSResponseObservation>;
}

/** The (log-normal) engagement parameters for a document of clickbait score c at satisfaction `satisfaction`. */
export function ltsEngagementParameters(params: LTSUserParameters, satisfaction: number, c: number): { loc: number; scale: number } {
  return {
    loc: satisfaction * (c * params.chocMean + (1 - c) * params.kaleMean),
    scale: c * params.chocStddev + (1 - c) * params.kaleStddev,
  };
}

/**
 * The LTS user (RecSim's `LTSUserModel`): always consumes slate position 0 with engagement
 * exp(N(loc, scale)); then NPE ← γ_m·NPE − 2(c − 0.5) + N(0, σ_ε), SAT ← σ(β·NPE), budget −1.
 */
export class LTSUserModel extends UserModel<LTSUserState, LTSDocument, LTSResponse, Float32Array, Float32Array, LTSResponseObservation> {
  /** A model with `slateSize` positions over `sampler`'s users. */
  constructor(slateSize: number, sampler: LTSUserSampler) {
    const observationSpace = sampler.params.observeSatisfaction
      ? float32Box({ low: 0, high: 1, shape: [1] })
      : float32Box({ low: 0, high: 0, shape: [0] });
    super({ slateSize, sampler, observationSpace, responseSpace: ltsResponseSpace() });
  }

  simulateResponse(documents: readonly LTSDocument[], rng: Rng): LTSResponse[] {
    const responses = new Array<LTSResponse>(documents.length);
    const first = documents[0];
    if (first !== undefined) {
      const user = this.user;
      const { loc, scale } = ltsEngagementParameters(user.params, user.satisfaction, first.clickbaitScore);
      responses[0] = new LTSResponse(true, Math.exp(loc + scale * rng.normal()));
    }
    for (let i = 1; i < documents.length; i++) responses[i] = new LTSResponse(false, 0);
    return responses;
  }

  updateState(documents: readonly LTSDocument[], responses: readonly LTSResponse[], rng: Rng): void {
    const user = this.user;
    const p = user.params;
    for (let i = 0; i < responses.length; i++) {
      if (!(responses[i] as LTSResponse).clicked) continue;
      const c = (documents[i] as LTSDocument).clickbaitScore;
      const innovation = p.innovationStddev * rng.normal();
      user.netPositiveExposure = p.memoryDiscount * user.netPositiveExposure - 2 * (c - 0.5) + innovation;
      user.satisfaction = sigmoid(p.sensitivity * user.netPositiveExposure);
      user.timeBudget -= 1;
      return;
    }
  }

  isTerminal(): boolean {
    return this.user.timeBudget <= 0;
  }
}
