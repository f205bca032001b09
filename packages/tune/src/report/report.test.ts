import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { launchChromium } from '../browser/chromium.testkit.js';
import { runCli } from '../cli/runCli.testkit.js';
import { runExperiment } from '../experiment/runExperiment.js';
import { gridSearch } from '../search/space.js';

let root: string;
let experiment: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'loomrl-report-'));
  await runExperiment({
    config: tinyPPO({ trainBatchSize: 256 }).evaluation({
      evaluationInterval: 2,
      evaluationDuration: 2,
      evaluationConfig: { explore: false },
    }),
    paramSpace: { lr: gridSearch([3e-3, 1e-4]) },
    stop: { trainingIteration: 6 },
    storagePath: root,
    name: 'report',
    verbose: 0,
  });
  experiment = join(root, 'report');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Counts the pixels of an inline SVG chart, rendered on a canvas, that are close to `hex`. */
const COUNT_PIXELS = `async ([selector, hex]) => {
  const svg = document.querySelector(selector + ' svg');
  const xml = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  img.src = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(xml)));
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
  return n;
}`;

describe('loomrl report', () => {
  it('writes a self-contained report.html and SVG exports, and Chromium draws the curves', async () => {
    const run = await runCli(['report', experiment]);
    expect(run.code, run.stderr).toBe(0);
    const html = await readFile(join(experiment, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
    expect((await readdir(join(experiment, 'report-svg'))).sort()).toEqual([
      'evaluation-curve.svg',
      'learner-stats.svg',
      'reward-curves.svg',
      'trial-comparison.svg',
    ]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const blocked: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) blocked.push(request.url());
      });
      await page.goto(pathToFileURL(join(experiment, 'report.html')).href);
      const lines = await page.$$eval('#reward-curves .mark-line.role-mark path', (paths) =>
        paths.map((p) => (p.getAttribute('d') ?? '').split(/[LM]/).length),
      );
      expect(lines).toHaveLength(2);
      for (const points of lines) expect(points).toBeGreaterThanOrEqual(6);
      const box = await page.locator('#reward-curves svg').boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      // Pixels of the first two series colours (Vega's default palette) on the rendered chart.
      const blue = (await page.evaluate(`(${COUNT_PIXELS})(['#reward-curves', '#4c78a8'])`)) as number;
      const orange = (await page.evaluate(`(${COUNT_PIXELS})(['#reward-curves', '#f58518'])`)) as number;
      expect(blue).toBeGreaterThan(200);
      expect(orange).toBeGreaterThan(200);
      expect(await page.$$eval('#evaluation-curve .mark-symbol.role-mark path', (p) => p.length)).toBe(6);
      expect(await page.$$eval('#trials tbody tr', (rows) => rows.length)).toBe(2);
      await writeFile(join(root, 'report.png'), await page.screenshot({ fullPage: true }));
      expect(blocked).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
