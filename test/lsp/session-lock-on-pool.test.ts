// session-lock-on-pool in the editor: the handle comes from another module, the finding points at
// the unlock as a related location, and the quick fix rewrites the open buffer into the safe shape.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { LspServer, makeWorkspace, removeWorkspace } from './client';

const RULE = 'session-lock-on-pool';
const JOB =
  "import { sql } from 'drizzle-orm';\n" +
  "import { db } from './db';\n" +
  '\n' +
  'export async function purge(): Promise<void> {\n' +
  '  await db.execute(sql`select pg_advisory_lock(${1})`);\n' +
  '  try {\n' +
  '    await db.execute(sql`delete from carts`);\n' +
  '  } finally {\n' +
  '    await db.execute(sql`select pg_advisory_unlock(${1})`);\n' +
  '  }\n' +
  '}\n';
const APP = {
  'package.json': '{ "name": "shop", "dependencies": { "drizzle-orm": "^0.45.0", "pg": "^8.13.0" } }\n',
  'src/db.ts': "import { drizzle } from 'drizzle-orm/node-postgres';\nimport { Pool } from 'pg';\n\nexport const db = drizzle(new Pool());\n",
  'src/job.ts': JOB,
};

const ofRule = (ds: Diagnostic[]) => ds.filter((d) => d.code === RULE);

suite('lsp: session-lock-on-pool', () => {
  let root: string;
  let server: LspServer;

  setup(async () => {
    root = makeWorkspace(APP);
    server = LspServer.start('stdio');
    await server.initialize(root);
  });

  teardown(async () => {
    await server.dispose();
    removeWorkspace(root);
  });

  test('reports the lock on its function name with the unlock as related information; both fixes are offered and the preferred one clears it', async () => {
    const job = await server.open(join(root, 'src/job.ts'), 'typescript', JOB);
    const [diagnostic] = ofRule(await server.waitForDiagnostics(job.uri, job.version));
    assert.ok(diagnostic, 'the lock is reported');
    assert.equal(diagnostic.severity, 1);
    // The squiggle is the lock function's name in the SQL, not the whole await expression.
    const name = (line: number, fn: string) => ({ start: { line, character: JOB.split('\n')[line]!.indexOf(fn) }, end: { line, character: JOB.split('\n')[line]!.indexOf(fn) + fn.length } });
    assert.deepEqual(diagnostic.range, name(4, 'pg_advisory_lock'));
    assert.deepEqual(diagnostic.relatedInformation?.map((r) => r.location.range), [name(8, 'pg_advisory_unlock')]);
    const actions = (await server.codeActions(job, diagnostic.range, [diagnostic])) ?? [];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Use a transaction-scoped lock') && titles.includes('Hold the lock on a dedicated connection'), `both fixes among: ${titles.join(', ')}`);
    const fix = actions.find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Use a transaction-scoped lock');
    assert.ok(fix?.edit);
    const mark = server.diagnostics.length;
    await server.applyEdit(fix.edit);
    assert.deepEqual(ofRule((await server.nextDiagnostics(job.uri, mark)).diagnostics), []);
  });
});
