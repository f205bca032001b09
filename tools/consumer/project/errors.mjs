// Misuse from a user's project: which error class (and code) each case surfaces as. Prints one
// JSON line { [case]: { name, code, isLoomError } | null } (null: nothing was thrown).
import { PPOConfig, restoreAlgorithm } from '@loomrl/algorithms';
import { LoomError } from '@loomrl/core';

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
  // >>> Issue 14 §5 (the lead): the local-worker cases (numRolloutWorkers: 0) — an unknown env id,
  // >>> a missing env module, a module that throws on import, a .ts module without tsx — and space
  // >>> constructors. Add them here and their expected classes in consumer.test.ts (EXPECTED_ERRORS).
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
