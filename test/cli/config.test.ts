// The CLI with .initaudit.yml, suppression comments and baselines: the same policy the editor
// applies (core/policy.ts), seen from a terminal and CI.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCKBOX, RAILS_APP, read, removeWorkspaces, RULE, runCli, runJson, STRIPE, workspace, writeFiles } from './helpers';

const LOCKBOX_RB = 'config/initializers/lockbox.rb';
const STRIPE_RB = 'config/initializers/stripe.rb';

suite('cli: configuration, suppressions, baseline', () => {
  suiteTeardown(removeWorkspaces);

  test('an invalid .initaudit.yml exits 2 with file:line:col and the problem, before auditing anything', () => {
    const root = workspace({ ...RAILS_APP, [LOCKBOX_RB]: LOCKBOX, '.initaudit.yml': 'rules:\n  env-forked-nil-secret: loud\nexcludes: [legacy]\n' });
    const run = runCli([], { cwd: root });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines[0], 'initaudit: .initaudit.yml:2:26 "loud" is not a level for env-forked-nil-secret: use off, on, error, warning, info or hint.');
    assert.equal(lines[1], 'initaudit: .initaudit.yml:3:1 Unknown setting "excludes": did you mean "exclude"?');
  });

  test('--config names another file; a missing one is an error, a missing default is not', () => {
    const root = workspace({ ...RAILS_APP, [LOCKBOX_RB]: LOCKBOX, 'ci/initaudit.yml': 'rules:\n  env-forked-nil-secret: off\n' });
    assert.equal(runCli([], { cwd: root }).code, 1);
    const off = runCli(['--config', 'ci/initaudit.yml'], { cwd: root });
    assert.equal(off.code, 0, off.stderr);
    const missing = runCli(['-c', 'nope.yml'], { cwd: root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yml:1:1 cannot read the config file: no such file/);
  });

  test('rules off and severity overrides, exclude globs and maxFileSize', () => {
    const root = workspace({
      ...RAILS_APP,
      [LOCKBOX_RB]: LOCKBOX,
      [STRIPE_RB]: STRIPE,
      'legacy/config/initializers/lockbox.rb': LOCKBOX,
      '.initaudit.yml': 'rules:\n  env-forked-nil-secret: info\nexclude:\n  - legacy\n',
    });
    const { report, run } = runJson([], root);
    assert.equal(run.code, 0, 'info findings do not fail the default --fail-on error');
    assert.deepEqual(report.findings.map((f) => `${f.path} ${f.severity}`).sort(), [`${LOCKBOX_RB} info`, `${STRIPE_RB} info`]);

    assert.ok(Buffer.byteLength(STRIPE) > Buffer.byteLength(LOCKBOX));
    writeFiles(root, { '.initaudit.yml': `maxFileSize: ${Buffer.byteLength(LOCKBOX)}\nexclude: ['legacy/**']\n` });
    const small = runJson([], root).report;
    assert.deepEqual(small.findings.map((f) => f.path), [LOCKBOX_RB]);
    assert.ok(small.skipped.some((s) => s.path === STRIPE_RB && s.reason === 'too-large' && /maxFileSize/.test(s.detail)), JSON.stringify(small.skipped));
  });

  test('a disable comment silences a finding in reports and in --fix; an unused one is reported and --fix removes it', () => {
    const root = workspace({
      ...RAILS_APP,
      [LOCKBOX_RB]: `# initaudit:disable-next-line ${RULE} -- the key comes from CI\n${LOCKBOX}`,
      [STRIPE_RB]: `# initaudit:disable-next-line implicit-gem-key-lookup, ${RULE}\n${STRIPE}`,
      'config/initializers/plain.rb': `# initaudit:disable-file ${RULE}\nRails.application.config.x = 1\n`,
    });
    const { report, run } = runJson(['--fail-on', 'warning'], root);
    assert.equal(run.code, 1);
    assert.deepEqual(
      report.findings.map((f) => `${f.path}:${f.line} ${f.ruleId} ${f.severity}`),
      [`config/initializers/plain.rb:1 unused-suppression warning`, `${STRIPE_RB}:1 unused-suppression warning`],
    );
    const fixed = runCli(['--fix'], { cwd: root });
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    // The suppressed findings were not fixed; the stale directive (and rule id) are gone.
    assert.equal(read(root, LOCKBOX_RB), `# initaudit:disable-next-line ${RULE} -- the key comes from CI\n${LOCKBOX}`);
    assert.equal(read(root, STRIPE_RB), `# initaudit:disable-next-line ${RULE}\n${STRIPE}`);
    assert.equal(read(root, 'config/initializers/plain.rb'), 'Rails.application.config.x = 1\n');
    assert.equal(existsSync(join(root, 'config/environments/test.rb')), false);
  });

  test('--write-baseline records today\'s findings; with the baseline only new ones fail, even after lines move', () => {
    const root = workspace({ ...RAILS_APP, [LOCKBOX_RB]: LOCKBOX, [STRIPE_RB]: STRIPE });
    const write = runCli(['--write-baseline'], { cwd: root });
    assert.equal(write.code, 0, write.stderr);
    assert.match(write.stderr, /wrote 2 findings to the baseline \.initaudit-baseline\.json/);
    const file = JSON.parse(readFileSync(join(root, '.initaudit-baseline.json'), 'utf8')) as { version: number; findings: { path: string; ruleId: string }[] };
    assert.deepEqual(file.findings.map((f) => `${f.path} ${f.ruleId}`), [`${LOCKBOX_RB} ${RULE}`, `${STRIPE_RB} ${RULE}`]);
    assert.ok(!readFileSync(join(root, '.initaudit-baseline.json'), 'utf8').includes('? nil :'), 'no source text in the baseline, only fingerprints');

    // Lines inserted above do not make old findings new.
    writeFiles(root, { [LOCKBOX_RB]: `# Lockbox\n\n${LOCKBOX}` });
    assert.equal(runCli(['--baseline', '.initaudit-baseline.json'], { cwd: root }).code, 0);
    // Without the baseline everything is back; through the config key it is honoured too.
    assert.equal(runCli([], { cwd: root }).code, 1);
    writeFiles(root, { '.initaudit.yml': 'baseline: .initaudit-baseline.json\n' });
    assert.equal(runCli([], { cwd: root }).code, 0);
    // A new finding is reported.
    writeFiles(root, { 'config/initializers/other.rb': LOCKBOX.replace(/lockbox/gi, 'Other') });
    const { report } = runJson([], root);
    assert.deepEqual(report.findings.map((f) => f.path), ['config/initializers/other.rb']);

    const custom = runCli(['--write-baseline=ci/baseline.json'], { cwd: root });
    assert.equal(custom.code, 0, custom.stderr);
    assert.ok(existsSync(join(root, 'ci/baseline.json')));
    assert.equal(runCli(['--baseline', 'missing.json'], { cwd: root }).code, 2);
    assert.equal(runCli(['--baseline', 'x', '--write-baseline'], { cwd: root }).code, 2);
  });

  test('--help documents the new options and the directive syntax', () => {
    const help = runCli(['--help'], { cwd: workspace({}) }).stdout;
    for (const s of ['--config', '--baseline', '--write-baseline', '# initaudit:disable-next-line', '// initaudit-disable-next-line']) assert.ok(help.includes(s), s);
  });
});
