import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@loomrl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecoGymLogregAgent } from './agents/logreg.js';
import { RecoGymOrganicUserEventCounterAgent } from './agents/organicUserCounter.js';
import { RecoGymPopularityAgent } from './agents/popularity.js';
import { RecoGymEnv } from './env.js';
import { generateLogsToFile, parseRecoGymLogs, readRecoGymLogs, writeRecoGymLogs } from './logFile.js';
import { generateLogs } from './logs.js';
import { replayRecoGymLogs, trainRecoGymAgentOffline } from './training.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recogym-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RecoGym logs', () => {
  it('closes every logged user with exactly one terminal zero-reward bandit row', () => {
    const rows = generateLogs(new RecoGymEnv({ randomSeed: 9 }), { numOfflineUsers: 40, numOrganicOfflineUsers: 5 });
    const users = [...new Set(rows.map((r) => r.u))];
    expect(users).toEqual(Array.from({ length: 45 }, (_, i) => i));
    for (const u of users.slice(0, 5)) expect(rows.filter((r) => r.u === u).every((r) => r.z === 'organic')).toBe(true);
    for (const u of users.slice(5)) {
      const userRows = rows.filter((r) => r.u === u);
      const last = userRows.at(-1);
      expect(last?.z).toBe('bandit');
      expect(last?.c).toBe(0);
      expect(userRows.filter((r) => r.z === 'bandit').every((r) => r.ps === 0.1 && r.a !== null && r.v === null)).toBe(true);
    }
  });

  it('uses a given logging agent for the run and detaches it afterwards', () => {
    const env = new RecoGymEnv({ randomSeed: 9, withPsAll: true });
    const rows = generateLogs(env, { numOfflineUsers: 20, agent: new RecoGymOrganicUserEventCounterAgent({ randomSeed: 1 }) });
    const bandit = rows.filter((r) => r.z === 'bandit');
    expect(bandit.some((r) => (r.ps ?? 0) > 0.1)).toBe(true);
    expect(env.loggingAgent).toBeNull();
    const uniform = generateLogs(env, { numOfflineUsers: 5 }).filter((r) => r.z === 'bandit');
    expect(uniform.every((r) => r.ps === 0.1 && r.psA?.length === 10)).toBe(true);
  });

  it('round-trips through a JSON-lines file', async () => {
    const rows = generateLogs(new RecoGymEnv({ randomSeed: 10 }), { numOfflineUsers: 25 });
    const path = join(dir, 'logs.jsonl');
    await writeRecoGymLogs(path, rows);
    expect((await readFile(path, 'utf8')).split('\n').length).toBe(rows.length + 1);
    expect(await readRecoGymLogs(path)).toEqual(rows);
    const direct = join(dir, 'direct.jsonl');
    expect(await generateLogsToFile(new RecoGymEnv({ randomSeed: 10 }), { numOfflineUsers: 25 }, direct)).toBe(rows.length);
    expect(await readRecoGymLogs(direct)).toEqual(rows);
  });

  it('names the line number of a malformed line', async () => {
    const path = join(dir, 'broken.jsonl');
    const good = '{"t":0,"u":0,"z":"organic","v":3,"a":null,"c":null,"ps":null,"psA":null}';
    await writeFile(path, `${good}\n${good}\n{"t":1,"u":0,"z":"bandit"\n`);
    await expect(readRecoGymLogs(path)).rejects.toThrow(ConfigError);
    await expect(readRecoGymLogs(path)).rejects.toThrow(/broken\.jsonl, line 3: not valid JSON/);
    expect(() => parseRecoGymLogs(`${good}\n\n{"t":1,"u":0,"z":"bandit","a":2,"c":7,"ps":0.1}`)).toThrow(
      /line 3: a bandit row needs a click "c" of 0 or 1, got 7/,
    );
    expect(() => parseRecoGymLogs('{"t":1,"u":-2,"z":"organic","v":1}')).toThrow(/line 1: "u" must be an integer >= 0, got -2/);
  });

  it('refuses a product id the world does not have, and names a missing log file', async () => {
    const path = join(dir, 'products.jsonl');
    await writeFile(path, '{"t":0,"u":0,"z":"organic","v":3}\n{"t":1,"u":0,"z":"bandit","a":12,"c":0,"ps":0.1}\n');
    expect((await readRecoGymLogs(path)).length).toBe(2);
    await expect(readRecoGymLogs(path, { numProducts: 10 })).rejects.toThrow(ConfigError);
    await expect(readRecoGymLogs(path, { numProducts: 10 })).rejects.toThrow(
      /products\.jsonl, line 2: "a" is product 12, but the world has 10 products \(ids 0 to 9\)/,
    );
    const missing = join(dir, 'nope.jsonl');
    await expect(readRecoGymLogs(missing)).rejects.toThrow(ConfigError);
    await expect(readRecoGymLogs(missing)).rejects.toThrow(/RecoGym log file ".*nope\.jsonl" does not exist/);
  });

  it('replays logs into an agent exactly as live offline training feeds it', () => {
    const live = new RecoGymLogregAgent({ numProducts: 10, maxIterations: 50 });
    trainRecoGymAgentOffline(new RecoGymEnv({ randomSeed: 12 }), live, { numOfflineUsers: 60, numOrganicOfflineUsers: 3 });
    const replayed = new RecoGymLogregAgent({ numProducts: 10, maxIterations: 50 });
    replayRecoGymLogs(generateLogs(new RecoGymEnv({ randomSeed: 12 }), { numOfflineUsers: 60, numOrganicOfflineUsers: 3 }), replayed);
    expect(replayed.numRows).toBe(live.numRows);
    live.fit();
    replayed.fit();
    expect(Array.from(replayed.model.params)).toEqual(Array.from(live.model.params));

    const popularLive = new RecoGymPopularityAgent();
    trainRecoGymAgentOffline(new RecoGymEnv({ randomSeed: 12 }), popularLive, { numOfflineUsers: 60, numOrganicOfflineUsers: 3 });
    const popularReplayed = new RecoGymPopularityAgent();
    replayRecoGymLogs(
      generateLogs(new RecoGymEnv({ randomSeed: 12 }), { numOfflineUsers: 60, numOrganicOfflineUsers: 3 }),
      popularReplayed,
    );
    expect(Array.from(popularReplayed.counts)).toEqual(Array.from(popularLive.counts));
  });

  it('rejects a negative user count', () => {
    expect(() => generateLogs(new RecoGymEnv(), { numOfflineUsers: -1 })).toThrow(/numOfflineUsers must be an integer >= 0, got -1/);
  });
});
