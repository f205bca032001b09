// A user's RecSim policy in TypeScript: evaluation threads import it through tsx.
import { MultiDiscrete } from '@loomrl/core';
import { type RecSimPolicyFactory, registerRecSimPolicy } from '@loomrl/envs';

const lastCandidates: RecSimPolicyFactory = ({ env }) => {
  const space = env.actionSpace;
  if (!(space instanceof MultiDiscrete)) throw new TypeError('expected a MultiDiscrete slate space');
  const candidates = Number(space.nvec[0]);
  const slate = Int32Array.from(space.nvec, (_, i) => candidates - 1 - i);
  return { act: () => slate };
};

registerRecSimPolicy('consumerTypedLast', lastCandidates);
