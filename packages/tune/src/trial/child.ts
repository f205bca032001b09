/**
 * The entry of a trial process: builds one algorithm and answers the runner's `start`, `train`,
 * `save` and `stop` requests over the IPC channel. It exits when the runner goes away (even when
 * the runner was killed with SIGKILL), so no trial outlives its experiment.
 */
import type { Algorithm } from '@loomrl/core';
import { buildTrialAlgorithm, plainResult } from './algorithmHost.js';
import { toFailure } from './executor.js';
import type { TrialReply, TrialRequest } from './protocol.js';

let algo: Algorithm | null = null;
let queue: Promise<void> = Promise.resolve();

function send(reply: TrialReply): void {
  process.send?.(reply);
}

async function handle(request: TrialRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      algo = await buildTrialAlgorithm(request.init);
      return null;
    case 'train':
      if (algo === null) throw new Error('train before start');
      return plainResult(await algo.train());
    case 'save':
      if (algo === null) throw new Error('save before start');
      return algo.save(request.dir);
    case 'stop':
      await algo?.stop();
      algo = null;
      return null;
  }
}

process.on('message', (request: TrialRequest) => {
  queue = queue.then(async () => {
    try {
      send({ id: request.id, ok: true, value: await handle(request) });
    } catch (error) {
      send({ id: request.id, ok: false, error: toFailure(error) });
    }
    if (request.op === 'stop') process.disconnect();
  });
});

process.on('disconnect', () => {
  // The runner is gone (finished, or killed): end at once; worker threads end with the process.
  process.exit(0);
});
