/**
 * RecSim's agent side: the episodic agent API, its agents (random, greedy pCTR, cluster bandit,
 * tabular Q, full-slate Q), hierarchical layers (click statistics, click bandit, history, temporal aggregation),
 * bandit algorithms (UCB1, KL-UCB, Thompson sampling, GLM bandits), the train/eval runner with env
 * metrics, and adapters between RecSim agents and LoomRL policies.
 */
export { type ActingPolicy, agentPolicy, PolicyAgent, type PolicyAgentOptions } from './adapters.js';
export {
  AbstractEpisodicRecommenderAgent,
  AbstractMultiUserEpisodicRecommenderAgent,
  AbstractRecommenderAgent,
  type AgentBundle,
  type AgentFactory,
  type AgentObservation,
  type AgentSpaces,
  checkSlate,
  type RecSimAgent,
  type Slate,
} from './agent.js';
export { sampleBeta, sampleGamma } from './bandits/betaSampler.js';
export { GLMAlgorithm, type GLMChoice, GLMTS, UCBGLM } from './bandits/glm.js';
export {
  bernoulliKl,
  KLUCB,
  MAB_ALGORITHMS,
  MABAlgorithm,
  type MABAlgorithmFactory,
  type MABParams,
  ThompsonSampling,
  UCB1,
} from './bandits/mab.js';
export {
  ClusterBanditAgent,
  type ClusterBanditAgentOptions,
  documentClusterCount,
  GreedyClusterAgent,
  type GreedyClusterAgentOptions,
} from './clusterBanditAgent.js';
export { clickMetrics, type EnvMetrics, videoClusterMetrics } from './envMetrics.js';
export { FullSlateQAgent, type FullSlateQAgentOptions } from './fullSlateQAgent.js';
export { GreedyPCTRAgent, type GreedyPCTRAgentOptions } from './greedyPctrAgent.js';
export { AbstractClickBanditLayer, type ClickBanditOptions } from './layers/clickBandit.js';
export { type ClusterClickStatistics, ClusterClickStatsLayer } from './layers/clusterClickStats.js';
export { FixedLengthHistoryLayer, type FixedLengthHistoryOptions, type HistoryEntry } from './layers/fixedLengthHistory.js';
export { AbstractHierarchicalAgentLayer, type Preprocessed } from './layers/hierarchical.js';
export { SufficientStatisticsLayer } from './layers/sufficientStatistics.js';
export {
  type DiscountedAgentFactory,
  documentsClose,
  TemporalAggregationLayer,
  type TemporalAggregationOptions,
} from './layers/temporalAggregation.js';
export { RandomAgent } from './randomAgent.js';
export {
  type CreateAgent,
  type EpisodeRecord,
  EvalRunner,
  type EvalRunnerOptions,
  type PhaseMetrics,
  Runner,
  type RunnerOptions,
  readRunnerMetrics,
  TrainRunner,
  type TrainRunnerOptions,
} from './runner.js';
export { TabularQAgent, type TabularQAgentOptions } from './tabularQAgent.js';
export { digitize, epsilonGreedyExploration, type LeafOp, minCountExploration, SpaceWalker, slatesOf } from './utils.js';
