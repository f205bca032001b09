/** Our column names whose RLlib name is not just the snake_case form. */
const TO_RLLIB: Readonly<Record<string, string>> = { nextObs: 'new_obs' };
const FROM_RLLIB: Readonly<Record<string, string>> = { new_obs: 'nextObs' };

/** RLlib's JSON key of one of our columns: `nextObs` → `new_obs`, `actionLogp` → `action_logp`, `epsId` → `eps_id`. */
export function rllibColumnName(name: string): string {
  return TO_RLLIB[name] ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Our name of an RLlib JSON key: `new_obs` → `nextObs`, `action_prob` → `actionProb`. */
export function loomColumnName(key: string): string {
  return FROM_RLLIB[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Columns written as one JSON array per row (`[[…], […]]`) whatever their width. */
export const ROW_VECTOR_COLUMNS: ReadonlySet<string> = new Set(['obs', 'nextObs', 'actionDistInputs', 'qValues']);
