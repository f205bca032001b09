// An application that *is* the environment: `node externalCartPoleClient.mjs <url> <parallel> <maxSeconds>`
// drives CartPole-v1 episodes through the policy server (remote inference) until the server goes away
// or the time is up, then prints `steps=<n> episodes=<n>`.
import '@loomrl/algorithms';
import { makeEnv } from '@loomrl/core';
import { PolicyClient } from '@loomrl/tune/client';

const [url, parallel = '8', maxSeconds = '600'] = process.argv.slice(2);
const client = new PolicyClient(url);
const deadline = Date.now() + Number(maxSeconds) * 1000;
let steps = 0;
let episodes = 0;

async function drive(index) {
  const env = makeEnv('CartPole-v1');
  let seed = 1000 * index;
  while (Date.now() < deadline) {
    const id = await client.startEpisode();
    let { obs } = env.reset({ seed: seed++ });
    let reward;
    for (;;) {
      const action = await client.getAction(id, Array.from(obs), reward === undefined ? {} : { reward });
      const step = env.step(action);
      steps += 1;
      if (step.terminated || step.truncated) {
        await client.endEpisode(id, Array.from(step.obs), { truncated: step.truncated, reward: step.reward });
        episodes += 1;
        break;
      }
      reward = step.reward;
      obs = step.obs;
    }
  }
}

await Promise.all(Array.from({ length: Number(parallel) }, (_, i) => drive(i))).catch(() => undefined);
process.stdout.write(`steps=${steps} episodes=${episodes}\n`);
