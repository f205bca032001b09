import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `loomrl` bin. */
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Runs the real `loomrl` bin in a child process; resolves with its exit code and output. */
export function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
