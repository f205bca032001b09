import type { Rng } from '@loomrl/core';
import { DocumentSampler, type RecDocument } from '../framework/document.js';
import { float32Box } from '../framework/spaceValues.js';
import type { IEvParameters } from './config.js';

/** An Interest Evolution video: a cluster (observed as one-hot features), a hidden quality and a length. */
export class IEvVideo implements RecDocument<Float32Array> {
  readonly id: number;
  /** The topic cluster. */
  readonly cluster: number;
  /** Hidden quality. */
  readonly quality: number;
  /** Minutes. */
  readonly videoLength: number;
  private readonly features: Float32Array;

  /** A video of cluster `cluster` among `numClusters`. */
  constructor(id: number, cluster: number, numClusters: number, quality: number, videoLength: number) {
    this.id = id;
    this.cluster = cluster;
    this.quality = quality;
    this.videoLength = videoLength;
    this.features = new Float32Array(numClusters);
    this.features[cluster] = 1;
  }

  /** The one-hot cluster features (the same array every call; do not mutate it). */
  observation(): Float32Array {
    return this.features;
  }
}

/** Draws videos: cluster uniform, quality ~ N(mean[cluster], σ_q) (RecSim's `UtilityModelVideoSampler`). */
export class IEvVideoSampler extends DocumentSampler<IEvVideo, Float32Array> {
  private readonly params: IEvParameters;

  /** A sampler over `rng`. */
  constructor(params: IEvParameters, rng: Rng) {
    const n = params.clusterQualityMeans.length;
    super(float32Box({ low: -1, high: 1, shape: [n] }), rng);
    this.params = params;
  }

  protected createDocument(id: number, rng: Rng): IEvVideo {
    const means = this.params.clusterQualityMeans;
    const cluster = rng.int(means.length);
    const quality = (means[cluster] as number) + this.params.documentQualityStddev * rng.normal();
    return new IEvVideo(id, cluster, means.length, quality, this.params.videoLength);
  }
}
