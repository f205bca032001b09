export {
  type ChunkExecutor,
  type ChunkResult,
  type EvaluationChunk,
  type EvaluationOptions,
  type EvaluationResult,
  evaluatePolicy,
  planEvaluation,
  runChunksOnCurrentThread,
  runEvaluationChunk,
  summarizeEvaluation,
} from './evaluate.js';
export {
  greedyClickPolicy,
  greedyQualityPolicy,
  kaleistPolicy,
  RECSIM_BASELINE_POLICIES,
  randomPolicy,
  sweetestPolicy,
} from './policies.js';
export {
  type PolicyContext,
  type PolicyStep,
  type RecSimPolicy,
  type RecSimPolicyFactory,
  slateAsAction,
  structuredObservation,
  topPositions,
} from './policy.js';
export { namedRecSimPolicies, registerRecSimPolicy } from './registry.js';
export { meanAndStandardError } from './statistics.js';
export { resolveThreadCount, runChunksOnThreads, type ThreadExecutorOptions } from './threadPool.js';
