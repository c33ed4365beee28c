import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, LOCKBOX, RAILS_APP, removeWorkspaces, runCli, workspace, type JsonOutput } from './helpers';

suite('cli: --output', () => {
  suiteTeardown(removeWorkspaces);

  test('writes the report to the file, creating parent folders, and keeps stdout quiet', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const run = runCli(['--format', 'json', '--output', 'reports/ci/initaudit.json'], { cwd: root });
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, '');
    assert.equal(run.code, 1, 'the exit code still reflects the findings');
    const report = JSON.parse(readFileSync(join(root, 'reports/ci/initaudit.json'), 'utf8')) as JsonOutput;
    assert.equal(report.findings.length, 1);
  });

  test('works for text and SARIF too', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const text = runCli(['-o', 'out/report.txt'], { cwd: root });
    assert.equal(text.stdout, '');
    assert.equal(findingLines(readFileSync(join(root, 'out/report.txt'), 'utf8')).length, 1);
    const sarif = runCli(['--format', 'sarif', '--output', join(root, 'out/report.sarif')], { cwd: root });
    assert.equal(sarif.stdout, '');
    const log = JSON.parse(readFileSync(join(root, 'out/report.sarif'), 'utf8')) as { version: string };
    assert.equal(log.version, '2.1.0');
  });

  test('an output path that cannot be written is an internal error (exit 2)', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX, 'blocker': 'a file, not a folder' });
    const run = runCli(['--output', 'blocker/report.txt'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^initaudit: internal error: cannot write the report to blocker\/report\.txt/);
    assert.ok(!existsSync(join(root, 'blocker/report.txt')));
  });
});
