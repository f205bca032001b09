import type { Algorithm } from '../algorithm/algorithm.js';
import { lookupAlgorithm } from '../algorithm/registry.js';
import { ConfigError, describeValue, didYouMean } from '../errors.js';
import type { SpaceJSON } from '../spaces/space.js';
import { BASE_DEFAULTS, BASE_FIELDS, EVALUATION_OVERRIDE_FIELDS, type FieldSpec, MODEL_FIELDS } from './baseFields.js';
import { rolloutFragmentLengthFor } from './fragmentLength.js';
import { validateOfflineData } from './offlineValidation.js';
import { validateRemote } from './remoteChecks.js';
import type {
  AllSettings,
  DebuggingSettings,
  EnvironmentSettings,
  EvaluationSettings,
  ExplorationSettings,
  FaultToleranceSettings,
  FrameworkSettings,
  OfflineDataSettings,
  RemoteSettings,
  ReportingSettings,
  ResourcesSettings,
  RLModuleSettings,
  RolloutSettings,
  SettingsGroup,
  TrainingSettings,
} from './settings.js';

/** `training()`'s argument: any subset of the training fields, with a partial `model`. */
export type TrainingUpdate<T extends TrainingSettings> = Partial<Omit<T, 'model'>> & { model?: Partial<T['model']> };

/** `environment()`'s argument: `observationSpace` / `actionSpace` may be given as a `Space` (stored as its JSON). */
export type EnvironmentUpdate = Partial<Omit<EnvironmentSettings, 'observationSpace' | 'actionSpace'>> & {
  observationSpace?: SpaceJSON | { toJSON(): SpaceJSON } | null;
  actionSpace?: SpaceJSON | { toJSON(): SpaceJSON } | null;
};

/** `rollouts()`'s argument: any subset of the rollout fields; `remote` needs only `transport` and `servers`. */
export type RolloutsUpdate = Partial<Omit<RolloutSettings, 'remote'>> & {
  remote?: (Pick<RemoteSettings, 'transport' | 'servers'> & Partial<RemoteSettings>) | null;
};

/** The plain-data form of a config: `{ algorithm, ...every setting }`. */
export type AlgorithmConfigJSON = { readonly algorithm: string } & Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Merges `update` into a copy of `base`, recursing into plain objects (RLlib's deep update). */
export function deepMerge(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(update)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * The fluent, typed, plain-data configuration of an algorithm (RLlib's `AlgorithmConfig`).
 * Each group setter takes any subset of its fields, checks every value at once (an unknown key
 * suggests the nearest valid one) and returns `this`. Everything a config holds survives
 * `JSON.stringify` and structured clone: it is what goes to worker threads and into checkpoints.
 */
export class AlgorithmConfig<T extends TrainingSettings = TrainingSettings> {
  /** The algorithm's registered name, e.g. `'PPO'`. */
  readonly algorithm: string;
  protected settingsData: AllSettings<T>;
  private frozen = false;

  /** A config with the base defaults overridden by `defaults` (an algorithm's own defaults). */
  constructor(algorithm: string, defaults: Partial<AllSettings<T>> = {}) {
    this.algorithm = algorithm;
    this.settingsData = structuredClone({ ...BASE_DEFAULTS, ...defaults }) as AllSettings<T>;
  }

  /** Every setting, read-only. */
  get settings(): Readonly<AllSettings<T>> {
    return this.settingsData;
  }

  /** The fields this config accepts; algorithms add their training fields. */
  protected fields(): Readonly<Record<string, FieldSpec>> {
    return BASE_FIELDS;
  }

  /** The keys of `training({ model })`; algorithms add their own (e.g. PPO's `vfShareLayers`). */
  protected modelFields(): Readonly<Record<string, (v: unknown) => string | undefined>> {
    return MODEL_FIELDS;
  }

  /**
   * What `rolloutFragmentLength: 'auto'` means for this algorithm, or `null` for RLlib's rule
   * (trainBatchSize split across workers and envs). DQN, for instance, steps a few envs at a time.
   */
  autoRolloutFragmentLength(): number | null {
    return null;
  }

  /**
   * Whether this algorithm's learner splits minibatches across `resources({ numLearnerWorkers })`
   * threads with the current settings; `validate()` rejects numLearnerWorkers > 1 otherwise.
   */
  protected splitsMinibatchesAcrossLearners(): boolean {
    return false;
  }

  /** Which env, its config and the modules that register it. */
  environment(update: EnvironmentUpdate): this {
    return this.assign('environment', update);
  }

  /** How samples are collected. */
  rollouts(update: RolloutsUpdate): this {
    return this.assign('rollouts', update);
  }

  /** Learning settings and the model. */
  training(update: TrainingUpdate<T>): this {
    return this.assign('training', update);
  }

  /** Evaluation of the (by default greedy) policy. */
  evaluation(update: Partial<EvaluationSettings>): this {
    return this.assign('evaluation', update);
  }

  /** Whether actions are sampled while training. */
  exploration(update: Partial<ExplorationSettings>): this {
    return this.assign('exploration', update);
  }

  /** The modules that act: user module kinds and their modules (RLlib `rl_module()`). */
  rlModule(update: Partial<RLModuleSettings>): this {
    return this.assign('rlModule', update);
  }

  /** Worker failure handling. */
  faultTolerance(update: Partial<FaultToleranceSettings>): this {
    return this.assign('faultTolerance', update);
  }

  /** Reading and writing logged experience: offline `input`, JSON `output` (RLlib `offline_data()`). */
  offlineData(update: Partial<OfflineDataSettings>): this {
    return this.assign('offlineData', update);
  }

  /**
   * The columns (LoomRL names, e.g. `'nextObs'`) every row of offline input must have for this
   * algorithm; the readers report a line without one by file and line number. Algorithms add theirs.
   */
  requiredInputColumns(): string[] {
    return ['obs', 'actions', 'rewards'];
  }

  /** Result smoothing. */
  reporting(update: Partial<ReportingSettings>): this {
    return this.assign('reporting', update);
  }

  /** Seed and log level. */
  debugging(update: Partial<DebuggingSettings>): this {
    return this.assign('debugging', update);
  }

  /** The TensorFlow.js backend of the learner. */
  framework(update: Partial<FrameworkSettings>): this {
    return this.assign('framework', update);
  }

  /** How many threads learn: `numLearnerWorkers` (RLlib `resources()`). */
  resources(update: Partial<ResourcesSettings>): this {
    return this.assign('resources', update);
  }

  private unknownKey(key: string, group: SettingsGroup | undefined): ConfigError {
    const fields = this.fields();
    const spec = fields[key];
    if (spec !== undefined && group !== undefined) {
      return new ConfigError(`${group}() has no option "${key}": it belongs to ${spec.group}({ ${key} }).`);
    }
    const names = Object.keys(fields).filter((name) => group === undefined || fields[name]?.group === group);
    const where = group === undefined ? `${this.algorithm} config` : `${group}()`;
    return new ConfigError(`Unknown ${where} option "${key}".${didYouMean(key, Object.keys(fields))} Valid options: ${names.join(', ')}.`);
  }

  private assign(group: SettingsGroup, update: object): this {
    if (this.frozen) {
      throw new ConfigError(
        `Cannot call ${group}() on a frozen ${this.algorithm} config (the one an Algorithm runs with); call copy() first.`,
      );
    }
    if (!isPlainObject(update)) throw new ConfigError(`${group}() takes an object of options, got ${describeValue(update)}`);
    for (const [key, raw] of Object.entries(update)) {
      if (raw === undefined) continue;
      if (this.fields()[key]?.group !== group) throw this.unknownKey(key, group);
      this.setField(group, key, raw);
    }
    return this;
  }

  private setField(group: SettingsGroup, key: string, given: unknown): void {
    const spec = this.fields()[key] as FieldSpec;
    const raw = spec.normalize === undefined ? given : spec.normalize(given);
    const expected = spec.check(raw);
    if (expected !== undefined) throw new ConfigError(`${group}({ ${key} }): expected ${expected}, got ${describeValue(raw)}.`);
    const settings = this.settingsData as unknown as Record<string, unknown>;
    const current = settings[key];
    if (key === 'model') {
      this.checkNested('training({ model })', raw as Record<string, unknown>, this.modelFields());
      settings[key] = { ...(current as object), ...structuredClone(raw as object) };
    } else if (key === 'evaluationConfig') {
      this.checkNested('evaluation({ evaluationConfig })', raw as Record<string, unknown>, EVALUATION_OVERRIDE_FIELDS);
      settings[key] = deepMerge(current as Record<string, unknown>, raw as Record<string, unknown>);
    } else if (spec.merge !== undefined) {
      settings[key] = spec.merge(current, structuredClone(raw));
    } else if (key === 'envConfig' || key === 'explorationConfig' || key === 'moduleConfig' || key === 'inputConfig') {
      settings[key] = deepMerge(current as Record<string, unknown>, raw as Record<string, unknown>);
    } else {
      settings[key] = structuredClone(raw);
    }
  }

  private checkNested(
    where: string,
    value: Record<string, unknown>,
    fields: Readonly<Record<string, (v: unknown) => string | undefined>>,
  ): void {
    for (const [key, inner] of Object.entries(value)) {
      const check = fields[key];
      if (check === undefined) {
        throw new ConfigError(
          `Unknown ${where} option "${key}".${didYouMean(key, Object.keys(fields))} Valid options: ${Object.keys(fields).join(', ')}.`,
        );
      }
      if (inner === undefined) continue;
      const expected = check(inner);
      if (expected !== undefined) throw new ConfigError(`${where}: ${key} expected ${expected}, got ${describeValue(inner)}.`);
    }
  }

  /** Sets fields from a flat record (as `toJSON()` writes), routing each key to its group. */
  update(values: Readonly<Record<string, unknown>>): this {
    for (const [key, value] of Object.entries(values)) {
      if (key === 'algorithm') continue;
      const spec = this.fields()[key];
      if (spec === undefined) throw this.unknownKey(key, undefined);
      this.assign(spec.group, { [key]: value });
    }
    return this;
  }

  /**
   * Checks the settings together (single values were checked when set) and throws a
   * `ConfigError` naming the option. Algorithms extend it.
   */
  validate(): void {
    const s = this.settingsData;
    validateOfflineData(s);
    validateRemote(s);
    if (s.numLearnerWorkers > 1 && !this.splitsMinibatchesAcrossLearners()) {
      throw new ConfigError(
        `resources({ numLearnerWorkers: ${s.numLearnerWorkers} }): ${this.algorithm} learns on one thread; only PPO on framework({ backend: 'loomrl' }) or 'auto' splits its minibatches across learner threads. Use 0 or 1.`,
      );
    }
    if (s.evaluationParallelToTraining && s.evaluationNumWorkers === 0) {
      throw new ConfigError('evaluation({ evaluationParallelToTraining: true }) needs evaluationNumWorkers >= 1.');
    }
    if (s.evaluationDuration === 'auto' && !s.evaluationParallelToTraining) {
      throw new ConfigError('evaluation({ evaluationDuration: "auto" }) is only valid with evaluationParallelToTraining: true.');
    }
    if (s.lrSchedule !== null) {
      for (let i = 1; i < s.lrSchedule.length; i++) {
        if ((s.lrSchedule[i]?.[0] ?? 0) < (s.lrSchedule[i - 1]?.[0] ?? 0)) {
          throw new ConfigError(`training({ lrSchedule }): timesteps must not decrease, got ${describeValue(s.lrSchedule)}.`);
        }
      }
    }
  }

  /** Steps per env per sample call for worker `workerIndex` (see `rolloutFragmentLengthFor`). */
  getRolloutFragmentLength(workerIndex = 0): number {
    return rolloutFragmentLengthFor(this.settingsForWorkers(), workerIndex);
  }

  /** The settings workers get: `rolloutFragmentLength: 'auto'` resolved the algorithm's way when it has one. */
  settingsForWorkers(): AllSettings<T> {
    const auto = this.settingsData.rolloutFragmentLength === 'auto' ? this.autoRolloutFragmentLength() : null;
    return auto === null ? this.settingsData : { ...this.settingsData, rolloutFragmentLength: auto };
  }

  /** The config evaluation workers run with: this one plus `evaluationConfig` overrides. */
  getEvaluationConfig(): this {
    const evalConfig = this.copy();
    const overrides = this.settingsData.evaluationConfig;
    const target = evalConfig.settingsData as AllSettings<T>;
    if (overrides.explore !== undefined) target.explore = overrides.explore;
    if (overrides.numEnvsPerWorker !== undefined) target.numEnvsPerWorker = overrides.numEnvsPerWorker;
    if (overrides.envConfig !== undefined) target.envConfig = deepMerge(target.envConfig, overrides.envConfig);
    if (overrides.input !== undefined) target.input = structuredClone(overrides.input) as AllSettings['input'];
    if (overrides.inputConfig !== undefined) target.inputConfig = structuredClone(overrides.inputConfig);
    // Evaluation rounds are measured, not logged (RLlib would write them too).
    target.output = null;
    target.numRolloutWorkers = this.settingsData.evaluationNumWorkers;
    target.batchMode = this.settingsData.evaluationDurationUnit === 'episodes' ? 'complete_episodes' : 'truncate_episodes';
    return evalConfig;
  }

  /** A deep, unfrozen copy of the same class. */
  copy(): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    copy.settingsData = structuredClone(this.settingsData);
    copy.frozen = false;
    return copy;
  }

  /** Makes every later setter throw; the Algorithm freezes the copy it runs with. */
  freeze(): this {
    this.frozen = true;
    deepFreeze(this.settingsData);
    return this;
  }

  /** Whether `freeze()` was called. */
  get isFrozen(): boolean {
    return this.frozen;
  }

  /**
   * Validates this config and builds its algorithm synchronously; worker threads start in the
   * background and their errors surface from the first `train()`.
   */
  build(): Algorithm {
    this.validate();
    return lookupAlgorithm(this.algorithm).createAlgorithm(this.copy().freeze());
  }

  /** `{ algorithm, ...settings }`: plain data that `fromJSON` turns back into an equal config. */
  toJSON(): AlgorithmConfigJSON {
    return { algorithm: this.algorithm, ...(structuredClone(this.settingsData) as unknown as Record<string, unknown>) };
  }
}
