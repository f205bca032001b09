// Envs that break on purpose, for the fault-tolerance tests. Each misbehaves only on the worker
// `envConfig.failWorker` (default 1; 'all' = every worker, including the local worker 0), on vector index 0, at its `envConfig.failAtStep`-th step, and
// only in the first thread of that index (a recreated worker behaves).
import { Box, Discrete, registerEnv } from '@loomrl/core';

class Faulty {
  constructor(config, context, fail) {
    const onWorker = config.failWorker === 'all' || context.workerIndex === (config.failWorker ?? 1);
    this.armed = !context.recreatedWorker && onWorker && context.vectorIndex === 0;
    this.failAtStep = config.failAtStep ?? 100;
    this.fail = fail;
    this.steps = 0;
    this.t = 0;
    this.observationSpace = new Box({ low: -1, high: 1, shape: [2] });
    this.actionSpace = new Discrete(2);
  }
  reset() {
    this.t = 0;
    return { obs: Float32Array.of(0, 0), info: {} };
  }
  step(action) {
    this.steps += 1;
    this.t += 1;
    if (this.armed && this.steps === this.failAtStep) this.fail();
    return { obs: Float32Array.of(action, this.t / 20), reward: action, terminated: this.t >= 20, truncated: false, info: {} };
  }
}

registerEnv(
  'fixture/ThrowAtStep-v0',
  (config, context) =>
    new Faulty(config, context, () => {
      throw new Error('fixture env broke on purpose');
    }),
);
registerEnv('fixture/ExitAtStep-v0', (config, context) => new Faulty(config, context, () => process.exit(3)));
registerEnv(
  'fixture/HangAtStep-v0',
  (config, context) =>
    new Faulty(config, context, () => {
      for (;;) {
        // A worker that stops answering: a busy loop no message can interrupt.
      }
    }),
);
registerEnv('fixture/CreatorThrows-v0', () => {
  throw new Error('creator refused on purpose');
});
