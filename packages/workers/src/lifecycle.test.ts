import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PPOConfig } from '@loomrl/algorithms';
import { AlgorithmError } from '@loomrl/core';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./__fixtures__/trainThenStop.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const faultyEnvs = fileURLToPath(new URL('./__fixtures__/faultyEnvs.js', import.meta.url));

describe('lifecycle of remote workers', () => {
  it('lets a script that trains on 2 worker threads and calls stop() exit on its own', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(out).toContain('healthy 2');
  }, 60_000);

  it('rejects a train() under way when stop() is called, instead of waiting for workers that will never answer', async () => {
    const algo = new PPOConfig()
      .environment({ env: 'fixture/HangAtStep-v0', envModules: [faultyEnvs], envConfig: { failWorker: 1, failAtStep: 5 } })
      .rollouts({ numRolloutWorkers: 1, numEnvsPerWorker: 1 })
      .training({ trainBatchSize: 64, sgdMinibatchSize: 64, numSgdIter: 1, model: { fcnetHiddens: [8] } })
      .faultTolerance({ workerHealthProbeTimeoutS: 600 })
      .debugging({ logLevel: 'SILENT' })
      .build();
    await algo.ready();
    const training = algo.train().then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await algo.stop();
    const error = await training;
    expect(error).toBeInstanceOf(AlgorithmError);
    expect((error as AlgorithmError).code).toBe('ALGORITHM_STOPPED');
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
