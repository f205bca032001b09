// Restores a checkpoint in a fresh process with nothing imported but `restoreAlgorithm`, acts
// greedily on fixed observations and trains one more iteration. Also bundled with esbuild.
// Usage: node restore.mjs <checkpointDir>. Prints one JSON line.
import { restoreAlgorithm } from '@loomrl/algorithms';

const algo = await restoreAlgorithm(process.argv[2]);
const observations = [
  [0, 0, 0, 0],
  [0.1, -0.2, 0.05, 0.3],
  [-0.05, 0.4, -0.1, -0.6],
];
const actions = observations.map((o) => algo.computeSingleAction(Float32Array.from(o), { explore: false }));
const weights = Array.from(algo.getWeights());
const result = await algo.train();
await algo.stop();
process.stdout.write(`${JSON.stringify({ weights, actions, trainingIteration: result.trainingIteration, backend: result.backend })}\n`);
