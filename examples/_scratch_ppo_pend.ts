import { pendulumPPO } from '@loomrl/algorithms';

const algo = pendulumPPO({ seed: 1 }).build();
const t = performance.now();
for (let i = 0; i < 250; i++) {
  const r = await algo.train();
  if (i % 10 === 9) {
    const e = (await algo.evaluate()).episodeRewardMean;
    console.log(r.timestepsTotal, r.episodeRewardMean.toFixed(0), 'greedy', e.toFixed(0), ((performance.now() - t) / 1000).toFixed(1));
    if (e > -170) break;
  }
}
await algo.stop();
