// Run in a fresh process by ppo.test.ts: restores a checkpoint, prints greedy actions for the
// given observations and the counters after one more training iteration, as one JSON line.
import { readFileSync } from 'node:fs';
import { Algorithm } from '@loomrl/core';
import '@loomrl/algorithms';

const [checkpointDir, observationsFile] = process.argv.slice(2);
const observations = JSON.parse(readFileSync(observationsFile, 'utf8'));
const algo = await Algorithm.fromCheckpoint(checkpointDir);
const actions = observations.map((o) => algo.computeSingleAction(Float32Array.from(o), { explore: false }));
const result = await algo.train();
process.stdout.write(
  `${JSON.stringify({ actions, trainingIteration: result.trainingIteration, timestepsTotal: result.timestepsTotal })}\n`,
);
await algo.stop();
