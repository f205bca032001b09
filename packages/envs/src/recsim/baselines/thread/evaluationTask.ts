/**
 * The evaluation thread's task, which piscina loads by path from `dist`. It has no static imports
 * on purpose: piscina first tries `require()` on this file, and under tsx that require hook would
 * give the thread a CommonJS copy of our modules beside the ES-module copy that users' policy
 * modules import — two policy registries, so a registered policy would be "unknown". The work is
 * done by `evaluationRunner.js`, imported as an ES module into the same graph as the user's modules.
 */

import type { EvaluationChunk } from '../evaluate.js';
import type { ThreadReply } from '../threadReply.js';

let runner: Promise<typeof import('./evaluationRunner.js')> | undefined;

/** Runs one chunk in this thread; failures come back as data (`ThreadReply`), so their class survives. */
export default async function runChunk(chunk: EvaluationChunk): Promise<ThreadReply> {
  runner ??= import('./evaluationRunner.js');
  return (await runner).runChunkInThread(chunk);
}
