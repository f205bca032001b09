/** Every subject, stream and bucket name of one experiment, derived from its name. */
export interface ExperimentNames {
  /** The experiment name (`rollouts({ remote: { name } })`, `loomrl-worker --name`). */
  readonly name: string;
  /** Workers ask to join here; the learner answers. */
  readonly join: string;
  /** Workers' heartbeats (request/reply: the learner says whether it still knows the worker). */
  readonly heartbeat: string;
  /** The control subject of one worker process (request/reply). */
  readonly control: (workerId: string) => string;
  /** Where one worker process publishes its sample batches (a subject of `stream`). */
  readonly samples: (workerId: string) => string;
  /** The JetStream work-queue stream holding sample batches. */
  readonly stream: string;
  /** Its subjects. */
  readonly streamSubjects: string;
  /** The durable pull consumer the learner reads batches with. */
  readonly consumer: string;
  /** KV bucket holding the newest module state (or a pointer into `objectStore`). */
  readonly stateBucket: string;
  /** Object Store bucket for module state above the server's `max_payload`. */
  readonly objectStore: string;
}

/** Every learner answers here with the experiment it serves (so a worker can list them). */
export const LEARNERS_SUBJECT = 'loomrl.learners';

/** The names of experiment `name`; `stream` overrides the stream's (`null` = `LOOMRL_<name>`). */
export function experimentNames(name: string, stream: string | null = null): ExperimentNames {
  const prefix = `loomrl.${name}`;
  return {
    name,
    join: `${prefix}.join`,
    heartbeat: `${prefix}.hb`,
    control: (workerId) => `${prefix}.w.${workerId}`,
    samples: (workerId) => `${prefix}.samples.${workerId}`,
    stream: stream ?? `LOOMRL_${name}`,
    streamSubjects: `${prefix}.samples.>`,
    consumer: 'learner',
    stateBucket: `loomrl-${name}-state`,
    objectStore: `loomrl-${name}-weights`,
  };
}
