// A user's RecSim policies (plain JS), registered by name so evaluation threads can build them.
import { registerRecSimPolicy } from '@loomrl/envs';

registerRecSimPolicy('consumerFirst', ({ env }) => {
  const slate = Int32Array.from(env.actionSpace.nvec, (_, i) => i);
  return { act: () => slate };
});

registerRecSimPolicy('consumerThrows', () => ({
  act: () => {
    throw new TypeError('consumerThrows: the user policy failed');
  },
}));
