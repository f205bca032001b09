/**
 * Issue 10 benchmark: SlateQ on Interest Evolution (10 candidates, slate 2; the tuned example
 * `interestEvolutionSlateQ`, local worker, seed 0) — env steps/s of the sampling phase, learner
 * updates/s (batches of 32) of the learning phase, and the whole loop's env steps/s, on LoomRL's
 * WebAssembly kernels (`'loomrl'`) and on TensorFlow.js's wasm backend in the same run; and the cost of
 * one exact slate maximisation for C = 10, 20, 50 candidates (slate 2 and 3): enumeration of the
 * C!/(C−S)! ordered slates (what position-dependent click weights need) against Dinkelbach's method
 * (position-independent weights, what SlateQ acts with by default).
 */
import { loadavg } from 'node:os';
import { interestEvolutionSlateQ } from '@loomrl/algorithms';
import { createRng } from '@loomrl/core';
import { maximizeSlate, maximizeSlateByEnumeration, orderedSlateCount, type SlateProblem } from '@loomrl/core/internal';

async function slateQThroughput(envSteps: number, backend: 'loomrl' | 'wasm'): Promise<Record<string, number>> {
  const algo = interestEvolutionSlateQ({ seed: 0 }).framework({ backend }).build();
  let sampleMs = 0;
  let learnMs = 0;
  let sampled = 0;
  let trainedRows = 0;
  const started = performance.now();
  try {
    for (let steps = 0; steps < envSteps; ) {
      const r = await algo.train();
      steps = r.timestepsTotal;
      // Only iterations that learn: the warm-up (10k steps) samples without updates.
      if (r.numEnvStepsTrainedThisIter === 0) continue;
      sampleMs += r.timers.sampleTimeMs;
      learnMs += r.timers.learnTimeMs;
      sampled += r.numEnvStepsSampledThisIter;
      trainedRows += r.numEnvStepsTrainedThisIter;
    }
  } finally {
    await algo.stop();
  }
  const updates = trainedRows / 32;
  return {
    envStepsPerSecondSampling: Math.round(sampled / (sampleMs / 1000)),
    learnerUpdatesPerSecond: Math.round(updates / (learnMs / 1000)),
    envStepsPerSecondOverall: Math.round(envSteps / ((performance.now() - started) / 1000)),
    updatesMeasured: updates,
  };
}

function maximisationMicros(numCandidates: number, slateSize: number, exact: 'enumeration' | 'dinkelbach'): number {
  const rng = createRng(0, 'slate-bench');
  const problems: SlateProblem[] = Array.from({ length: 16 }, () => ({
    numCandidates,
    slateSize,
    weights: Float64Array.from({ length: numCandidates }, () => rng.random() + 0.1),
    noClickWeight: 1,
    q: Float64Array.from({ length: numCandidates }, () => rng.normal()),
    noClickValue: 0.5,
    positionDependent: false,
  }));
  const out = new Int32Array(slateSize);
  const solve = exact === 'enumeration' ? maximizeSlateByEnumeration : maximizeSlate;
  const run = (budgetMs: number): number => {
    let n = 0;
    const end = performance.now() + budgetMs;
    while (performance.now() < end) {
      for (let i = 0; i < 16; i++) solve(problems[i] as SlateProblem, out);
      n += 16;
    }
    return n;
  };
  run(100); // warm-up
  const start = performance.now();
  const n = run(400);
  return Number((((performance.now() - start) * 1000) / n).toFixed(2));
}

export default async function run(): Promise<Record<string, unknown>> {
  const loadAverageAtStart = loadavg()[0];
  const kernels = await slateQThroughput(20_000, 'loomrl');
  const tfjsWasm = await slateQThroughput(20_000, 'wasm');
  const interestEvolution = {
    loomrl: kernels,
    tfjsWasm,
    learnerSpeedup: Number(((kernels.learnerUpdatesPerSecond as number) / (tfjsWasm.learnerUpdatesPerSecond as number)).toFixed(2)),
  };
  const maximisation: Record<string, unknown> = {};
  for (const slateSize of [2, 3]) {
    for (const numCandidates of [10, 20, 50]) {
      maximisation[`C${numCandidates}S${slateSize}`] = {
        orderedSlates: orderedSlateCount(numCandidates, slateSize),
        enumerationMicros: maximisationMicros(numCandidates, slateSize, 'enumeration'),
        dinkelbachMicros: maximisationMicros(numCandidates, slateSize, 'dinkelbach'),
      };
    }
  }
  return {
    interestEvolution10Candidates: interestEvolution,
    slateMaximisationPerObservation: maximisation,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0],
  };
}
