// Restores a checkpoint the other documented way: import the package for its registrations, then
// core's `Algorithm.fromCheckpoint`. Bundled with esbuild, this is what `"sideEffects"` must keep.
// Usage: node restoreWithCore.mjs <checkpointDir>. Prints one JSON line.
import '@loomrl/algorithms';
import { Algorithm } from '@loomrl/core';

const algo = await Algorithm.fromCheckpoint(process.argv[2]);
const weights = Array.from(algo.getWeights());
await algo.stop();
process.stdout.write(`${JSON.stringify({ weights })}\n`);
