/**
 * RecoGym: env steps per second at 10 and 100 products (RecoGym's own API and the LoomRL face),
 * and the wall time of one `testAgent` call with 1000 offline + 1000 online users, compared with
 * Python RecoGym's 8–14 s for the same call on our machines; and the same call for the neural agents
 * (NnIpsAgent, PyTorchMLRAgent), whose training runs on TensorFlow.js (no Python figure beside them).
 */
import {
  type RecoGymAgent,
  RecoGymEnv,
  RecoGymLogregAgent,
  RecoGymLoomEnv,
  RecoGymNnIpsAgent,
  RecoGymOrganicUserEventCounterAgent,
  RecoGymPyTorchMLRAgent,
  RecoGymRandomAgent,
  testAgent,
} from '@loomrl/envs';

const PYTHON_TEST_AGENT_SECONDS = [8, 14] as const;

/** Steps of RecoGym's own API per second, over at least `minSeconds`, with uniform actions. */
function ownApiStepsPerSecond(numProducts: number, minSeconds: number): number {
  const env = new RecoGymEnv({ numProducts, randomSeed: 1 });
  let steps = 0;
  let user = 0;
  let action = 0;
  const started = performance.now();
  while (performance.now() - started < minSeconds * 1000) {
    env.reset(user++);
    let done = env.step(null).done;
    steps++;
    while (!done) {
      action = (action + 7) % numProducts;
      done = env.step(action).done;
      steps++;
    }
  }
  return steps / ((performance.now() - started) / 1000);
}

/** Steps of the LoomRL `Env` face per second. */
function loomStepsPerSecond(numProducts: number, minSeconds: number): number {
  const env = new RecoGymLoomEnv('v1', { numProducts, randomSeed: 1 });
  env.reset({ seed: 1 });
  let steps = 0;
  const started = performance.now();
  while (performance.now() - started < minSeconds * 1000) {
    for (let i = 0; i < 1000; i++) {
      if (env.step((steps + i) % numProducts).terminated) env.reset();
    }
    steps += 1000;
  }
  return steps / ((performance.now() - started) / 1000);
}

function testAgentSeconds(numProducts: number, agent: RecoGymAgent): number {
  const env = new RecoGymEnv({ numProducts, randomSeed: 42 });
  const started = performance.now();
  testAgent(env, agent, { numOfflineUsers: 1000, numOnlineUsers: 1000 });
  return (performance.now() - started) / 1000;
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

export default async () => {
  ownApiStepsPerSecond(10, 0.3); // warm-up
  const figures: Record<string, unknown> = {
    ownApiStepsPerSecondP10: round(ownApiStepsPerSecond(10, 1.5)),
    ownApiStepsPerSecondP100: round(ownApiStepsPerSecond(100, 1.5)),
    loomEnvStepsPerSecondP10: round(loomStepsPerSecond(10, 1.5)),
    loomEnvStepsPerSecondP100: round(loomStepsPerSecond(100, 1.5)),
  };
  const calls: Array<[string, number, () => RecoGymAgent]> = [
    ['randomP10', 10, () => new RecoGymRandomAgent({ numProducts: 10 })],
    ['randomP100', 100, () => new RecoGymRandomAgent({ numProducts: 100 })],
    ['organicUserCounterP100', 100, () => new RecoGymOrganicUserEventCounterAgent({ numProducts: 100 })],
    ['logregP100', 100, () => new RecoGymLogregAgent({ numProducts: 100 })],
  ];
  for (const [name, numProducts, make] of calls) {
    const seconds = testAgentSeconds(numProducts, make());
    figures[`testAgent1000x1000Seconds_${name}`] = round(seconds);
    figures[`speedupVsPython_${name}`] =
      `${round(PYTHON_TEST_AGENT_SECONDS[0] / seconds)}–${round(PYTHON_TEST_AGENT_SECONDS[1] / seconds)}×`;
  }
  const neural: Array<[string, number, () => Promise<RecoGymAgent>]> = [
    ['nnIpsP10', 10, () => RecoGymNnIpsAgent.create({ numProducts: 10 })],
    ['pytorchMlrP10', 10, () => RecoGymPyTorchMLRAgent.create({ numProducts: 10 })],
    ['pytorchMlrP100', 100, () => RecoGymPyTorchMLRAgent.create({ numProducts: 100 })],
  ];
  for (const [name, numProducts, make] of neural) {
    figures[`testAgent1000x1000Seconds_${name}`] = round(testAgentSeconds(numProducts, await make()));
  }
  figures.pythonTestAgentSeconds = `${PYTHON_TEST_AGENT_SECONDS[0]}–${PYTHON_TEST_AGENT_SECONDS[1]}`;
  return figures;
};
