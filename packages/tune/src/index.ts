/**
 * @loomrl/tune — experiments in Ray Tune's way (`runExperiment`, search spaces, stop criteria,
 * ASHA, checkpoints, resume, Tune's layout on disk), the `loomrl` CLI, progress output and HTML
 * reports, policy serving over HTTP, and TensorFlow.js export for the browser. Built only on the
 * public `Algorithm` interface, so every registered algorithm gets it.
 */
export { ExportError, TuneError } from './errors.js';
export {
  type BestOptions,
  ExperimentAnalysis,
  type Scope,
  type TrialResult,
  type TrialRow,
} from './experiment/analysis.js';
export { type FlatResult, flattenResult, resultKeyFromRLlib } from './experiment/flatten.js';
export type { ResumeMode, RunExperimentOptions } from './experiment/options.js';
export { runExperiment } from './experiment/runExperiment.js';
export type { StopCriteria, Stopper } from './experiment/stop.js';
export { type ExportedFiles, type ExportOptions, exportPolicy } from './export/exportPolicy.js';
export {
  ConsoleReporter,
  type ConsoleReporterOptions,
  type ProgressEvent,
  type ProgressReporter,
  type ProgressSnapshot,
} from './progress/reporter.js';
export { type ReportFiles, writeReport } from './report/writeReport.js';
export { type ASHAOptions, ASHAScheduler } from './schedulers/asha.js';
export { FIFOScheduler, type SchedulerDecision, type TrialScheduler } from './schedulers/scheduler.js';
export {
  choice,
  Domain,
  gridSearch,
  loguniform,
  parseSearchSpace,
  randint,
  type SampleSpec,
  sampleFrom,
  uniform,
} from './search/space.js';
export { generateVariants, type Variant } from './search/variants.js';
export { PolicyClient, type PolicyClientOptions, PolicyServerError } from './serve/client.js';
export { type ExternalEnvServer, type ExternalEnvServerOptions, serveExternalEnv } from './serve/external/serveExternalEnv.js';
export { ServeError } from './serve/httpError.js';
export { type ServePolicyOptions, servePolicy } from './serve/servePolicy.js';
export type { PolicyServer, ServeOptions } from './serve/server.js';
export type { CheckpointRecord, ExperimentState, TrialRecord, TrialStatus } from './storage/experimentState.js';
export type { TrialExecutor, TrialHandle, TrialStart } from './trial/executor.js';
export { inlineExecutor } from './trial/inlineExecutor.js';
export { processExecutor } from './trial/processExecutor.js';
