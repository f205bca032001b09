import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExperimentAnalysis } from '../experiment/analysis.js';
import { renderSvg, reportCharts } from './charts.js';
import { reportHtml } from './html.js';
import { reportData } from './reportData.js';

/** Where `writeReport` put its files. */
export interface ReportFiles {
  readonly html: string;
  readonly svgs: readonly string[];
}

/**
 * Writes an experiment's report: `report.html` (self-contained: trial table, reward curves with
 * the min/max band, the evaluation curve, learner statistics, a trial comparison) and every chart
 * as `report-svg/<chart>.svg`, into `outDir` (default: the experiment dir). Works on finished,
 * running and crashed experiments.
 */
export async function writeReport(experimentDir: string, outDir: string = experimentDir): Promise<ReportFiles> {
  const analysis = await ExperimentAnalysis.load(experimentDir);
  const data = reportData(analysis);
  const comparison = analysis.trials.map((t) => {
    const reward = analysis.trialHistories.get(t.trialId)?.at(-1)?.episodeRewardMean;
    return { trial: t.trialId, reward: typeof reward === 'number' && Number.isFinite(reward) ? reward : null, status: t.status };
  });
  const charts = await Promise.all(
    reportCharts(data, comparison).map(async (c) => ({ id: c.id, title: c.title, svg: await renderSvg(c.spec) })),
  );
  const svgDir = join(outDir, 'report-svg');
  await mkdir(svgDir, { recursive: true });
  const svgs = await Promise.all(
    charts.map(async (c) => {
      const path = join(svgDir, `${c.id}.svg`);
      await writeFile(path, c.svg);
      return path;
    }),
  );
  const html = join(outDir, 'report.html');
  await writeFile(html, reportHtml(analysis, charts));
  return { html, svgs };
}
