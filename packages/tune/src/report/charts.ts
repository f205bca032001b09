import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportData } from './reportData.js';

/** A named chart: its Vega-Lite spec (kept for the SVG file name and the page). */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const WIDTH = 620;
const HEIGHT = 280;
const CONFIG = {
  font: 'sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelLimit: 240 },
};
const TRIAL_COLOR = { field: 'trial', type: 'nominal', title: 'trial' } as const;

/** Reward mean per trial over env steps, with a min/max band and the stop threshold (dashed). */
function rewardCurves(data: ReportData): ChartSpec {
  const x = { field: 'timesteps', type: 'quantitative', title: 'env steps (timestepsTotal)' } as const;
  const layers: unknown[] = [
    {
      mark: { type: 'area', opacity: 0.15 },
      transform: [{ filter: 'isValid(datum.rewardMin) && isValid(datum.rewardMax)' }],
      encoding: {
        x,
        y: { field: 'rewardMin', type: 'quantitative', title: 'episode reward' },
        y2: { field: 'rewardMax' },
        color: TRIAL_COLOR,
      },
    },
    {
      mark: { type: 'line', strokeWidth: 2 },
      transform: [{ filter: 'isValid(datum.rewardMean)' }],
      encoding: { x, y: { field: 'rewardMean', type: 'quantitative' }, color: TRIAL_COLOR },
    },
  ];
  if (data.rewardThreshold !== null) {
    layers.push({
      data: { values: [{ threshold: data.rewardThreshold }] },
      mark: { type: 'rule', strokeDash: [6, 4], color: '#666' },
      encoding: { y: { field: 'threshold', type: 'quantitative' } },
    });
  }
  return {
    id: 'reward-curves',
    title: 'Episode reward (mean, band = min..max over the smoothing window)',
    spec: { width: WIDTH, height: HEIGHT, data: { values: data.curves }, layer: layers, config: CONFIG } as TopLevelSpec,
  };
}

/** Greedy evaluation reward per trial at evaluation iterations, with min/max whiskers. */
function evaluationCurve(data: ReportData): ChartSpec {
  const x = { field: 'timesteps', type: 'quantitative', title: 'env steps (timestepsTotal)' } as const;
  return {
    id: 'evaluation-curve',
    title: 'Evaluation reward (evaluation/episodeRewardMean)',
    spec: {
      width: WIDTH,
      height: HEIGHT,
      data: { values: data.evaluations },
      layer: [
        {
          mark: { type: 'rule' },
          transform: [{ filter: 'isValid(datum.min)' }],
          encoding: { x, y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' }, color: TRIAL_COLOR },
        },
        {
          mark: { type: 'line', point: true },
          encoding: { x, y: { field: 'mean', type: 'quantitative', title: 'evaluation reward' }, color: TRIAL_COLOR },
        },
      ],
      config: CONFIG,
    } as TopLevelSpec,
  };
}

/** Every learner statistic as a small multiple over iterations. */
function learnerStats(data: ReportData): ChartSpec {
  return {
    id: 'learner-stats',
    title: 'Learner statistics (learnerStats/*)',
    spec: {
      data: { values: data.stats },
      facet: { field: 'stat', type: 'nominal', title: null },
      columns: 3,
      spec: {
        width: 190,
        height: 120,
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          color: TRIAL_COLOR,
        },
      },
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    } as TopLevelSpec,
  };
}

/** The last reward mean of each trial, side by side. */
function trialComparison(rows: ReadonlyArray<{ trial: string; reward: number | null; status: string }>): ChartSpec {
  return {
    id: 'trial-comparison',
    title: 'Trials: last episode reward mean',
    spec: {
      width: WIDTH,
      height: Math.max(60, 22 * rows.length),
      data: { values: rows.filter((r) => r.reward !== null) },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'trial', type: 'nominal', sort: null, title: null },
        x: { field: 'reward', type: 'quantitative', title: 'episodeRewardMean (last)' },
        color: TRIAL_COLOR,
        tooltip: [{ field: 'status' }],
      },
      config: CONFIG,
    } as TopLevelSpec,
  };
}

/** The report's charts, in page order. */
export function reportCharts(
  data: ReportData,
  comparison: ReadonlyArray<{ trial: string; reward: number | null; status: string }>,
): ChartSpec[] {
  const charts = [rewardCurves(data)];
  if (data.evaluations.length > 0) charts.push(evaluationCurve(data));
  if (data.stats.length > 0) charts.push(learnerStats(data));
  charts.push(trialComparison(comparison));
  return charts;
}

/** Renders a Vega-Lite spec to a standalone SVG string (headless: no canvas, no network, no scripts). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
