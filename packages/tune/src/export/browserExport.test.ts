import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRng } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPPO } from '../__fixtures__/tinyPPO.js';
import { launchChromium } from '../browser/chromium.testkit.js';
import { loadPolicy } from '../policy/loadedPolicy.js';
import { exportPolicy } from './exportPolicy.js';

// The browser example's own static server (examples/browser/serve.ts): the page, tfjs from npm, the export.
const exampleServer = pathToFileURL(join(import.meta.dirname, '../../../../examples/browser/serve.ts')).href;

let dir: string;
let checkpoint: string;
let server: Server;
let url: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loomrl-browser-'));
  const algo = tinyPPO()
    .training({ model: { fcnetHiddens: [32, 32] } })
    .build();
  for (let i = 0; i < 4; i++) await algo.train();
  checkpoint = await algo.save(join(dir, 'checkpoint'));
  await algo.stop();
  await exportPolicy(checkpoint, join(dir, 'model'), { format: 'tfjs-layers' });
  const { startBrowserExample } = (await import(exampleServer)) as {
    startBrowserExample: (modelDir: string, port: number) => Promise<{ server: Server; url: string }>;
  };
  ({ server, url } = await startBrowserExample(join(dir, 'model'), 0));
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('the exported policy in headless Chromium', () => {
  it("loads with tf.loadLayersModel alone and gives computeSingleAction's greedy actions on 100 observations; the example page animates it", async () => {
    const rng = createRng(5, 'obs');
    const obs = Array.from({ length: 100 }, () => [rng.uniform(-2.4, 2.4), rng.uniform(-3, 3), rng.uniform(-0.2, 0.2), rng.uniform(-3, 3)]);
    const { algorithm } = await loadPolicy(checkpoint);
    const expected = obs.map((o) => algorithm.computeSingleAction(o, { explore: false }));
    await algorithm.stop();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      page.on('pageerror', (e) => failed.push(e.message));
      await page.goto(url);
      // No LoomRL code: the page's TensorFlow.js loads model.json + weights.bin itself.
      const actions = (await page.evaluate(`(async (observations) => {
        const model = await tf.loadLayersModel('model/model.json', { strict: true });
        return tf.tidy(() => model.predict(tf.tensor2d(observations)).argMax(-1).arraySync());
      })(${JSON.stringify(obs)})`)) as number[];
      expect(actions).toEqual(expected);
      await page.evaluate('window.loomrlReady');
      const steps = async () => (await page.evaluate('window.loomrl.stats.steps')) as number;
      const before = await steps();
      await page.waitForTimeout(500);
      expect(await steps()).toBeGreaterThan(before + 5);
      // Pixels of the cart's colour on the page's canvas.
      const drawn = (await page.evaluate(`(() => {
        const canvas = document.getElementById('scene');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let cart = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] === 0x4c && data[i + 1] === 0x78 && data[i + 2] === 0xa8) cart++;
        return cart;
      })()`)) as number;
      expect(drawn).toBeGreaterThan(1000);
      expect(failed).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
