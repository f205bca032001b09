// Misuse from a user's project: which error class (and code) each case surfaces as. Prints one
// JSON line { [case]: { name, code, isLoomError } | null } (null: nothing was thrown).
import { PPOConfig, restoreAlgorithm } from '@loomrl/algorithms';
import { Box, Discrete, LoomError } from '@loomrl/core';

async function trainOnce(config) {
  const algo = config.build();
  try {
    await algo.train();
  } finally {
    await algo.stop();
  }
}

const cases = {
  'a misspelt config option': () => new PPOConfig().training({ lamda: 0.9 }).environment({ env: 'CartPole-v1' }).build(),
  'a checkpoint directory that does not exist': () => restoreAlgorithm('/no/such/checkpoint'),
  'an unknown env id on a worker thread': () =>
    trainOnce(new PPOConfig().environment({ env: 'NoSuchEnv-v0' }).rollouts({ numRolloutWorkers: 1 }).debugging({ logLevel: 'silent' })),
  'a missing env module on a worker thread': () =>
    trainOnce(
      new PPOConfig()
        .environment({ env: 'CartPole-v1', envModules: ['/no/such/envs.mjs'] })
        .rollouts({ numRolloutWorkers: 1 })
        .debugging({ logLevel: 'silent' }),
    ),
  'an unknown env id on the local worker': () =>
    trainOnce(new PPOConfig().environment({ env: 'NoSuchEnv-v0' }).debugging({ logLevel: 'silent' })),
  'a missing env module on the local worker': () =>
    trainOnce(new PPOConfig().environment({ env: 'CartPole-v1', envModules: ['/no/such/envs.mjs'] }).debugging({ logLevel: 'silent' })),
  'an env module that throws on import, on the local worker': () =>
    trainOnce(
      new PPOConfig()
        .environment({ env: 'CartPole-v1', envModules: ['data:text/javascript,throw new Error("broken on purpose")'] })
        .debugging({ logLevel: 'silent' }),
    ),
  'a Box with low above high': () => new Box({ low: 1, high: 0, shape: [2] }),
  'a Discrete space of no elements': () => new Discrete(0),
};

const out = {};
for (const [name, run] of Object.entries(cases)) {
  try {
    await run();
    out[name] = null;
  } catch (error) {
    out[name] = { name: error?.constructor?.name, code: error?.code, isLoomError: error instanceof LoomError };
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
