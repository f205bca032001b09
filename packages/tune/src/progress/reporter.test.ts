import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../storage/experimentState.js';
import { ConsoleReporter, type ProgressSnapshot } from './reporter.js';

function trial(id: string, status: TrialRecord['status'], lastResult: Record<string, number> | null, lr: number): TrialRecord {
  return {
    trialId: id,
    trialName: `PPO_CartPole-v1_${id}`,
    dirName: id,
    status,
    config: { algorithm: 'PPO' },
    evaluatedParams: { lr },
    experimentTag: '0',
    cpus: 1,
    numFailures: 0,
    lastResult,
    checkpoints: [],
    error: null,
    stopReason: null,
    pid: status === 'RUNNING' ? 42 : null,
    startTime: null,
    endTime: null,
  };
}

const snapshot = (trials: TrialRecord[]): ProgressSnapshot => ({
  experimentName: 'exp',
  experimentPath: '/results/exp',
  startTime: 0,
  schedulerLine: 'Using FIFO scheduling algorithm.',
  cpusUsed: 1,
  cpusTotal: 2,
  metric: 'episodeRewardMean',
  mode: 'max',
  trials,
});

describe('ConsoleReporter', () => {
  const running = trial(
    'a_00000',
    'RUNNING',
    { trainingIteration: 3, timeTotalS: 1.23456, timestepsTotal: 3072, episodeRewardMean: 41.25 },
    0.001,
  );
  const pending = trial('a_00001', 'PENDING', null, 0.0001);

  it('prints one plain line per result and the final table when the output is not a TTY', () => {
    let out = '';
    const reporter = new ConsoleReporter({ out: { write: (t: string) => (out += t), isTTY: false }, clock: () => 37_400 });
    reporter.update(snapshot([running, pending]), { kind: 'status', trial: running });
    reporter.update(snapshot([running, pending]), { kind: 'result', trial: running, done: false });
    expect(out).toBe('Trial PPO_CartPole-v1_a_00000 reported iter=3,ts=3072,reward=41.25,time=1.2346 with parameters={"lr":0.001}.\n');
    out = '';
    reporter.finish(snapshot([running, pending]));
    expect(out.includes('\u001b[')).toBe(false);
    expect(out.split('\n').slice(0, 7)).toEqual([
      '== Status ==',
      'Current time: 1970-01-01 00:00:37 (running for 00:00:37.40)',
      'Using FIFO scheduling algorithm.',
      'Resources requested: 1/2 CPUs',
      'Current best trial: a_00000 with episodeRewardMean=41.25 and parameters={"lr":0.001}',
      'Result logdir: /results/exp',
      'Number of trials: 2 (1 RUNNING, 1 PENDING)',
    ]);
    expect(out).toContain('| Trial name              | status  | loc    | lr     | iter | total time (s) | ts   | reward |');
    expect(out).toContain('| PPO_CartPole-v1_a_00000 | RUNNING | pid=42 | 0.001  | 3    | 1.2346         | 3072 | 41.25  |');
  });

  it('redraws the status table in place on a TTY, at most every maxReportFrequencyS', () => {
    let out = '';
    let now = 0;
    const reporter = new ConsoleReporter({
      out: { write: (t: string) => (out += t), isTTY: true },
      clock: () => now,
      maxReportFrequencyS: 5,
    });
    reporter.update(snapshot([running, pending]), { kind: 'result', trial: running, done: false });
    const first = out;
    expect(first.startsWith('== Status ==')).toBe(true);
    now = 1000;
    reporter.update(snapshot([running, pending]), { kind: 'result', trial: running, done: false });
    expect(out).toBe(first);
    now = 6000;
    reporter.update(snapshot([running, pending]), { kind: 'result', trial: running, done: false });
    const lines = first.split('\n').length - 1;
    expect(out.slice(first.length).startsWith(`\u001b[${lines}A\u001b[0J== Status ==`)).toBe(true);
  });

  it('is silent at verbose 0', () => {
    let out = '';
    const reporter = new ConsoleReporter({ out: { write: (t: string) => (out += t) }, verbose: 0 });
    reporter.update(snapshot([running]), { kind: 'result', trial: running, done: true });
    reporter.finish(snapshot([running]));
    expect(out).toBe('');
  });
});
