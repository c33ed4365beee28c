// The advisory-lock SQL scanner, and the shapes for which the session-lock-on-pool fixes must
// stay away (the fixture trees in test/fixtures/fixes/ cover the shapes they rewrite).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { analyzeFile } from '../../server/src/core/engine';
import { ruleById } from '../../server/src/core/rules';
import { advisoryCalls, isSelfContainedTransaction, xactVariant } from '../../server/src/core/sql/advisory-locks';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

suite('advisory-lock SQL', () => {
  test('reads scope and action of every function, case-insensitively', () => {
    const calls = advisoryCalls(
      'SELECT PG_TRY_ADVISORY_LOCK(1), pg_advisory_lock_shared(1, 2), pg_advisory_xact_lock (3), pg_try_advisory_xact_lock_shared(4), pg_advisory_unlock(1), pg_advisory_unlock_all()',
    );
    assert.deepEqual(
      calls.map((c) => `${c.name} ${c.scope} ${c.action}${c.tryLock ? ' try' : ''}${c.shared ? ' shared' : ''}`),
      [
        'PG_TRY_ADVISORY_LOCK session lock try',
        'pg_advisory_lock_shared session lock shared',
        'pg_advisory_xact_lock xact lock',
        'pg_try_advisory_xact_lock_shared xact lock try shared',
        'pg_advisory_unlock session unlock',
        'pg_advisory_unlock_all session unlock-all',
      ],
    );
  });

  test('ignores names that are not calls or not PostgreSQL functions', () => {
    assert.deepEqual(advisoryCalls('pg_advisory_lock is documented; select my_pg_advisory_lock(1); select pg_advisory_xact_unlock(1)'), []);
  });

  test('a BEGIN … COMMIT string is self-contained; a lone statement is not', () => {
    assert.ok(isSelfContainedTransaction('BEGIN; SELECT pg_advisory_xact_lock(1); UPDATE t SET x = 1; COMMIT;'));
    assert.ok(!isSelfContainedTransaction('SELECT pg_advisory_xact_lock(1)'));
    assert.ok(!isSelfContainedTransaction('BEGIN; SELECT pg_advisory_lock(1);'));
  });

  test('xact variants keep the spelling', () => {
    assert.equal(xactVariant('pg_try_advisory_lock'), 'pg_try_advisory_xact_lock');
    assert.equal(xactVariant('PG_ADVISORY_LOCK_SHARED'), 'PG_ADVISORY_XACT_LOCK_SHARED');
    assert.equal(xactVariant('pg_advisory_unlock'), undefined);
  });
});

const HEADER = "import { sql } from 'drizzle-orm';\nimport { drizzle } from 'drizzle-orm/node-postgres';\nimport { Pool } from 'pg';\n\nconst db = drizzle(new Pool());\nconst other = drizzle(new Pool());\n\n";

async function fixesFor(body: string): Promise<string[]> {
  const path = '/virtual/src/job.ts';
  const ws = new FileSystemWorkspace('/virtual');
  const text = HEADER + body;
  ws.overlay.set(path, text);
  const result = await analyzeFile({ path, text }, ws, { rules: [ruleById('session-lock-on-pool')!] });
  assert.deepEqual(result.errors, []);
  const lock = result.findings.filter((f) => f.message.startsWith('Lock "pg_advisory_lock" '));
  assert.equal(lock.length, 1, 'the lock is reported');
  return lock[0]!.fixes.map((f) => f.title);
}

suite('session-lock-on-pool: no fix where the rewrite is not certain', () => {
  test('the certain shape gets the fix (control)', async () => {
    assert.deepEqual(
      await fixesFor('export async function job() {\n  await db.execute(sql`select pg_advisory_lock(1)`);\n  try {\n    await work();\n  } finally {\n    await db.execute(sql`select pg_advisory_unlock(1)`);\n  }\n}\n'),
      ['Use a transaction-scoped lock'],
    );
  });

  test('code after the try would move out of the lock: no transaction rewrite', async () => {
    assert.deepEqual(
      await fixesFor('export async function job() {\n  await db.execute(sql`select pg_advisory_lock(1)`);\n  try {\n    await work();\n  } finally {\n    await db.execute(sql`select pg_advisory_unlock(1)`);\n  }\n  await after();\n}\n'),
      [],
    );
  });

  test('a catch clause', async () => {
    assert.deepEqual(
      await fixesFor('export async function job() {\n  await db.execute(sql`select pg_advisory_lock(1)`);\n  try {\n    await work();\n  } catch (e) {\n    log(e);\n  } finally {\n    await db.execute(sql`select pg_advisory_unlock(1)`);\n  }\n}\n'),
      [],
    );
  });

  test('the unlock on another handle (reported on its own)', async () => {
    assert.deepEqual(
      await fixesFor('export async function job() {\n  await db.execute(sql`select pg_advisory_lock(1)`);\n  try {\n    await work();\n  } finally {\n    await other.execute(sql`select pg_advisory_unlock(1)`);\n  }\n}\n'),
      [],
    );
  });

  test('no unlock in finally', async () => {
    assert.deepEqual(await fixesFor('export async function job() {\n  await db.execute(sql`select pg_advisory_lock(1)`);\n  await work();\n  await db.execute(sql`select pg_advisory_unlock(1)`);\n}\n'), []);
  });
});
