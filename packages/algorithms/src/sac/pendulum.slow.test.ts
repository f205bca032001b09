import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { pendulumSAC } from './tunedExamples.js';

/** Progress lines go to `$LOOMRL_LEARNING_LOG` when it is set (watching a long run). */
const log = (text: string): void => {
  if (process.env.LOOMRL_LEARNING_LOG) appendFileSync(process.env.LOOMRL_LEARNING_LOG, `${text}\n`);
};

describe('SAC on Pendulum-v1 (learning regression, pnpm test:learning)', () => {
  it('reaches a greedy evaluation >= -200 (10 episodes) within 30k env steps', async () => {
    const algo = pendulumSAC({ seed: 42 }).build();
    let greedy = Number.NEGATIVE_INFINITY;
    let steps = 0;
    const history: string[] = [];
    try {
      while (steps < 30_000) {
        const result = await algo.train();
        steps = result.timestepsTotal;
        const line = `${steps} train ${result.episodeRewardMean.toFixed(0)}`;
        if (result.episodeRewardMean >= -300) {
          greedy = (await algo.evaluate()).episodeRewardMean;
          history.push(`${line} greedy ${greedy.toFixed(0)}`);
        } else history.push(line);
        log(history.at(-1) as string);
        if (greedy >= -200) break;
      }
    } finally {
      await algo.stop();
    }
    console.log(`SAC Pendulum: ${history.join('; ')}`);
    expect(greedy, history.join('; ')).toBeGreaterThanOrEqual(-200);
    expect(steps).toBeLessThanOrEqual(30_000);
  }, 3_600_000);
});
