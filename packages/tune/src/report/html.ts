import type { ExperimentAnalysis } from '../experiment/analysis.js';
import { formatCell } from '../progress/statusTable.js';

/** HTML-escapes text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** One rendered chart for the page. */
export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
}

const STYLE = `
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;font-size:13px;line-height:1.6}
table{border-collapse:collapse;font-size:12px;margin-top:8px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#f4f4f4;cursor:pointer}td:first-child,th:first-child{text-align:left}
.ERROR{color:#b00}.chart svg{max-width:100%;height:auto}
`;

// Sorts the trial table by a clicked column; the page works without it.
const SORT_SCRIPT = `
document.querySelectorAll('#trials th').forEach(function(th,i){th.addEventListener('click',function(){
var body=document.querySelector('#trials tbody');var rows=Array.from(body.rows);var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);
var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;return asc?c:-c;});rows.forEach(function(r){body.appendChild(r);});});});
`;

function trialTable(analysis: ExperimentAnalysis): string {
  const params = [...new Set(analysis.trials.flatMap((t) => Object.keys(t.evaluatedParams)))];
  const head = [
    'trial',
    'status',
    ...params,
    'iter',
    'env steps',
    'reward (last)',
    'reward (best)',
    'evaluation (last)',
    'time (s)',
    'stopped by',
  ];
  const rows = analysis.trials.map((t) => {
    const history = analysis.trialHistories.get(t.trialId) ?? [];
    const last = history.at(-1) ?? {};
    const rewards = history.map((r) => r.episodeRewardMean).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const cells = [
      t.trialName,
      t.status,
      ...params.map((p) => formatCell(t.evaluatedParams[p])),
      formatCell(last.trainingIteration),
      formatCell(last.timestepsTotal),
      formatCell(last.episodeRewardMean),
      rewards.length === 0 ? '' : formatCell(Math.max(...rewards)),
      formatCell(last['evaluation/episodeRewardMean']),
      formatCell(last.timeTotalS),
      t.stopReason ?? (t.error === null ? '' : 'error'),
    ];
    return `<tr class="${t.status}">${cells.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`;
  });
  return `<table id="trials"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function header(analysis: ExperimentAnalysis): string {
  const info = analysis.state.experiment;
  const metric = info.metric ?? 'episodeRewardMean';
  const mode = info.mode ?? 'max';
  const best = analysis.getBestResult({ metric, mode });
  const counts = ['TERMINATED', 'RUNNING', 'PENDING', 'ERROR']
    .map((s) => [s, analysis.trials.filter((t) => t.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const envs = [...new Set(analysis.trials.map((t) => String(t.config.env)))].join(', ');
  const lines = [
    `trainable <b>${escapeHtml(info.trainable)}</b> on <b>${escapeHtml(envs)}</b>`,
    `started ${escapeHtml(new Date(info.startTime).toISOString())}, last update ${escapeHtml(new Date(info.timestamp).toISOString())}`,
    `${analysis.trials.length} trials (${escapeHtml(counts)})`,
    best === null
      ? `no trial reported ${escapeHtml(metric)} yet`
      : `best trial by ${escapeHtml(metric)} (${mode}, last): <b>${escapeHtml(best.trialName)}</b> = ${escapeHtml(formatCell(best.metrics[metric]))}`,
    `best checkpoint: ${escapeHtml(analysis.getBestCheckpoint(undefined, { metric, mode }) ?? '(none)')}`,
    `directory: ${escapeHtml(analysis.experimentPath)}`,
  ];
  return `<h1>${escapeHtml(info.name)}</h1><div class="meta">${lines.join('<br>')}</div>`;
}

/**
 * The self-contained report page: inline styles and SVG charts, a small inline sort script, a
 * CSP that forbids every network load — it opens offline from a file.
 */
export function reportHtml(analysis: ExperimentAnalysis, charts: readonly RenderedChart[]): string {
  const sections = charts.map((c) => `<h2>${escapeHtml(c.title)}</h2><div class="chart" id="${c.id}">${c.svg}</div>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(analysis.state.experiment.name)} — LoomRL report</title><style>${STYLE}</style></head>
<body>${header(analysis)}
<h2>Trials</h2>${trialTable(analysis)}
${sections}
<p class="meta">Generated by LoomRL (loomrl report). The charts are also in report-svg/ as SVG files.</p>
<script>${SORT_SCRIPT}</script>
</body></html>
`;
}
