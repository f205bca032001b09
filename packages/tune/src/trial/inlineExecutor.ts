import type { Algorithm } from '@loomrl/core';
import { buildTrialAlgorithm, plainResult } from './algorithmHost.js';
import type { TrialExecutor, TrialHandle, TrialStart } from './executor.js';

class InlineTrial implements TrialHandle {
  readonly pid = process.pid;
  private algo: Algorithm | null = null;

  async start(init: TrialStart): Promise<void> {
    this.algo = await buildTrialAlgorithm(init);
  }

  private get algorithm(): Algorithm {
    if (this.algo === null) throw new Error('The trial was not started.');
    return this.algo;
  }

  async train(): Promise<Record<string, unknown>> {
    return plainResult(await this.algorithm.train());
  }

  save(dir: string): Promise<string> {
    return this.algorithm.save(dir);
  }

  async stop(): Promise<void> {
    const algo = this.algo;
    this.algo = null;
    await algo?.stop();
  }
}

/**
 * Runs trials in this process: needed when the algorithm class is registered by the calling
 * script itself; trials then share one thread for their learners.
 */
export const inlineExecutor: TrialExecutor = () => new InlineTrial();
