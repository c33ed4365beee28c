import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LOCKBOX, RAILS_APP, REDIS, removeWorkspaces, RULE, runCli, runJson, STRIPE, workspace } from './helpers';

const VERSION = (JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;

suite('cli: JSON output', () => {
  suiteTeardown(removeWorkspaces);

  test('has version, root, findings, skipped and summary', () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': `# 🔑\n${LOCKBOX}`,
      'config/initializers/stripe.rb': STRIPE,
      'config/initializers/redis.rb': REDIS,
    });
    const { report, run } = runJson([], root);
    assert.equal(run.code, 1);
    assert.equal(report.version, VERSION);
    assert.equal(report.root, root);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.errors, []);
    assert.equal(report.findings.length, 2);

    const lockbox = report.findings.find((f) => f.path === 'config/initializers/lockbox.rb');
    assert.ok(lockbox, 'paths are relative to the root, with forward slashes');
    assert.equal(lockbox.ruleId, RULE);
    assert.equal(lockbox.severity, 'error');
    assert.match(lockbox.message, /Lockbox\.master_key/);
    assert.equal(lockbox.range.start.line, 1, 'range is 0-based');
    assert.equal(lockbox.line, 2, 'line is 1-based');
    assert.equal(lockbox.column, lockbox.range.start.character + 1);
    assert.ok(Array.isArray(lockbox.related));
    const preferred = lockbox.fixes.filter((f) => f.isPreferred);
    assert.equal(preferred.length, 1, 'one preferred fix');
    assert.equal(typeof preferred[0]?.title, 'string');

    const stripe = report.findings.find((f) => f.path === 'config/initializers/stripe.rb');
    assert.equal(stripe?.severity, 'warning');
    assert.match(stripe?.message ?? '', /Stripe\.api_key/);

    assert.equal(report.summary.files, 5);
    assert.equal(report.summary.problems, 2);
    assert.equal(report.summary.errors, 1);
    assert.equal(report.summary.warnings, 1);
    assert.equal(report.fixed, undefined, 'fix fields only with --fix');
  });

  test('is the only thing on stdout and parses even with no findings', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/redis.rb': REDIS });
    const run = runCli(['--format=json'], { cwd: root });
    const report = JSON.parse(run.stdout) as { findings: unknown[] };
    assert.deepEqual(report.findings, []);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
  });
});
