import { ConfigError, describeValue } from '../errors.js';
import type { AllSettings, OfflineInput } from './settings.js';

/** Whether `input` steps envs: `'sampler'`, or a mix with a `sampler` share. */
export function inputUsesSampler(input: OfflineInput): boolean {
  if (input === 'sampler') return true;
  if (typeof input === 'object' && !Array.isArray(input)) return ((input as Record<string, number>).sampler ?? 0) > 0;
  return false;
}

/** The evaluation workers' input: `evaluationConfig.input`, else the training input (RLlib inherits it). */
export function evaluationInputOf(s: Pick<AllSettings, 'input' | 'evaluationConfig'>): OfflineInput {
  return s.evaluationConfig.input ?? s.input;
}

function checkDatasetConfig(where: string, inputConfig: Readonly<Record<string, unknown>>): void {
  for (const key of ['parallelism', 'numCpusPerReadTask']) {
    if (key in inputConfig) throw new ConfigError(`${where}: "${key}" is set by LoomRL (one reader per worker); remove it.`);
  }
  const format = inputConfig.format ?? 'json';
  if (format !== 'json') throw new ConfigError(`${where}: format ${describeValue(format)} is not supported; expected "json".`);
  const paths = inputConfig.paths;
  const ok =
    (typeof paths === 'string' && paths.length > 0) ||
    (Array.isArray(paths) && paths.length > 0 && paths.every((p) => typeof p === 'string'));
  if (!ok) {
    throw new ConfigError(
      `${where}: input "dataset" needs inputConfig.paths (a file, directory or glob, or a list of them), got ${describeValue(paths)}.`,
    );
  }
}

/**
 * The checks of `offlineData()` and of running without an env: offline input needs spaces from
 * the env or from `environment({ observationSpace, actionSpace })`; off-policy estimators need
 * offline evaluation input; `input: 'dataset'` needs `inputConfig.paths`.
 */
export function validateOfflineData(s: Readonly<AllSettings>): void {
  if (s.env === null) {
    if (inputUsesSampler(s.input)) {
      throw new ConfigError(
        'environment({ env }) is not set: name a registered env id, e.g. "CartPole-v1", or read logged data with offlineData({ input }).',
      );
    }
    if (s.observationSpace === null || s.actionSpace === null) {
      throw new ConfigError(
        `offlineData({ input: ${describeValue(s.input)} }) without an env needs environment({ observationSpace, actionSpace }) ` +
          `(missing: ${[s.observationSpace === null ? 'observationSpace' : '', s.actionSpace === null ? 'actionSpace' : ''].filter(Boolean).join(', ')}).`,
      );
    }
    const evaluates = (s.evaluationInterval ?? 0) > 0;
    if (evaluates && inputUsesSampler(evaluationInputOf(s))) {
      throw new ConfigError(
        'evaluation({ evaluationConfig: { input: "sampler" } }) evaluates on the env, but environment({ env }) is not set.',
      );
    }
  }
  if (s.input === 'dataset') checkDatasetConfig('offlineData({ inputConfig })', s.inputConfig);
  const evalInput = evaluationInputOf(s);
  if (evalInput === 'dataset')
    checkDatasetConfig('evaluation({ evaluationConfig: { inputConfig } })', s.evaluationConfig.inputConfig ?? s.inputConfig);
  const methods = Object.keys(s.offPolicyEstimationMethods);
  if (methods.length > 0 && inputUsesSampler(evalInput)) {
    throw new ConfigError(
      `evaluation({ offPolicyEstimationMethods: { ${methods.join(', ')} } }) estimates from logged data, but the evaluation input is the env sampler; ` +
        'set evaluation({ evaluationConfig: { input: <files> } }) or offlineData({ input: <files> }).',
    );
  }
}
