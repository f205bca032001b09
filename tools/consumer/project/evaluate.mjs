// RecSim evaluation with the user's own policy modules, as the RecSim README shows: on 2 threads
// and on the current thread, a TypeScript policy module, and a policy that throws inside a thread.
// Prints one JSON line; the process must end normally (exit code 0).
import { fileURLToPath } from 'node:url';
import { evaluatePolicy } from '@loomrl/envs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const base = { envId: 'RecSim/LongTermSatisfaction-v0', envConfig: { timeBudget: 20 }, episodes: 6, episodesPerChunk: 2, seed: 4 };
const jsModules = { policyModules: [here('./policies.mjs')] };
const threaded = await evaluatePolicy({ ...base, ...jsModules, policy: 'consumerFirst', numThreads: 2 });
const current = await evaluatePolicy({ ...base, ...jsModules, policy: 'consumerFirst', numThreads: 0 });
const typed = await evaluatePolicy({ ...base, policy: 'consumerTypedLast', numThreads: 2, policyModules: [here('./typedPolicies.ts')] });
let thrown = null;
try {
  await evaluatePolicy({ ...base, ...jsModules, policy: 'consumerThrows', numThreads: 2 });
} catch (error) {
  thrown = { name: error.name, message: error.message };
}
let unknown = null;
try {
  await evaluatePolicy({ ...base, policy: 'noSuchPolicy', numThreads: 2 });
} catch (error) {
  unknown = { name: error.name, code: error.code, message: error.message };
}
process.stdout.write(
  `${JSON.stringify({ threaded: threaded.returns, current: current.returns, typed: typed.returns, thrown, unknown })}\n`,
);
