export { activationCode, DenseKernel, type Region } from './denseKernel.js';
export { DenseStack } from './denseStack.js';
export { gatherRows, KernelActorCritic, type RowSource } from './kernelActorCritic.js';
export { KernelAdam } from './kernelAdam.js';
export { KernelQNetwork } from './kernelQNetwork.js';
export { type LearnerCommandHandler, LearnerThreadPool, liveLearnerThreads, serveLearnerThread, shardBounds } from './learnerThreads.js';
export { tfjsNodeResolvable } from './tfjsNode.js';
