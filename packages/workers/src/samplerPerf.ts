import type { SamplerPerf } from '@loomrl/core';

/** Accumulates sampler phase timings and reports their means per vector step. */
export class SamplerPerfMeter {
  private steps = 0;
  private envWait = 0;
  private inference = 0;
  private batchBuilding = 0;

  /** Adds one vector step's phase durations (ms). */
  record(envWaitMs: number, inferenceMs: number, batchBuildingMs: number): void {
    this.steps += 1;
    this.envWait += envWaitMs;
    this.inference += inferenceMs;
    this.batchBuilding += batchBuildingMs;
  }

  /** Means since the last call, then resets. */
  take(): SamplerPerf {
    const n = Math.max(1, this.steps);
    const perf = { meanEnvWaitMs: this.envWait / n, meanInferenceMs: this.inference / n, meanBatchBuildingMs: this.batchBuilding / n };
    this.steps = 0;
    this.envWait = 0;
    this.inference = 0;
    this.batchBuilding = 0;
    return perf;
  }
}

/** The mean of several workers' perf figures, weighted equally. */
export function meanSamplerPerf(perfs: readonly SamplerPerf[]): SamplerPerf {
  const n = Math.max(1, perfs.length);
  let envWait = 0;
  let inference = 0;
  let building = 0;
  for (const p of perfs) {
    envWait += p.meanEnvWaitMs;
    inference += p.meanInferenceMs;
    building += p.meanBatchBuildingMs;
  }
  return { meanEnvWaitMs: envWait / n, meanInferenceMs: inference / n, meanBatchBuildingMs: building / n };
}
