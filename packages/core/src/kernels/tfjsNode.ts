/**
 * Whether `@tensorflow/tfjs-node` resolves from here (where `selectBackend` imports it), without
 * loading it: `framework({ backend: 'auto' })` only then tries TensorFlow.js's native backend.
 */
export function tfjsNodeResolvable(): boolean {
  try {
    import.meta.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}
