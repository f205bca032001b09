import type { ExperimentAnalysis } from '../experiment/analysis.js';
import type { FlatResult } from '../experiment/flatten.js';

/** One point of a trial's curves (numbers, or `null` where the result had none). */
export interface CurvePoint {
  readonly trial: string;
  readonly iteration: number;
  readonly timesteps: number;
  readonly rewardMean: number | null;
  readonly rewardMin: number | null;
  readonly rewardMax: number | null;
  readonly lenMean: number | null;
}

/** One evaluation of a trial. */
export interface EvaluationPoint {
  readonly trial: string;
  readonly iteration: number;
  readonly timesteps: number;
  readonly mean: number;
  readonly min: number | null;
  readonly max: number | null;
}

/** One learner statistic of one iteration. */
export interface StatPoint {
  readonly trial: string;
  readonly stat: string;
  readonly iteration: number;
  readonly value: number;
}

/** Everything the report draws, taken from the trials' histories. */
export interface ReportData {
  readonly curves: CurvePoint[];
  readonly evaluations: EvaluationPoint[];
  readonly stats: StatPoint[];
  /** A reward threshold of the stop criteria, drawn as a dashed line. */
  readonly rewardThreshold: number | null;
}

/** At most this many points per series (stride downsampling, always keeping the last). */
export const MAX_POINTS = 2000;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Every `step`-th row and the last one, so a series has at most `MAX_POINTS` points. */
export function downsample<T>(rows: readonly T[], max = MAX_POINTS): T[] {
  if (rows.length <= max) return [...rows];
  const step = Math.ceil(rows.length / max);
  const kept = rows.filter((_, i) => i % step === 0);
  if (kept.at(-1) !== rows.at(-1)) kept.push(rows.at(-1) as T);
  return kept;
}

/** The rows where an evaluation ran: every `interval` iterations when known, else where the evaluation changed. */
function evaluationRows(rows: readonly FlatResult[], interval: number): FlatResult[] {
  let previous: unknown;
  return rows.filter((row) => {
    const mean = num(row['evaluation/episodeRewardMean']);
    if (mean === null) return false;
    if (interval > 0) return Number(row.trainingIteration) % interval === 0;
    const fresh = mean !== previous;
    previous = mean;
    return fresh;
  });
}

/** Collects the report's series from an experiment. */
export function reportData(analysis: ExperimentAnalysis): ReportData {
  const curves: CurvePoint[] = [];
  const evaluations: EvaluationPoint[] = [];
  const stats: StatPoint[] = [];
  for (const trial of analysis.trials) {
    const rows = downsample(analysis.trialHistories.get(trial.trialId) ?? []);
    const name = trial.trialId;
    for (const row of rows) {
      const iteration = Number(row.trainingIteration);
      curves.push({
        trial: name,
        iteration,
        timesteps: Number(row.timestepsTotal ?? iteration),
        rewardMean: num(row.episodeRewardMean),
        rewardMin: num(row.episodeRewardMin),
        rewardMax: num(row.episodeRewardMax),
        lenMean: num(row.episodeLenMean),
      });
      for (const [key, value] of Object.entries(row)) {
        const v = num(value);
        if (key.startsWith('learnerStats/') && v !== null)
          stats.push({ trial: name, stat: key.slice('learnerStats/'.length), iteration, value: v });
      }
    }
    for (const row of evaluationRows(rows, Number(trial.config.evaluationInterval ?? 0))) {
      evaluations.push({
        trial: name,
        iteration: Number(row.trainingIteration),
        timesteps: Number(row.timestepsTotal),
        mean: num(row['evaluation/episodeRewardMean']) as number,
        min: num(row['evaluation/episodeRewardMin']),
        max: num(row['evaluation/episodeRewardMax']),
      });
    }
  }
  const stop = analysis.state.experiment.stop ?? {};
  return { curves, evaluations, stats, rewardThreshold: num(stop.episodeRewardMean) };
}
