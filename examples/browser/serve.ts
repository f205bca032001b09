/**
 * Serves the browser example on loopback: the page, TensorFlow.js from its npm package, and an
 * exported policy. `pnpm exec tsx examples/browser/serve.ts [--model DIR | --checkpoint DIR] [--port 8080]`;
 * with neither, it trains PPO on CartPole (the tuned example, ~30 s) and exports it first.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const tfjsDist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json')), 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.map': 'application/json',
};

/** The file a URL path maps to: `/tfjs/…` → the tfjs dist, `/model/…` → the export, else this folder. Nothing outside them. */
function fileFor(urlPath: string, modelDir: string): string | null {
  const path = normalize(decodeURIComponent(urlPath.split('?')[0] ?? '/'));
  const [root, rest] = path.startsWith('/tfjs/')
    ? [tfjsDist, path.slice(6)]
    : path.startsWith('/model/')
      ? [modelDir, path.slice(7)]
      : [here, path === '/' ? 'index.html' : path.slice(1)];
  const file = resolve(root, rest);
  return file.startsWith(resolve(root) + sep) ? file : null;
}

/** Starts the static server on 127.0.0.1 (`port` 0 = any free port); resolves to the server and its URL. */
export async function startBrowserExample(modelDir: string, port = 8080): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const file = fileFor(request.url ?? '/', modelDir);
    const info = file === null ? null : await stat(file).catch(() => null);
    if (file === null || info === null || !info.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((ready) => server.listen(port, '127.0.0.1', ready));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/` };
}

async function trainAndExport(): Promise<string> {
  const { cartPolePPO } = await import('@loomrl/algorithms');
  const { exportPolicy } = await import('@loomrl/tune');
  const algo = cartPolePPO({ seed: 1 }).build();
  for (let r = await algo.train(); r.episodeRewardMean < 475 && r.timestepsTotal < 150_000; r = await algo.train()) {
    process.stdout.write(`\rtraining: ${r.timestepsTotal} steps, reward ${r.episodeRewardMean.toFixed(1)}   `);
  }
  const dir = await mkdtemp(join(tmpdir(), 'loomrl-browser-'));
  const checkpoint = await algo.save(join(dir, 'checkpoint'));
  await algo.stop();
  await exportPolicy(checkpoint, join(dir, 'model'), { format: 'tfjs-layers' });
  process.stdout.write('\n');
  return join(dir, 'model');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, checkpoint: { type: 'string' }, port: { type: 'string', default: '8080' } },
  });
  let modelDir = values.model;
  if (modelDir === undefined && values.checkpoint !== undefined) {
    const { exportPolicy } = await import('@loomrl/tune');
    modelDir = join(await mkdtemp(join(tmpdir(), 'loomrl-browser-')), 'model');
    await exportPolicy(values.checkpoint, modelDir, { format: 'tfjs-layers' });
  }
  const { url } = await startBrowserExample(resolve(modelDir ?? (await trainAndExport())), Number(values.port));
  console.log(`Open ${url} (Ctrl-C to stop)`);
}
