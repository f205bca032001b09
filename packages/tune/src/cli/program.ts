import { Command, Option } from 'commander';
import { exportPolicy } from '../export/exportPolicy.js';
import { evaluateCheckpoint } from './evaluate.js';
import { type CliIo, intFlag } from './io.js';
import { report } from './report.js';
import { serve } from './serve.js';
import { train } from './train.js';
import { listTunedExamples } from './tunedFile.js';

/** The `loomrl` command tree (commander). Each action sets `process.exitCode`. */
export function createProgram(io: CliIo): Command {
  const program = new Command('loomrl')
    .description('LoomRL experiments, evaluation, reports, serving and export (RLlib/Tune-style).')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showSuggestionAfterError(false);

  const trainCommand = program
    .command('train')
    .description('Run an experiment: --run ALGO --env ENV [--config JSON] [--stop JSON], or -f tuned.yaml')
    .option('-r, --run <algorithm>', 'registered algorithm, e.g. PPO (alias --algo)')
    .addOption(new Option('-a, --algo <algorithm>', 'alias of --run').hideHelp())
    .option('-e, --env <id>', 'registered env id, e.g. CartPole-v1')
    .option('-c, --config <json>', 'config fields as JSON (camelCase or RLlib snake_case; search forms allowed)')
    .option('-s, --stop <json>', 'stop criteria as JSON, e.g. \'{"episode_reward_mean": 475}\'')
    .option('-f, --file <path>', 'a tuned-example YAML/JSON file (RLlib schema) or a shipped example name')
    .addOption(new Option('--config-file <path>', 'alias of -f').hideHelp())
    .option('-n, --name <name>', 'experiment name (dir under --storage-path)')
    .option('--storage-path <dir>', 'results root (default ~/loomrl_results)')
    .addOption(new Option('--local-dir <dir>', 'alias of --storage-path').hideHelp())
    .option('--num-samples <n>', 'repeats of the search space', intFlag('--num-samples'))
    .option('--checkpoint-freq <n>', 'checkpoint every n iterations', intFlag('--checkpoint-freq'))
    .option('--checkpoint-at-end', 'checkpoint when a trial ends')
    .option('--keep-checkpoints-num <n>', 'checkpoints kept per trial', intFlag('--keep-checkpoints-num'))
    .option('--checkpoint-score-attr <key>', 'result key ranking kept checkpoints (min- prefix: lower is better)')
    .option('--max-concurrent-trials <n>', 'trials at once', intFlag('--max-concurrent-trials'))
    .option('--max-failures <n>', 'retries per trial', intFlag('--max-failures'))
    .option('--scheduler <name>', 'fifo or asha')
    .option('--scheduler-config <json>', 'scheduler options as JSON, e.g. \'{"grace_period": 5}\'')
    .option('--metric <key>', 'metric for the best trial and the scheduler')
    .addOption(new Option('--mode <mode>', 'min or max').choices(['min', 'max']))
    .option('--resume [mode]', 'continue the named experiment (true, AUTO, +ERRORED, +RESTART_ERRORED)')
    .option('--seed <n>', 'config seed', intFlag('--seed'))
    .option('--module <specifier...>', 'modules every trial imports (your algorithms or envs)')
    .option('--inline', 'run trials in this process instead of child processes')
    .option('-v, --verbose', 'one line per result (-vv: more)', (_v, previous: number) => previous + 1, 1)
    .option('-q, --quiet', 'no progress output')
    .action(async (flags) => {
      process.exitCode = await train(
        {
          ...flags,
          run: flags.run ?? flags.algo,
          file: flags.file ?? flags.configFile,
          storagePath: flags.storagePath ?? flags.localDir,
        },
        io,
      );
    });
  trainCommand
    .command('file <path>')
    .description('alias of train -f <path>')
    .action(async (path: string) => {
      process.exitCode = await train({ ...trainCommand.opts(), file: path }, io);
    });

  program
    .command('evaluate <checkpoint>')
    .description('Roll out a checkpoint\'s policy: "Episode #i: reward: R" lines and a mean/min/max summary')
    .option('--episodes <n>', 'episodes (0 = no limit)', intFlag('--episodes'), 10)
    .option('--steps <n>', 'env steps (0 = no limit)', intFlag('--steps'), 0)
    .option('--explore', 'sample actions instead of the greedy ones')
    .option('--seed <n>', 'seed of the first episode (then +1 per episode)', intFlag('--seed'))
    .option('--out <file>', 'write episodes as JSON Lines')
    .option('--module <specifier...>', 'modules to import first (your algorithms or envs)')
    .action(async (checkpoint: string, flags) => {
      await evaluateCheckpoint(checkpoint, { ...flags, explore: flags.explore === true, modules: flags.module ?? [] }, io);
      process.exitCode = 0;
    });

  program
    .command('serve <checkpoint>')
    .description("Serve a checkpoint's policy over HTTP/JSON: POST /v1/actions, GET /healthz, GET /metrics")
    .option('--host <host>', 'bind address (a token is required off loopback)', '127.0.0.1')
    .option('--port <n>', 'port (0 = any free port)', intFlag('--port'), 9900)
    .option('--token-file <file>', 'file holding the bearer token (else LOOMRL_SERVE_TOKEN)')
    .option('--insecure-no-auth', 'allow a non-loopback bind without a token')
    .option('--max-batch-size <n>', 'observations computed together at most', intFlag('--max-batch-size'), 32)
    .option('--batch-wait-ms <n>', 'wait for more requests after the first of a batch', intFlag('--batch-wait-ms'), 2)
    .option('--body-limit-bytes <n>', 'largest request body', intFlag('--body-limit-bytes'), 2 ** 20)
    .option('--train', 'also train on the episodes clients drive (external env, PolicyClient)')
    .option('--env-slots <n>', 'with --train: env slots per rollout worker (numEnvsPerWorker)', intFlag('--env-slots'))
    .option('--checkpoint-dir <dir>', 'with --train: where to save checkpoints')
    .option('--checkpoint-freq <n>', 'with --train: save every n iterations (default 10)', intFlag('--checkpoint-freq'))
    .option('--module <specifier...>', 'modules to import first (your algorithms or envs)')
    .action(async (checkpoint: string, flags) => {
      process.exitCode = await serve(checkpoint, flags, io);
    });

  program
    .command('report <experimentDir>')
    .description('Write report.html (reward curves, evaluation, learner stats, trial comparison) and report-svg/*.svg')
    .option('--out <dir>', 'where to write (default: the experiment dir)')
    .action(async (experimentDir: string, flags) => {
      process.exitCode = await report(experimentDir, flags, io);
    });

  program
    .command('export-tfjs <checkpoint>')
    .description('Export the policy for the browser: model.json + weights.bin (tf.loadLayersModel) and policy.js')
    .requiredOption('--out <dir>', 'output directory')
    .option('--module <specifier...>', 'modules to import first (your algorithms or envs)')
    .action(async (checkpoint: string, flags) => {
      const files = await exportPolicy(checkpoint, flags.out, { format: 'tfjs-layers', modules: flags.module ?? [] });
      io.out(`Exported ${checkpoint}:\n  ${files.modelJson}\n  ${files.weights}\n  ${files.helper}\n`);
      process.exitCode = 0;
    });

  program
    .command('examples')
    .description('List the shipped tuned examples (run one with loomrl train -f <name>)')
    .action(() => {
      for (const [name, path] of listTunedExamples()) io.out(`${name}\t${path}\n`);
      process.exitCode = 0;
    });

  return program;
}
