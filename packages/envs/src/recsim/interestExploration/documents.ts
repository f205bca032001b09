import { Box, Dict, Discrete, type Rng, type Space } from '@loomrl/core';
import { sampleCategorical } from '../framework/choiceModel.js';
import { DocumentSampler, type RecDocument } from '../framework/document.js';
import type { IExpParameters } from './config.js';

/** The observation of an Interest Exploration document. */
export interface IExpDocumentObservation {
  /** Shape (). */
  readonly quality: Float32Array;
  readonly clusterId: number;
}

/** An Interest Exploration document: a topic cluster and a (log-normal) quality, both observed. */
export class IExpDocument implements RecDocument<IExpDocumentObservation> {
  readonly id: number;
  readonly cluster: number;
  readonly quality: number;
  private readonly obs: IExpDocumentObservation;

  /** A document. */
  constructor(id: number, cluster: number, quality: number) {
    this.id = id;
    this.cluster = cluster;
    this.quality = quality;
    const q = new Float32Array(1);
    q[0] = quality;
    this.obs = { quality: q, clusterId: cluster };
  }

  /** `{ quality, clusterId }` (the same object every call; do not mutate it). */
  observation(): IExpDocumentObservation {
    return this.obs;
  }
}

/** The space of an Interest Exploration document: `Dict(quality: Box(0, ∞, ()), clusterId: Discrete(K))`. */
export function iexpDocumentSpace(numTopics: number): Space<IExpDocumentObservation> {
  return new Dict({
    quality: new Box({ low: 0, high: Number.POSITIVE_INFINITY, shape: [] }),
    clusterId: new Discrete(numTopics),
  }) as unknown as Space<IExpDocumentObservation>;
}

/** Draws topic k ~ Categorical(topicProbs), quality ~ LogNormal(mean[k], σ) (RecSim's `IETopicDocumentSampler`). */
export class IExpDocumentSampler extends DocumentSampler<IExpDocument, IExpDocumentObservation> {
  private readonly params: IExpParameters;

  /** A sampler over `rng`. */
  constructor(params: IExpParameters, rng: Rng) {
    super(iexpDocumentSpace(params.documentTopicProbs.length), rng);
    this.params = params;
  }

  protected createDocument(id: number, rng: Rng): IExpDocument {
    const p = this.params;
    const k = sampleCategorical(p.documentTopicProbs, rng);
    const quality = Math.exp((p.documentQualityMeans[k] as number) + p.documentQualityStddev * rng.normal());
    return new IExpDocument(id, k, quality);
  }
}
