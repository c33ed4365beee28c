// The advisory-lock findings against a real Postgres, the oracle no mock can replace. Each job in
// test/fixtures/pg-integration is in a shape session-lock-on-pool reports; here it runs as a user's
// service would, and so does each quick fix's output:
//  - the flagged job, while other requests borrow connections from the same pool: its unlock runs
//    on a connection that does not hold the lock (returns false, with a WARNING), and after the job
//    another connection still cannot take the lock;
//  - the same job with no other traffic: the pool hands the holder back, the unlock works, which is
//    why the message says "may" and claims no certainty;
//  - each fix's output: the lock excludes others during the job and is free after it.
// Needs INITAUDIT_TEST_PG (postgres://…); .ci/run starts a server and sets it. Without one, the
// suite is skipped with a message saying so.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { analyzeFile } from '../../server/src/core/engine';
import { applyEdits } from '../../server/src/core/text';
import type { Finding } from '../../server/src/core/types';
import { FileSystemWorkspace } from '../../server/src/core/workspace';
import { FIXTURES, repoRoot } from '../support/paths';

const URL = process.env.INITAUDIT_TEST_PG;
const JOBS = join(FIXTURES, 'pg-integration');
// Copies run from under build/, so `require('pg')` finds the repository's node_modules.
const RUN_DIR = join(repoRoot(), 'build', 'pg-integration');
const RULE = 'session-lock-on-pool';
const TRANSACTION = 'Use a transaction-scoped lock';
const DEDICATED = 'Hold the lock on a dedicated connection';
/** The fixes each shape gets: both wherever the library has both a transaction callback and a dedicated connection the fix can use. */
const OFFERED: Record<string, string[]> = {
  'drizzle-pg.cjs': [TRANSACTION, DEDICATED],
  'drizzle-postgres-js.cjs': [TRANSACTION],
  'knex.cjs': [TRANSACTION],
  'kysely.cjs': [TRANSACTION, DEDICATED],
  'pg-pool.cjs': [DEDICATED],
  'pg-promise.cjs': [TRANSACTION, DEDICATED],
  'postgres-js.cjs': [TRANSACTION, DEDICATED],
  'typeorm.cjs': [TRANSACTION, DEDICATED],
};

interface Job {
  job(work: () => Promise<void>): Promise<void>;
  checkout(): Promise<{ pid: number; release: () => Promise<void> }>;
  close(): Promise<void>;
  key: number;
}

let copies = 0;
function load(name: string, text: string): Job {
  const path = join(RUN_DIR, `${name.replace(/\.cjs$/, '')}-${++copies}.cjs`);
  writeFileSync(path, text);
  // The job is a CommonJS module written at run time: it can only be loaded by path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as Job;
}

async function outside<T>(run: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: URL });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/** Whether a connection outside the job's pool can take the lock right now (it lets go at once). */
function canTake(key: number): Promise<boolean> {
  return outside(async (c) => {
    const { rows } = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
    if (rows[0]!.ok) await c.query('SELECT pg_advisory_unlock($1)', [key]);
    return rows[0]!.ok;
  });
}

function holderPid(key: number): Promise<number | undefined> {
  return outside(async (c) => {
    const { rows } = await c.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [key]);
    return rows[0]?.pid;
  });
}

/** Unlocks the server warned about so far (pg_advisory_unlock returning false), from the log of the server scripts/ci/start-postgres.sh started; undefined without it. */
function unlockWarnings(): number | undefined {
  const path = join(process.env.INITAUDIT_PG_DIR ?? '/tmp/initaudit-pg', 'server.log');
  if (!existsSync(path)) return undefined;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.includes("you don't own a lock of type ExclusiveLock")).length;
}

/**
 * Other requests during the job: they borrow connections from the same pool, up to three, and the
 * one that got the lock holder (if it was idle in the pool) keeps it until the job has returned.
 */
async function runWithTraffic(j: Job): Promise<{ heldDuringJob: boolean; keepHolder: () => Promise<void> }> {
  let heldDuringJob = false;
  let kept: (() => Promise<void>) | undefined;
  await j.job(async () => {
    heldDuringJob = !(await canTake(j.key));
    const holder = await holderPid(j.key);
    const borrowed = [];
    for (let i = 0; i < 3 && !kept; i++) {
      const c = await j.checkout();
      if (c.pid === holder) kept = c.release;
      else borrowed.push(c);
    }
    for (const c of borrowed) await c.release();
  });
  return { heldDuringJob, keepHolder: kept ?? (async () => undefined) };
}

async function findings(name: string, text: string): Promise<Finding[]> {
  const result = await analyzeFile({ path: join(JOBS, name), text }, new FileSystemWorkspace(JOBS));
  return result.findings.filter((f) => f.ruleId === RULE);
}

suite('advisory locks on a real Postgres', function () {
  this.timeout(60_000);
  const names = readdirSync(JOBS).filter((n) => n.endsWith('.cjs')).sort();

  suiteSetup(async function () {
    const why = !URL ? 'INITAUDIT_TEST_PG is not set' : await outside(async () => undefined).then(() => undefined, (e: Error) => `cannot connect to INITAUDIT_TEST_PG (${e.message})`);
    if (why) {
      console.log(`    skipped: ${why}; .ci/run starts a Postgres (scripts/ci/start-postgres.sh) and sets it`);
      this.skip();
    }
    rmSync(RUN_DIR, { recursive: true, force: true });
    mkdirSync(RUN_DIR, { recursive: true });
    copyFileSync(join(JOBS, 'package.json'), join(RUN_DIR, 'package.json'));
  });

  for (const name of names) {
    suite(name, () => {
      const text = readFileSync(join(JOBS, name), 'utf8');

      test('is reported, with a message that says "may", and its defect shows when other requests use the pool', async () => {
        const [finding, ...more] = await findings(name, text);
        assert.ok(finding, `${name}: the lock is reported`);
        assert.deepEqual(more, []);
        assert.equal(finding.severity, 'error');
        // Which connection the unlock gets depends on the pool: the message must not say it will.
        assert.match(finding.message, /\bmay\b/);
        assert.doesNotMatch(finding.message, /\b(will|always|never|certainly)\b/i);

        const j = load(name, text);
        try {
          const warned = unlockWarnings();
          const { heldDuringJob, keepHolder } = await runWithTraffic(j);
          assert.ok(heldDuringJob, 'the lock is held during the job');
          await keepHolder();
          // The defect as a user sees it: the job is over, and the lock is still held.
          assert.equal(await canTake(j.key), false, 'after the job, another connection cannot take the lock');
          assert.ok(await holderPid(j.key), 'an idle pooled connection holds it');
          if (warned !== undefined) {
            await new Promise((r) => setTimeout(r, 200));
            assert.ok(unlockWarnings()! > warned, "the unlock ran on another connection and returned false (server WARNING \"you don't own a lock\")");
          }
        } finally {
          await j.close();
        }
        assert.equal(await canTake(j.key), true, 'closing the pool ended the holder session');
      });

      test('without other traffic the pool may hand the holder back, and the unlock then works', async () => {
        const j = load(name, text);
        try {
          await j.job(async () => undefined);
          // Why the message says "may": a quiet pool reuses the holder connection.
          assert.equal(await canTake(j.key), true, 'a quiet pool handed the holder back: the unlock released the lock');
          const [finding] = await findings(name, text);
          assert.ok(finding);
          assert.match(finding.message, /\bmay run on another connection\b/);
        } finally {
          await j.close();
        }
      });

      test('each quick fix releases the lock, and its output is not reported', async () => {
        const [finding] = await findings(name, text);
        assert.ok(finding);
        assert.deepEqual(finding.fixes.map((f) => f.title), OFFERED[name]);
        for (const fix of finding.fixes) {
          const own = fix.changes.find((c) => c.path === join(JOBS, name));
          assert.ok(own && own.kind === 'edit', `${fix.title} edits the job`);
          const fixed = applyEdits(text, own.edits);
          assert.deepEqual(await findings(name, fixed), [], `${fix.title}: the fixed job is not reported`);
          const j = load(name, fixed);
          try {
            const { heldDuringJob, keepHolder } = await runWithTraffic(j);
            await keepHolder();
            assert.ok(heldDuringJob, `${fix.title}: the lock excludes another connection during the job`);
            assert.equal(await canTake(j.key), true, `${fix.title}: after the job the lock is free`);
          } finally {
            await j.close();
          }
        }
      });
    });
  }
});
