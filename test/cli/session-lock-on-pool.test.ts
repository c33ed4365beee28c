// Issue 4's acceptance scenario, end to end through the bundled CLI: a TypeScript service
// initaudit has never seen, with a drizzle job, pg, Prisma and knex lock/unlock pairs on pooled
// handles, and the safe look-alikes (pool.connect() client, sql.reserve(), max: 1, an xact lock
// inside db.transaction).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { parse } from '../../server/src/core/parser';
import { findingLines, read, removeWorkspaces, runCli, runJson, snapshot, workspace } from './helpers';

const DRIZZLE_JOB =
  "import { sql } from 'drizzle-orm';\n" +
  "import { getDb } from '../db/client';\n" +
  "import { sendReminders } from '../mail/reminders';\n" +
  '\n' +
  'const REMINDER_LOCK = 880_001;\n' +
  '\n' +
  'export async function remindersJob(): Promise<void> {\n' +
  '  const db = getDb();\n' +
  '  const res = await db.execute(sql`SELECT pg_try_advisory_lock(${REMINDER_LOCK}) AS locked`);\n' +
  '  if (!res.rows[0]?.locked) return;\n' +
  '  try {\n' +
  '    await sendReminders(db);\n' +
  '  } finally {\n' +
  '    await db.execute(sql`SELECT pg_advisory_unlock(${REMINDER_LOCK})`);\n' +
  '  }\n' +
  '}\n';

const SERVICE: Record<string, string> = {
  'package.json': '{ "name": "billing-service", "private": true }\n',
  'src/db/client.ts':
    "import { drizzle } from 'drizzle-orm/node-postgres';\n" +
    "import { Pool } from 'pg';\n" +
    '\n' +
    'const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });\n' +
    '\n' +
    'export function getDb() {\n' +
    '  return drizzle(pool);\n' +
    '}\n',
  'src/jobs/reminders.ts': DRIZZLE_JOB,
  'src/jobs/invoices.ts':
    "import { Pool } from 'pg';\n" +
    '\n' +
    'const pool = new Pool();\n' +
    '\n' +
    'export async function closeInvoices() {\n' +
    "  await pool.query('select pg_advisory_lock(7)');\n" +
    '  try {\n' +
    "    await pool.query('update invoices set closed = true');\n" +
    '  } finally {\n' +
    "    await pool.query('select pg_advisory_unlock(7)');\n" +
    '  }\n' +
    '}\n' +
    '\n' +
    'export async function pinned() {\n' +
    '  const client = await pool.connect();\n' +
    '  try {\n' +
    "    await client.query('select pg_advisory_lock(8)');\n" +
    "    await client.query('select pg_advisory_unlock(8)');\n" +
    '  } finally {\n' +
    '    client.release();\n' +
    '  }\n' +
    '}\n',
  'src/jobs/digest.ts':
    "import { PrismaClient } from '@prisma/client';\n" +
    '\n' +
    'const prisma = new PrismaClient();\n' +
    '\n' +
    'export async function digest(): Promise<void> {\n' +
    '  await prisma.$executeRaw`SELECT pg_advisory_lock(${9})`;\n' +
    '  try {\n' +
    '    await prisma.digest.create({ data: {} });\n' +
    '  } finally {\n' +
    '    await prisma.$executeRaw`SELECT pg_advisory_unlock(${9})`;\n' +
    '  }\n' +
    '}\n',
  'src/jobs/search.js':
    "const knex = require('knex');\n" +
    '\n' +
    "const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });\n" +
    '\n' +
    'async function reindex() {\n' +
    "  await db.raw('select pg_advisory_lock(?)', [10]);\n" +
    '  try {\n' +
    "    await db.raw('refresh materialized view search_docs');\n" +
    '  } finally {\n' +
    "    await db.raw('select pg_advisory_unlock(?)', [10]);\n" +
    '  }\n' +
    '}\n' +
    '\n' +
    'module.exports = { reindex };\n',
  'src/jobs/safe.ts':
    "import postgres from 'postgres';\n" +
    "import { sql as q } from 'drizzle-orm';\n" +
    "import { getDb } from '../db/client';\n" +
    '\n' +
    'const sql = postgres(process.env.DATABASE_URL!);\n' +
    'const single = postgres(process.env.DATABASE_URL!, { max: 1 });\n' +
    '\n' +
    'export async function reserved() {\n' +
    '  const r = await sql.reserve();\n' +
    '  try {\n' +
    '    await r`select pg_advisory_lock(${11})`;\n' +
    '    await r`select pg_advisory_unlock(${11})`;\n' +
    '  } finally {\n' +
    '    r.release();\n' +
    '  }\n' +
    '}\n' +
    '\n' +
    'export async function maxOne() {\n' +
    '  await single`select pg_advisory_lock(${12})`;\n' +
    '  await single`select pg_advisory_unlock(${12})`;\n' +
    '}\n' +
    '\n' +
    'export async function xact() {\n' +
    '  await getDb().transaction(async (tx) => {\n' +
    '    await tx.execute(q`select pg_advisory_xact_lock(${13})`);\n' +
    '  });\n' +
    '}\n',
};

const LOCK_RULES = ['session-lock-on-pool', 'xact-lock-outside-transaction', 'session-lock-in-transaction', 'session-lock-behind-pooler'];

suite('cli: session-lock-on-pool', () => {
  suiteTeardown(removeWorkspaces);

  test('fires on the drizzle, pg, Prisma and knex pairs and nowhere else', () => {
    const root = workspace(SERVICE);
    const { report, run } = runJson([], root);
    const found = report.findings.filter((f) => LOCK_RULES.includes(f.ruleId));
    assert.deepEqual(
      found.map((f) => `${f.ruleId} ${f.path}:${f.line} ${f.severity}`).sort(),
      [
        'session-lock-on-pool src/jobs/digest.ts:6 error',
        'session-lock-on-pool src/jobs/invoices.ts:6 error',
        'session-lock-on-pool src/jobs/reminders.ts:9 error',
        'session-lock-on-pool src/jobs/search.js:6 error',
      ],
      run.stdout,
    );
    const drizzle = found.find((f) => f.path === 'src/jobs/reminders.ts')!;
    assert.equal(drizzle.message, 'Lock "pg_try_advisory_lock" runs on a pooled connection through "db.execute", so its unlock may run on another connection and leave the lock held.');
    assert.match(drizzle.details ?? '', /`db\.execute` on a drizzle db over a pg Pool/);
    assert.match(drizzle.details ?? '', /returns false \(with a WARNING in the server log\)/);
    assert.match(drizzle.details ?? '', /locked out until the holder connection closes/);
    assert.match(drizzle.details ?? '', /mutual exclusion fails/);
    assert.deepEqual(drizzle.related.map((r) => `${r.path}:${r.line}`), ['src/jobs/reminders.ts:14']);
    assert.deepEqual(drizzle.fixes.map((f) => [f.title, f.isPreferred]), [['Use a transaction-scoped lock', true]]);
    const pg = found.find((f) => f.path === 'src/jobs/invoices.ts')!;
    assert.deepEqual(pg.fixes.map((f) => [f.title, f.isPreferred]), [['Hold the lock on a dedicated connection', true]]);
    assert.equal(run.code, 1);
  });

  test('--fix turns the drizzle job into the transaction-scoped shape; a second audit is clean and --fix is idempotent', async () => {
    const root = workspace(SERVICE);
    const run = runCli(['--fix'], { cwd: root });
    assert.equal(
      read(root, 'src/jobs/reminders.ts'),
      "import { sql } from 'drizzle-orm';\n" +
        "import { getDb } from '../db/client';\n" +
        "import { sendReminders } from '../mail/reminders';\n" +
        '\n' +
        'const REMINDER_LOCK = 880_001;\n' +
        '\n' +
        'export async function remindersJob(): Promise<void> {\n' +
        '  const db = getDb();\n' +
        '  await db.transaction(async (tx) => {\n' +
        '    const res = await tx.execute(sql`SELECT pg_try_advisory_xact_lock(${REMINDER_LOCK}) AS locked`);\n' +
        '    if (!res.rows[0]?.locked) return;\n' +
        '    await sendReminders(tx);\n' +
        '  });\n' +
        '}\n',
    );
    assert.deepEqual(findingLines(run.stdout), [], run.stdout);
    assert.equal(run.code, 0);
    const again = runJson([], root);
    assert.deepEqual(again.report.findings, [], 'a second audit is clean');
    const after = snapshot(root);
    runCli(['--fix'], { cwd: root });
    assert.deepEqual(snapshot(root), after, 'a second --fix changes nothing');
    for (const rel of ['src/jobs/reminders.ts', 'src/jobs/invoices.ts', 'src/jobs/digest.ts']) {
      const tree = await parse('typescript', read(root, rel));
      assert.ok(tree && !tree.rootNode.hasError, `${rel} parses`);
      tree?.delete();
    }
  });

  test('pooler findings name the variable and file, never the connection string', () => {
    const secretUrl = 'postgres://svc:s3cr3t-pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres';
    const root = workspace({
      'package.json': '{ "name": "lock-holder" }\n',
      '.env.local': `LOCK_DATABASE_URL=${secretUrl}\n`,
      'src/leader.ts':
        "import { Client } from 'pg';\n" +
        '\n' +
        'export async function lead() {\n' +
        '  const client = new Client({ connectionString: process.env.LOCK_DATABASE_URL });\n' +
        '  await client.connect();\n' +
        "  await client.query('select pg_advisory_lock(1)');\n" +
        '}\n',
    });
    const { report } = runJson(['--fail-on', 'never'], root);
    const found = report.findings.filter((f) => f.ruleId === 'session-lock-behind-pooler');
    assert.equal(found.length, 1);
    assert.match(found[0]!.details ?? '', /LOCK_DATABASE_URL in \.env\.local/);
    for (const format of ['text', 'json', 'sarif']) {
      const out = runCli(['--format', format, '--fail-on', 'never'], { cwd: root }).stdout;
      assert.ok(!out.includes('s3cr3t') && !out.includes('aws-0-eu-west-1'), `${format} output leaks the URL`);
    }
  });
});
