// A learner helper for learnerThreads.test.ts: command 1 adds its index + 1 to slot `index` of a shared
// Float64Array (and the values of the messages it got), 2 throws, 3 ends the thread mid-command.
import { serveLearnerThread } from '@loomrl/core/internal';

serveLearnerThread((init, index) => {
  const out = new Float64Array(init.out);
  return (command, messages) => {
    if (command === 1) out[index] += index + 1 + messages.reduce((sum, m) => sum + m, 0);
    else if (command === 2) throw new Error(`boom in helper ${index}`);
    else if (command === 3) process.exit(7);
  };
});
