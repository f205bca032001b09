/**
 * RecoGym's "Compare Agents" tutorial: every agent is trained on 1000 offline users logged by the
 * uniform policy, then tested on 1000 online users, at 10 and 100 products. Prints the CTR (the
 * posterior median) with its 95% credible interval, as RecoGym's `test_agent` reports it.
 *
 * Two worlds: RecoGym's defaults, where clicks follow the same embedding as organic views (so
 * "recommend what the user views most" is already close to the best possible), and the
 * competition's twist `numberOfFlips: 20`, where 20 pairs of products swap their click behaviour
 * and only bandit data reveals it. The oracle row reads each user's hidden state and shows the
 * ceiling; it is a diagnostic, not an agent one could deploy.
 *
 * The neural agents (NnIps, PyTorchMLR) train on TensorFlow.js and take most of the time.
 *
 *   npx tsc -b packages/envs && pnpm exec tsx examples/recogym-agents.ts
 */
import {
  type RecoGymAgent,
  RecoGymBanditCountAgent,
  RecoGymBanditMFSquareAgent,
  type RecoGymConfig,
  RecoGymEnv,
  RecoGymLogregAgent,
  RecoGymNnIpsAgent,
  type RecoGymObservation,
  RecoGymOrganicCountAgent,
  RecoGymOrganicMFSquareAgent,
  RecoGymOrganicUserEventCounterAgent,
  RecoGymPopularityAgent,
  RecoGymPyTorchMLRAgent,
  RecoGymRandomAgent,
  testAgent,
} from '@loomrl/envs';

const ENV_SEED = 42;
const AGENT_SEED = 0;

type AgentFactory = (numProducts: number, env: RecoGymEnv) => RecoGymAgent | Promise<RecoGymAgent>;

/** Recommends the product with the highest true click probability for the current user. */
function oracle(env: RecoGymEnv): RecoGymAgent {
  return {
    act(observation: RecoGymObservation) {
      let best = 0;
      let bestCtr = -1;
      for (let a = 0; a < env.numProducts; a++) {
        const ctr = env.userModel.clickProbability(a);
        if (ctr > bestCtr) [best, bestCtr] = [a, ctr];
      }
      return { t: observation.context.time, u: observation.context.user, a: best, ps: 1 };
    },
    train() {},
    reset() {},
  };
}

const agents: ReadonlyArray<readonly [string, AgentFactory]> = [
  ['random', (numProducts) => new RecoGymRandomAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['popularity', (numProducts) => new RecoGymPopularityAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['organic user event counter', (numProducts) => new RecoGymOrganicUserEventCounterAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['organic count', (numProducts) => new RecoGymOrganicCountAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['organic MF square', (numProducts) => new RecoGymOrganicMFSquareAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['bandit count', (numProducts) => new RecoGymBanditCountAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['bandit MF square', (numProducts) => new RecoGymBanditMFSquareAgent({ numProducts, randomSeed: AGENT_SEED })],
  ['logistic regression (learned)', (numProducts) => new RecoGymLogregAgent({ numProducts, randomSeed: AGENT_SEED })],
  // RecoGym's NnIpsAgent as it is: its loss has no gradient (see RecoGymNnIpsAgent), so this is its initial network.
  ['NnIps (RecoGym loss)', (numProducts) => RecoGymNnIpsAgent.create({ numProducts, randomSeed: AGENT_SEED })],
  [
    'NnIps (loggedAction loss)',
    (numProducts) => RecoGymNnIpsAgent.create({ numProducts, randomSeed: AGENT_SEED, ipsLoss: 'loggedAction' }),
  ],
  // The leaderboard's three PyTorchMLRAgent entries: CB, CB-log and likelihood.
  ['PyTorchMLR CB', (numProducts) => RecoGymPyTorchMLRAgent.create({ numProducts, randomSeed: AGENT_SEED })],
  ['PyTorchMLR CB-log', (numProducts) => RecoGymPyTorchMLRAgent.create({ numProducts, randomSeed: AGENT_SEED, logIPS: true })],
  ['PyTorchMLR likelihood', (numProducts) => RecoGymPyTorchMLRAgent.create({ numProducts, randomSeed: AGENT_SEED, alpha: 1 })],
  ['oracle (hidden state; ceiling)', (_numProducts, env) => oracle(env)],
];

const worlds: ReadonlyArray<readonly [string, RecoGymConfig]> = [
  ['defaults', { numProducts: 10 }],
  ['defaults', { numProducts: 100 }],
  ['numberOfFlips: 20', { numProducts: 100, numberOfFlips: 20 }],
];

const fmt = (x: number) => x.toFixed(5);
console.log('| world | products | agent | CTR | 2.5% | 97.5% | clicks / impressions | seconds |');
console.log('|---|---:|---|---:|---:|---:|---:|---:|');
for (const [worldName, config] of worlds) {
  for (const [name, make] of agents) {
    // A fresh env per agent, like the tutorial's deepcopy(env): every agent starts from the same stream.
    const env = new RecoGymEnv({ ...config, randomSeed: ENV_SEED });
    const started = performance.now();
    const result = testAgent(env, await make(env.numProducts, env), { numOfflineUsers: 1000, numOnlineUsers: 1000 });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const impressions = result.successes + result.failures;
    console.log(
      `| ${worldName} | ${env.numProducts} | ${name} | ${fmt(result.median)} | ${fmt(result.lower)} | ${fmt(result.upper)} | ${result.successes} / ${impressions} | ${seconds} |`,
    );
  }
}
