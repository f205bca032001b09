#!/usr/bin/env node
/**
 * `loomrl`: train (flags or a tuned-example file), evaluate, report, serve and export-tfjs.
 * Every error is one line on stderr; exit codes: 0 success, 1 a failed trial or command,
 * 2 a usage error.
 */
import { LoomError } from '@loomrl/core';
import { CommanderError } from 'commander';
import { processIo } from './io.js';
import { createProgram } from './program.js';

async function main(): Promise<number> {
  const program = createProgram(processIo);
  try {
    await program.parseAsync(process.argv);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const e = error as Error;
    const usage = e.name === 'UsageError';
    const code = error instanceof LoomError ? ` [${error.code}]` : '';
    processIo.err(`loomrl: error: ${e.message.split('\n')[0]}${code}\n`);
    if (process.env.LOOMRL_DEBUG) processIo.err(`${e.stack}\n`);
    return usage ? 2 : 1;
  }
}

// Commands stop their own trials, servers and threads; exit now so no stray handle keeps the process alive.
process.exit(await main());
