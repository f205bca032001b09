import { writeReport } from '../report/writeReport.js';
import type { CliIo } from './io.js';

/** Runs `loomrl report EXPERIMENT_DIR [--out DIR]`. */
export async function report(experimentDir: string, flags: { out?: string }, io: CliIo): Promise<number> {
  const files = await writeReport(experimentDir, flags.out ?? experimentDir);
  io.out(`Report: ${files.html}\nSVG charts: ${files.svgs.join(', ')}\n`);
  return 0;
}
