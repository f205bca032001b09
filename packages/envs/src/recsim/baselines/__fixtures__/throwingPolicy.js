// A user's policy module (plain JS): registers "throwsOnAct", whose act() always throws.
import { registerRecSimPolicy } from '@loomrl/envs';

registerRecSimPolicy('throwsOnAct', () => ({
  act: () => {
    throw new RangeError('throwsOnAct: this policy always fails');
  },
}));
