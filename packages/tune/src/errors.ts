import { LoomError } from '@loomrl/core';

/** A bad experiment input (search space, stop criteria, scheduler, resume, YAML file) or a failed experiment (Ray's `TuneError`). */
export class TuneError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TUNE_INVALID', message, options);
  }
}

/** A policy export that cannot be written (unsupported model or non-finite weights). */
export class ExportError extends LoomError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EXPORT_INVALID', message, options);
  }
}
