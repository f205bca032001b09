import type { BackendName, OffPolicyEstimatorSettings } from '../config/settings.js';
import { ConfigError, DataError, describeValue } from '../errors.js';
import type { InferenceModule } from '../modules/module.js';
import { SampleBatch, type TransitionColumns } from '../sampleBatch.js';
import { Discrete, type Space } from '../spaces/index.js';
import { DirectMethod, DoublyRobust } from './directMethod.js';
import { FQE_DEFAULTS, type FqeSettings } from './fqeSettings.js';
import { ImportanceSampling, WeightedImportanceSampling } from './importanceSampling.js';
import type { OffPolicyEstimator, TargetPolicy } from './types.js';

/** Our names of the columns the estimators read (what the evaluation readers must find in every line). */
export function offPolicyInputColumns(estimators: readonly OffPolicyEstimatorSettings[]): string[] {
  const columns = ['obs', 'actions', 'rewards', 'actionProb'];
  if (estimators.some((e) => e.type === 'DirectMethod' || e.type === 'DoublyRobust')) columns.push('nextObs', 'terminateds');
  return columns;
}

function fqeSettingsOf(name: string, raw: unknown): FqeSettings {
  if (raw === undefined) return FQE_DEFAULTS;
  if (typeof raw !== 'object' || raw === null)
    throw new ConfigError(`offPolicyEstimationMethods.${name}.qModelConfig: expected an object, got ${describeValue(raw)}.`);
  const merged = { ...FQE_DEFAULTS, ...(raw as Record<string, unknown>) } as Record<string, unknown>;
  for (const key of Object.keys(raw as object)) {
    if (!(key in FQE_DEFAULTS)) {
      throw new ConfigError(
        `offPolicyEstimationMethods.${name}.qModelConfig: unknown key "${key}" (valid: ${Object.keys(FQE_DEFAULTS).join(', ')}).`,
      );
    }
  }
  return merged as unknown as FqeSettings;
}

/**
 * The estimators of `evaluation({ offPolicyEstimationMethods })`, by name. Settings: `epsilonGreedy`
 * (mix π_e with uniform, Discrete only), and for DM/DR `qModelConfig` (FQE: `hiddens`, `nIters`,
 * `lr`, `minLossThreshold`, `clipGradNorm`, `minibatchSize`, `polyakCoef`).
 */
export function createEstimators(
  methods: Readonly<Record<string, OffPolicyEstimatorSettings>>,
  options: { readonly seed: number; readonly backend: BackendName },
): Record<string, OffPolicyEstimator> {
  let backend: Promise<string> | null = null;
  const selectBackend = () => {
    backend ??= import('../tf/backend.js').then((tf) => tf.selectBackend(tf.tfjsBackendOf(options.backend)));
    return backend;
  };
  const out: Record<string, OffPolicyEstimator> = {};
  for (const [name, settings] of Object.entries(methods)) {
    const { type, epsilonGreedy = 0, qModelConfig, ...rest } = settings;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      throw new ConfigError(
        `offPolicyEstimationMethods.${name}: unknown setting "${unknown[0]}" (valid: type, epsilonGreedy, qModelConfig).`,
      );
    if (typeof epsilonGreedy !== 'number' || epsilonGreedy < 0 || epsilonGreedy > 1) {
      throw new ConfigError(
        `offPolicyEstimationMethods.${name}.epsilonGreedy: expected a number in [0, 1], got ${describeValue(epsilonGreedy)}.`,
      );
    }
    if (type === 'ImportanceSampling') out[name] = new ImportanceSampling(epsilonGreedy);
    else if (type === 'WeightedImportanceSampling') out[name] = new WeightedImportanceSampling(epsilonGreedy);
    else {
      const Model = type === 'DirectMethod' ? DirectMethod : DoublyRobust;
      out[name] = new Model(fqeSettingsOf(name, qModelConfig), epsilonGreedy, selectBackend, `${options.seed}/ope/${name}`);
    }
  }
  return out;
}

/** A module as the target policy: its `logLikelihoods` (or, for Discrete actions, `actionProbabilities`). */
export function targetPolicyOf(module: InferenceModule, actionSpace: Space<unknown>): TargetPolicy {
  const numActions = actionSpace instanceof Discrete ? actionSpace.n : null;
  const allActionProbs = (obs: Float32Array, rows: number): Float32Array | null =>
    numActions === null || module.actionProbabilities === undefined ? null : module.actionProbabilities(obs, rows);
  if (module.logLikelihoods === undefined && (numActions === null || module.actionProbabilities === undefined)) {
    throw new ConfigError(
      `Off-policy estimation needs the target policy's probabilities, but module kind "${module.spec.kind}" has no logLikelihoods().`,
    );
  }
  return {
    numActions,
    allActionProbs,
    actionProbs(obs, actions, rows) {
      if (module.logLikelihoods !== undefined) return Float64Array.from(module.logLikelihoods(obs, actions, rows), Math.exp);
      const all = allActionProbs(obs, rows) as Float32Array;
      const n = numActions as number;
      return Float64Array.from({ length: rows }, (_, r) => all[r * n + (actions[r] as number)] as number);
    },
  };
}

/** Runs every estimator on the evaluation rows (all workers' batches together) and returns their metrics by name. */
export async function estimateOffPolicy(
  estimators: Readonly<Record<string, OffPolicyEstimator>>,
  batches: readonly SampleBatch<TransitionColumns>[],
  options: { readonly policy: TargetPolicy; readonly gamma: number; readonly splitByEpisode: boolean },
): Promise<Record<string, Record<string, number>>> {
  const batch = SampleBatch.concat(batches).requireColumns<{ actionProb: Float32Array }>(['actionProb'], 'Off-policy estimation');
  const probs = batch.columns.actionProb;
  for (let r = 0; r < batch.count; r++) {
    const p = probs[r] as number;
    if (!(p > 0) || !Number.isFinite(p)) {
      throw new DataError(`Off-policy estimation: row ${r} has action_prob ${p}; behaviour probabilities must be finite and > 0.`);
    }
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [name, estimator] of Object.entries(estimators)) out[name] = await estimator.estimate({ batch, ...options });
  return out;
}
