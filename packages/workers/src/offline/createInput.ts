import type { AllSettings, Rng, Space } from '@loomrl/core';
import { resolveInputFiles } from './inputFiles.js';
import type { InputReader } from './inputReader.js';
import { JsonReader } from './jsonReader.js';
import { MixedInput, ShuffledInput } from './mixedInputs.js';

/** What building a worker's input needs besides the settings. */
export interface InputContext {
  readonly workerIndex: number;
  readonly numWorkers: number;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  /** Our names of the columns every read line must have. */
  readonly requiredColumns: readonly string[];
  /** The env sampler, for `'sampler'` (alone or in a mix); `null` when the worker has no env. */
  readonly sampler: InputReader | null;
  /** Streams: one for file choice, one for the shuffle window, one for the mix. */
  readonly rng: (purpose: string) => Rng;
}

/** Rows per read: `trainBatchSize`, split across the remote workers (RLlib's reader batch size). */
function readerBatchSize(s: Pick<AllSettings, 'trainBatchSize' | 'numRolloutWorkers'>): number {
  return s.numRolloutWorkers > 0 ? Math.max(1, Math.ceil(s.trainBatchSize / s.numRolloutWorkers)) : s.trainBatchSize;
}

/**
 * A JSON reader over `paths` (a file, directory, glob or list) for this worker. Its file choices
 * come from the random stream `stream` of the worker's seed (not from the paths' text, so the same
 * seed reads the same file order wherever the data lives).
 */
export function createJsonReader(
  paths: string | readonly string[],
  s: AllSettings,
  context: InputContext,
  where: string,
  stream = 'files',
): JsonReader {
  const required = [...new Set(['obs', 'actions', 'rewards', ...context.requiredColumns])];
  return new JsonReader({
    files: resolveInputFiles(paths, where),
    batchSize: readerBatchSize(s),
    workerIndex: context.workerIndex,
    numWorkers: context.numWorkers,
    rng: context.rng(stream),
    context: {
      observationSpace: context.observationSpace,
      actionSpace: context.actionSpace,
      requiredColumns: required,
      actionsInInputNormalized: s.actionsInInputNormalized,
      normalizeActions: s.normalizeActions,
      clipActions: s.clipActions,
    },
  });
}

/**
 * A worker's input for `offlineData({ input })` (RLlib's input dispatch): `'sampler'` → the env
 * sampler; `'dataset'` → the files of `inputConfig.paths`; a path, directory, glob or list →
 * a `JsonReader`; `{ source: probability }` → a `MixedInput` (`sampler` is the env). File readers
 * are wrapped in a `ShuffledInput` of `shuffleBufferSize`.
 */
export function createInput(s: AllSettings, context: InputContext): InputReader {
  const sampler = (): InputReader => {
    if (context.sampler === null) throw new Error('offlineData({ input: "sampler" }) needs an env on this worker.');
    return context.sampler;
  };
  const files = (paths: string | readonly string[], where: string, stream = 'files'): InputReader =>
    new ShuffledInput(createJsonReader(paths, s, context, where, stream), s.shuffleBufferSize, context.rng(`shuffle:${stream}`));
  const input = s.input;
  if (input === 'sampler') return sampler();
  if (input === 'dataset') return files(s.inputConfig.paths as string | string[], 'offlineData({ inputConfig: { paths } })');
  if (typeof input === 'string' || Array.isArray(input)) return files(input as string | string[], 'offlineData({ input })');
  const sources = Object.entries(input as Record<string, number>)
    .filter(([, probability]) => probability > 0)
    .map(([source, probability], i) => ({
      probability,
      reader:
        source === 'sampler'
          ? sampler()
          : files(source, `offlineData({ input: { ${JSON.stringify(source)}: ${probability} } })`, `files:${i}`),
    }));
  return new MixedInput(sources, context.rng('mix'));
}
