import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { DEVISE, findingLines, LOCKBOX, RAILS_APP, REDIS, removeWorkspaces, RULE, runCli, runJson, STRIPE, workspace } from './helpers';

suite('cli: text output', () => {
  suiteTeardown(removeWorkspaces);

  test('one grep-friendly line per finding, then a summary', () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/initializers/stripe.rb': STRIPE,
      'config/initializers/devise.rb': DEVISE,
      'config/initializers/redis.rb': REDIS,
    });
    const run = runCli([], { cwd: root });
    const findings = findingLines(run.stdout);
    assert.equal(findings.length, 2, run.stdout);
    const [lockbox, stripe] = findings;
    assert.deepEqual([lockbox?.path, lockbox?.line, lockbox?.severity, lockbox?.ruleId], ['config/initializers/lockbox.rb', 1, 'error', RULE]);
    assert.match(lockbox?.message ?? '', /Lockbox\.master_key/);
    assert.deepEqual([stripe?.path, stripe?.line, stripe?.severity, stripe?.ruleId], ['config/initializers/stripe.rb', 1, 'warning', RULE]);
    assert.match(stripe?.message ?? '', /Stripe\.api_key/);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, 'findings plus one summary line');
    assert.match(lines[2] ?? '', /^2 problems \(1 error, 1 warning\) in 2 files\b/);
  });

  test('no findings: a single "No problems found" line', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/devise.rb': DEVISE, 'config/initializers/redis.rb': REDIS });
    const run = runCli([], { cwd: root });
    assert.equal(run.stdout, 'No problems found in 4 files\n');
    assert.equal(run.code, 0);
  });

  test('paths are relative to the cwd, not to the audited folder', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const run = runCli([basename(root)], { cwd: dirname(root) });
    assert.equal(findingLines(run.stdout)[0]?.path, `${basename(root)}/config/initializers/lockbox.rb`);
  });

  test('columns are UTF-16 code units + 1, after an emoji or CJK text earlier on the line', () => {
    // "ab", "🎉" and "注释" are all two UTF-16 code units (but 2/1/2 code points and 2/4/6 bytes),
    // so the finding's column is the same in all three files only if columns count UTF-16 units.
    const columns = ['ab', '🎉', '注释'].map((prefix) => {
      const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': `x = "${prefix}"; ${LOCKBOX}` });
      const text = findingLines(runCli([], { cwd: root }).stdout);
      const json = runJson([], root).report.findings;
      assert.equal(text.length, 1, `one finding with prefix ${prefix}`);
      assert.equal(text[0]?.line, 1);
      assert.equal(text[0]?.column, json[0]?.column, 'text and JSON agree');
      assert.equal(json[0]?.column, (json[0]?.range.start.character ?? NaN) + 1, 'JSON column is the 0-based range + 1');
      return text[0]?.column;
    });
    assert.equal(columns[1], columns[0], 'emoji counts as two code units');
    assert.equal(columns[2], columns[0], 'CJK counts one code unit per character');
    assert.ok((columns[0] ?? 0) > 'x = "ab"; '.length, 'the finding lies after the prefix statement');
  });

  test('lines are 1-based and unaffected by an emoji/CJK comment on an earlier line', () => {
    const plain = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const commented = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': `# 🔑 鍵の設定 — café\n${LOCKBOX}` });
    const [a] = findingLines(runCli([], { cwd: plain }).stdout);
    const [b] = findingLines(runCli([], { cwd: commented }).stdout);
    assert.equal(a?.line, 1);
    assert.equal(b?.line, 2);
    assert.equal(b?.column, a?.column);
  });

  test('never prints a secret value', () => {
    const secret = 'sk_live_51HxTOPSECRETvalue0123456789';
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/stripe.rb': `Stripe.api_key = Rails.env.test? ? nil : "${secret}"\n`,
      'config/initializers/lockbox.rb': LOCKBOX,
    });
    for (const format of ['text', 'json', 'sarif']) {
      const run = runCli(['--format', format], { cwd: root });
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${format} output leaks the secret`);
    }
  });
});
