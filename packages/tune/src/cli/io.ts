/** Where CLI commands print: stdout and stderr by default, injectable. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
};

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses a JSON flag strictly; the error names the flag. */
export function parseJsonFlag(flag: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${flag}: expected a JSON object, got ${text}`);
  return value as Record<string, unknown>;
}

/** Parses an integer flag; the error names the flag. */
export function intFlag(flag: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value)) throw new UsageError(`${flag}: expected an integer, got "${text}"`);
    return value;
  };
}
