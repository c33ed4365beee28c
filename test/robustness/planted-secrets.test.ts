// Secrets written into the audited files never come back out: not in messages, related
// information, JSON, SARIF or text reports, nor in the language server's diagnostics and hovers.
// Each planted value is unique, so finding it anywhere in an output is a leak.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Hover } from 'vscode-languageserver';
import { removeWorkspaces, runCli, workspace } from '../cli/helpers';
import { LspServer } from '../lsp/client';

const PLANTED = ['PLANTED0lockbox0f3a9c', 'sk_live_PLANTED1stripe77', 'PLANTED2sentry0dsn', 'PLANTED3ts0api0key', 'PLANTED4yml0password'];

const FILES: Record<string, string> = {
  // Chamber: the app moved its secrets out of credentials, so the credentials reads are reported too.
  Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\ngem "stripe"\ngem "chamber"\n',
  'config/application.rb': 'require_relative "boot"\nmodule Shop\n  class Application < Rails::Application\n  end\nend\n',
  'config/initializers/lockbox.rb': `Lockbox.master_key = Rails.env.test? ? nil : "${PLANTED[0]}"\n`,
  'config/initializers/stripe.rb': `Stripe.api_key = Rails.env.production? ? ENV.fetch("STRIPE_SECRET_KEY", "${PLANTED[1]}") : nil\n`,
  'config/initializers/sentry.rb': `unless Rails.env.test?\n  config.x.sentry_api_key = Rails.application.credentials.sentry_key || "${PLANTED[2]}"\nend\n`,
  'src/config.ts': `export const apiKey = process.env.NODE_ENV === "test" ? undefined : "${PLANTED[3]}";\n`,
  'config/database.yml': `production:\n  password: <%= Rails.application.credentials.db_password || "${PLANTED[4]}" %>\n`,
};

/**
 * Values the pooler, CI and budget rules judge by variable name: a password and a project ref in `.env`
 * URLs, and a literal URL in a workflow. The rules report on these lines, so any echo would show.
 */
const ENV_PLANTED = 'PLANTED5env0password';
const POOLER_FILES: Record<string, string> = {
  'package.json': '{ "name": "pooled", "private": true, "dependencies": { "pg": "8.13.0" } }\n',
  '.env': `DATABASE_URL=postgresql://postgres.planted5ref:${ENV_PLANTED}@aws-0-eu-west-1.pooler.supabase.com:6543/postgres\nDB_PORT=6543\n`,
  'drizzle.config.ts': "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', dbCredentials: { url: process.env.DATABASE_URL! } });\n",
  'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
  'knexfile.js': "module.exports = { production: { client: 'pg', connection: { host: 'h', port: process.env.DB_PORT } } };\n",
  'src/jobs.ts': "import { Pool } from 'pg';\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\nexport const run = () => pool.query('SET statement_timeout = 0');\n",
  'config/database.yml': 'production:\n  adapter: postgresql\n  url: <%= ENV["DATABASE_URL"] %>\n',
  '.github/workflows/migrate.yml': `jobs:\n  migrate:\n    runs-on: ubuntu-latest\n    steps:\n      - run: psql "postgresql://postgres:${ENV_PLANTED}@db.planted5ref0abcdefghij.supabase.co:5432/postgres"\n`,
};

function assertNoSecret(output: string, where: string): void {
  for (const secret of PLANTED) assert.ok(!output.includes(secret), `${where} contains the planted value ${secret}`);
  // Not even a fragment of one: the distinctive part of each value.
  assert.ok(!/PLANTED\d/i.test(output), `${where} contains part of a planted value`);
  assert.ok(!output.includes('pooler.supabase.com:6543') && !output.includes('db.planted'), `${where} contains a host or URL read from a file`);
}

suite('robustness: planted secrets never appear in any output', () => {
  suiteTeardown(removeWorkspaces);

  test('text, JSON and SARIF reports', () => {
    const root = workspace(FILES);
    let findings = 0;
    for (const format of ['text', 'json', 'sarif']) {
      const run = runCli(['--format', format, '.'], { cwd: root });
      assert.ok(run.code === 0 || run.code === 1, `${format}: exit ${run.code}\n${run.stderr}`);
      assertNoSecret(run.stdout, `${format} report`);
      assertNoSecret(run.stderr, `${format} stderr`);
      if (format === 'json') findings = (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length;
    }
    // Otherwise the test would pass on an audit that reports nothing.
    assert.ok(findings >= 3, `expected findings on the planted files, got ${findings}`);
  });

  test('language server diagnostics and hovers', async () => {
    const root = workspace(FILES);
    const server = LspServer.start('stdio');
    try {
      await server.initialize(root);
      let diagnosed = 0;
      for (const [rel, languageId] of [
        ['config/initializers/lockbox.rb', 'ruby'],
        ['config/initializers/stripe.rb', 'ruby'],
        ['config/initializers/sentry.rb', 'ruby'],
        ['src/config.ts', 'typescript'],
      ] as const) {
        const doc = await server.open(join(root, rel), languageId, FILES[rel] ?? '');
        const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
        assertNoSecret(JSON.stringify(diagnostics), `${rel} diagnostics`);
        for (const d of diagnostics) {
          diagnosed++;
          const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: doc.uri }, position: d.range.start });
          assertNoSecret(JSON.stringify(hover), `${rel} hover`);
        }
      }
      assert.ok(diagnosed >= 2, `expected diagnostics on the planted files, got ${diagnosed}`);
      assertNoSecret(JSON.stringify(server.logs), 'server log');
      assertNoSecret(server.stderr.join(''), 'server stderr');
    } finally {
      await server.dispose();
    }
  });

  test('.env values behind the pooler and CI rules: text, JSON, SARIF, diagnostics and hovers', async () => {
    const root = workspace(POOLER_FILES);
    let rules = new Set<string>();
    for (const format of ['text', 'json', 'sarif']) {
      const run = runCli(['--format', format, '.'], { cwd: root });
      assert.ok(run.code === 0 || run.code === 1, `${format}: exit ${run.code}\n${run.stderr}`);
      assertNoSecret(run.stdout, `${format} report`);
      assertNoSecret(run.stderr, `${format} stderr`);
      if (format === 'json') rules = new Set((JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    }
    // Each rule that judges those values reported, so each had the chance to leak them.
    for (const id of ['migrations-through-transaction-pooler', 'session-setting-through-transaction-pooler', 'ci-database-unreachable-ipv6']) assert.ok(rules.has(id), `${id} reported on the planted files`);
    const server = LspServer.start('stdio');
    try {
      await server.initialize(root);
      let hovered = 0;
      for (const [rel, languageId] of [
        ['drizzle.config.ts', 'typescript'],
        ['prisma/schema.prisma', 'prisma'],
        ['knexfile.js', 'javascript'],
        ['src/jobs.ts', 'typescript'],
        ['config/database.yml', 'yaml'],
        ['.github/workflows/migrate.yml', 'yaml'],
      ] as const) {
        const doc = await server.open(join(root, rel), languageId, POOLER_FILES[rel] ?? '');
        const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
        assertNoSecret(JSON.stringify(diagnostics), `${rel} diagnostics`);
        for (const d of diagnostics) {
          const hover = await server.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: doc.uri }, position: d.range.start });
          assertNoSecret(JSON.stringify(hover), `${rel} hover`);
          if (hover) hovered++;
        }
      }
      assert.ok(hovered >= 6, `expected hovers on the planted files, got ${hovered}`);
      assertNoSecret(JSON.stringify(server.logs), 'server log');
    } finally {
      await server.dispose();
    }
  });
});
