/** A user's policy module (TypeScript): registers "firstCandidate", which always shows candidates 0..S-1. */
import { type RecSimPolicyFactory, registerRecSimPolicy } from '@loomrl/envs';

/** Shows the first S candidates, whatever the observation. */
export const firstCandidate: RecSimPolicyFactory = ({ env }) => {
  const space = env.actionSpace as unknown as { nvec: readonly number[] };
  const slate = Int32Array.from(space.nvec, (_, i) => i);
  return { act: () => slate };
};

registerRecSimPolicy('firstCandidate', firstCandidate);
