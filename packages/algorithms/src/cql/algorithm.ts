import {
  DEFAULT_MODULE_ID,
  type EnvSpaces,
  type LearnerState,
  type LearnerStats,
  type ModuleId,
  type ModuleTensors,
  SampleBatch,
  type TrainingStepResult,
  trainingStepResult,
} from '@loomrl/core';
import { assertFiniteUpdate, ConfigError } from '@loomrl/core/internal';
import { LearnerBackend } from '../learnerEngine.js';
import { SAC } from '../sac/algorithm.js';
import type { CQLConfig } from './config.js';
import type { CQLEngine } from './engine.js';

const now = (): number => performance.now();

/**
 * Conservative Q-Learning on SAC (RLlib's `CQL`): each training step reads one round of offline
 * batches on the rollout workers and takes one sequential CQL update per `trainBatchSize` rows (no
 * replay buffer), soft-updating the targets whenever `targetNetworkUpdateFreq` more steps were
 * trained (RLlib counts trained steps for CQL). Build it with `new CQLConfig()…build()`.
 */
export class CQL extends SAC {
  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: CQLConfig) {
    super(config as never);
  }

  private get cqlSettings(): CQLConfig['settings'] {
    return (this.config as unknown as CQLConfig).settings;
  }

  protected override async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    const spec = this.networkSpec();
    if (spec.discrete)
      throw new ConfigError("CQL learns continuous (Box) actions only, as RLlib's does; use DQN or CRR for Discrete actions.");
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const backend = await LearnerBackend.load(this.settings.backend);
    this.learnerBackend = backend;
    const weights = this.initialNetworkWeights(spec, initial);
    const targetEntropy = this.targetEntropy(spec);
    if (backend.engine === 'loomrl') {
      const { KernelCQLEngine } = await import('./kernelEngine.js');
      this.learner = new KernelCQLEngine(spec, weights, this.cqlSettings, targetEntropy, this.noiseRng);
      return;
    }
    const [{ CQLLearner }, { SacNetworks }] = await Promise.all([import('./learner.js'), import('../sac/networks.js')]);
    backend.use();
    this.learner = new CQLLearner(new SacNetworks(spec, weights), this.cqlSettings, targetEntropy, this.noiseRng);
  }

  protected override async trainingStep(): Promise<TrainingStepResult> {
    const s = this.cqlSettings;
    const t0 = now();
    const round = await this.workers.sample(s.trainBatchSize);
    const batch = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    const t1 = now();
    this.useBackend();
    const learner = this.requireLearner<CQLEngine>();
    const order = this.noiseRng.shuffle(Int32Array.from({ length: batch.count }, (_, i) => i));
    const size = Math.min(batch.count, s.trainBatchSize);
    let learnerStats: LearnerStats = {};
    let trained = 0;
    for (let start = 0; start + size <= batch.count; start += size) {
      learnerStats = learner.update(batch.gather(order.subarray(start, start + size)));
      trained += size;
      // RLlib's CQL counts trained steps here (SAC and DQN count sampled ones): a round of several
      // batches then soft-updates the targets after each update, not after the first only.
      const trainedTotal = this.lifetime.numEnvStepsTrained + trained;
      if (trainedTotal - this.lastTargetUpdate >= s.targetNetworkUpdateFreq) {
        learner.nets.updateTargets(s.tau);
        this.lastTargetUpdate = trainedTotal;
      }
    }
    const weights = learner.nets.getActorWeights();
    assertFiniteUpdate('CQL', learnerStats, weights);
    this.weights = weights;
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const t3 = now();
    return trainingStepResult(round, learnerStats, trained, [t0, t1, t2, t3]);
  }

  protected override async getLearnerState(): Promise<LearnerState> {
    const state = await super.getLearnerState();
    const learner = this.requireLearner<CQLEngine>();
    const logAlphaPrime = learner.getLogAlphaPrime();
    return {
      ...state,
      weights: { ...state.weights, ...(logAlphaPrime === null ? {} : { logAlphaPrime: Float32Array.of(logAlphaPrime) }) },
      extra: { ...state.extra, curIter: learner.curIter },
    };
  }

  protected override async setLearnerState(state: LearnerState): Promise<void> {
    await super.setLearnerState(state);
    const learner = this.requireLearner<CQLEngine>();
    if (typeof state.extra.curIter === 'number') learner.curIter = state.extra.curIter;
    const prime = state.weights.logAlphaPrime;
    if (prime !== undefined) learner.setLogAlphaPrime(prime[0] ?? 0);
  }
}
