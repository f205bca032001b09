/**
 * Replay updates owed for `envSteps` newly sampled env steps, as RLlib's `training_intensity` asks:
 * `null` means one update per sample round; otherwise `trainingIntensity` replayed rows per sampled
 * step, i.e. `trainingIntensity × envSteps / trainBatchSize` updates, with the fraction carried in
 * `debt` to the next round (checkpointed by each algorithm so restored runs continue bit for bit).
 */
export function owedReplayUpdates(
  debt: number,
  envSteps: number,
  settings: { readonly trainingIntensity: number | null; readonly trainBatchSize: number },
): { readonly updates: number; readonly debt: number } {
  if (settings.trainingIntensity === null) return { updates: 1, debt };
  const owed = debt + (settings.trainingIntensity * envSteps) / settings.trainBatchSize;
  const updates = Math.floor(owed);
  return { updates, debt: owed - updates };
}
