import { RemoteWorker } from './remoteWorker.js';
import type { WorkerTransport } from './workerHandle.js';

/** Remote workers as `worker_threads` of this process (comlink). */
export const threadTransport: WorkerTransport = {
  spawn: (init, timeouts) => new RemoteWorker(init, timeouts),
  replacementsBlock: true,
  close: async () => undefined,
};
