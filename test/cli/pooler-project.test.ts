// The issue 16 check on a project the pooler rules were not tuned on: a monorepo with a drizzle config
// (apps/web) and a Prisma schema (packages/db) that migrate through Supavisor's port 6543, a knexfile on
// the session pooler (services/ledger), a deploy workflow on a GitHub-hosted runner that connects to the
// direct Supabase host, and a nightly job on a self-hosted runner. Written for this test; its first run
// missed the drizzle config's `dbCredentials: { url }` shorthand, now a fixture of its own.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { removeWorkspaces, runCli, runJson, workspace } from './helpers';

const PASSWORD = 'UNSEEN-s3cret-Pa55';
const REF = 'kqzvbnrtyuioplkjhgfd';

const FILES: Record<string, string> = {
  '.github/workflows/ci.yml': `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-22.04
    services:
      postgres:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
  deploy-db:
    needs: test
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    env:
      SUPABASE_DB_URL: "postgresql://postgres:\${{ secrets.SUPABASE_DB_PASSWORD }}@db.kqzvbnrtyuioplkjhgfd.supabase.co:5432/postgres"
    steps:
      - uses: actions/checkout@v4
      - uses: supabase/setup-cli@v1
        with:
          version: latest
      - run: supabase db push --db-url "$SUPABASE_DB_URL"
`,
  '.github/workflows/nightly.yml': `name: Nightly maintenance
on:
  schedule:
    - cron: "30 2 * * *"
jobs:
  vacuum:
    runs-on: [self-hosted, db-maintenance]
    timeout-minutes: 60
    steps:
      - name: Vacuum
        env:
          PGURL: postgresql://postgres:\${{ secrets.SUPABASE_DB_PASSWORD }}@db.kqzvbnrtyuioplkjhgfd.supabase.co:5432/postgres
        run: psql "$PGURL" -c 'VACUUM (ANALYZE)'
`,
  'apps/web/.env.local': `POSTGRES_URL="postgres://postgres.kqzvbnrtyuioplkjhgfd:UNSEEN-s3cret-Pa55@aws-0-us-west-1.pooler.supabase.com:6543/postgres?sslmode=require"
`,
  'apps/web/drizzle.config.mjs': `/** @type { import("drizzle-kit").Config } */
const url = process.env.POSTGRES_URL;

export default {
  schema: './src/db/schema.ts',
  out: './supabase/migrations',
  dialect: 'postgresql',
  dbCredentials: { url },
  strict: true,
};
`,
  'apps/web/package.json': `{ "name": "@acme/web", "dependencies": { "next": "15.0.0", "drizzle-orm": "0.44.0", "postgres": "3.4.5" }, "devDependencies": { "drizzle-kit": "0.31.0" } }
`,
  'package.json': `{ "name": "acme", "private": true, "workspaces": ["apps/*", "packages/*", "services/*"] }
`,
  'packages/db/package.json': `{ "name": "@acme/db", "dependencies": { "@prisma/client": "5.22.0" }, "devDependencies": { "prisma": "5.22.0" } }
`,
  'packages/db/prisma/schema.prisma': `// Shared schema
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["fullTextSearch"]
}

datasource db {
  provider          = "postgresql"
  url               = "postgresql://postgres.kqzvbnrtyuioplkjhgfd:UNSEEN-s3cret-Pa55@aws-0-us-west-1.pooler.supabase.com:6543/postgres"
  shadowDatabaseUrl = env("SHADOW_DATABASE_URL")
}

model Account {
  id    String @id @default(cuid())
  email String @unique
}
`,
  'services/ledger/.env': `LEDGER_DATABASE_URL=postgres://postgres.kqzvbnrtyuioplkjhgfd:UNSEEN-s3cret-Pa55@aws-0-us-west-1.pooler.supabase.com:5432/postgres
`,
  'services/ledger/knexfile.ts': `import type { Knex } from 'knex';
import 'dotenv/config';

const config: { [env: string]: Knex.Config } = {
  production: {
    client: 'postgresql',
    connection: {
      connectionString: process.env.LEDGER_DATABASE_URL,
      ssl: { rejectUnauthorized: false },
    },
    migrations: { directory: './db/migrations', tableName: 'knex_migrations' },
  },
};

export default config;
`,
  'services/ledger/package.json': `{ "name": "@acme/ledger", "dependencies": { "knex": "3.1.0", "pg": "8.13.0" } }
`,
};

suite('cli: pooler rules on an unseen project (issue 16 done-when)', () => {
  suiteTeardown(removeWorkspaces);

  test('reports the drizzle config, the Prisma schema and the hosted workflow; not the knexfile or the self-hosted nightly job', () => {
    const root = workspace(FILES);
    const { report } = runJson(['--fail-on', 'never', '.'], root);
    const found = report.findings.map((f) => `${f.path} ${f.ruleId}`).sort();
    assert.deepEqual(found, [
      '.github/workflows/ci.yml ci-database-unreachable-ipv6',
      'apps/web/drizzle.config.mjs migrations-through-transaction-pooler',
      'packages/db/prisma/schema.prisma migrations-through-transaction-pooler',
    ]);
  });

  test('no value from a .env file or a connection string appears in any report', () => {
    const root = workspace(FILES);
    for (const format of ['text', 'json', 'sarif']) {
      const run = runCli(['--format', format, '--fail-on', 'never', '.'], { cwd: root });
      assert.equal(run.code, 0, run.stderr);
      for (const secret of [PASSWORD, REF, 'pooler.supabase.com:6543']) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${format} report shows ${secret}`);
      }
    }
  });
});
