// A learner helper for learnerThreads.test.ts. Broadcast 1 adds index + 1 (and the numbers it was
// sent) to slot `index` of `out`; sharded 4 writes 10 · shard into slot `shard` of `shards` and counts
// the shards this helper took in `taken`; 2 throws, 3 ends the thread mid-command.
import { serveLearnerThread } from '@loomrl/core/internal';

serveLearnerThread((init, index) => {
  const out = new Float64Array(init.out);
  const shards = new Float64Array(init.shards);
  const taken = new Float64Array(init.taken);
  return (command, shard, messages) => {
    if (command === 1) out[index] += index + 1 + messages.reduce((sum, m) => sum + m, 0);
    else if (command === 4) {
      shards[shard] = 10 * shard;
      taken[index] += 1;
    } else if (command === 2) throw new Error(`boom in helper ${index}`);
    else if (command === 3) process.exit(7);
  };
});
