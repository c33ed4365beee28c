import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../server/src/core/parser';
import { DEVISE, findingLines, LOCKBOX, RAILS_APP, read, REDIS, removeWorkspaces, RULE, runCli, runJson, snapshot, STRIPE, workspace } from './helpers';

const TEST_ENV = 'config/environments/test.rb';
const LOCKBOX_FIXED = 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key)\n';
const LOCKBOX_DUMMY = 'ENV["LOCKBOX_MASTER_KEY"] ||= "0" * 64';

async function assertParses(root: string, rel: string): Promise<void> {
  const tree = await parse('ruby', read(root, rel));
  assert.ok(tree, `${rel} parsed`);
  try {
    assert.equal(tree.rootNode.hasError, false, `${rel} has syntax errors:\n${read(root, rel)}`);
  } finally {
    tree.delete();
  }
}

suite('cli: --fix', () => {
  suiteTeardown(removeWorkspaces);

  test('rewrites the initializer and creates config/environments/test.rb with the dummy', async () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX, 'config/initializers/redis.rb': REDIS });
    const run = runCli(['--fix'], { cwd: root });
    assert.equal(read(root, 'config/initializers/lockbox.rb'), LOCKBOX_FIXED);
    assert.ok(read(root, TEST_ENV).includes(LOCKBOX_DUMMY), read(root, TEST_ENV));
    assert.equal(read(root, 'config/initializers/redis.rb'), REDIS, 'benign files untouched');
    assert.match(run.stderr, /^config\/initializers\/lockbox\.rb: fixed$/m);
    assert.match(run.stderr, /^config\/environments\/test\.rb: created$/m);
    assert.deepEqual(findingLines(run.stdout), [], 'the re-audit finds nothing');
    assert.equal(run.code, 0);
    await assertParses(root, 'config/initializers/lockbox.rb');
    await assertParses(root, TEST_ENV);
  });

  test('edits an existing test.rb, keeping its text', async () => {
    const existing = 'Rails.application.configure do\n  config.cache_classes = true\n  config.eager_load = false\nend\n';
    const root = workspace({ ...RAILS_APP, [TEST_ENV]: existing, 'config/initializers/lockbox.rb': LOCKBOX });
    const { report, run } = runJson(['--fix'], root);
    assert.equal(run.code, 0);
    const text = read(root, TEST_ENV);
    assert.ok(text.includes(LOCKBOX_DUMMY), text);
    for (const line of existing.split('\n')) assert.ok(text.includes(line), `kept: ${line}`);
    assert.deepEqual(
      report.fixed,
      [
        { path: TEST_ENV, created: false },
        { path: 'config/initializers/lockbox.rb', created: false },
      ],
    );
    assert.equal(report.appliedFixes?.length, 1);
    await assertParses(root, TEST_ENV);
  });

  test('a second --fix changes nothing, fixed files parse and no finding of the rule remains', async () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/initializers/blind_index.rb': 'BlindIndex.master_key = Rails.env.test? ? nil : Chamber.dig(:blind_index, :master_key)\n',
      'config/initializers/stripe.rb': STRIPE,
      'config/initializers/devise.rb': DEVISE,
      'config/initializers/redis.rb': REDIS,
    });
    const first = runJson(['--fix'], root);
    assert.ok((first.report.fixed?.length ?? 0) > 0, 'the first run fixed something');
    // Both initializers' dummies accumulate in the one shared test.rb.
    const testRb = read(root, TEST_ENV);
    assert.ok(testRb.includes('LOCKBOX_MASTER_KEY') && testRb.includes('BLIND_INDEX_MASTER_KEY'), testRb);

    const after = snapshot(root);
    const second = runJson(['--fix'], root);
    assert.deepEqual(second.report.fixed, []);
    assert.deepEqual(snapshot(root), after, 'the tree is byte-for-byte the same');

    for (const rel of [...after.keys()].map((p) => p.slice(root.length + 1)).filter((p) => p.endsWith('.rb') || p === 'Gemfile')) {
      await assertParses(root, rel);
    }
    const audit = runJson([], root);
    assert.deepEqual(
      audit.report.findings.filter((f) => f.ruleId === RULE),
      [],
    );
    assert.equal(audit.run.code, 0);
  });

  test('TypeScript config is fixed too, and fix notes are printed', () => {
    const config = "export const stripeKey = process.env.NODE_ENV === 'test' ? undefined : process.env.STRIPE_SECRET_KEY;\n";
    const root = workspace({ 'package.json': '{ "name": "demo" }\n', 'src/config.ts': config });
    const before = findingLines(runCli(['--fail-on', 'warning'], { cwd: root }).stdout);
    assert.deepEqual(
      before.map((f) => [f.path, f.line, f.ruleId]),
      [['src/config.ts', 1, RULE]],
    );
    const { report } = runJson(['--fix'], workspace({ 'package.json': '{ "name": "demo" }\n', 'src/config.ts': config }));
    const notes = (report.appliedFixes ?? []).flatMap((f) => (f.note ? [f.note] : []));
    assert.ok(notes.length > 0, 'the fix asks for a manual step (registering the test setup file)');
    const run = runCli(['--fix', '--fail-on', 'warning'], { cwd: root });
    assert.equal(run.code, 0, 'exit code reflects what remains after fixing');
    assert.deepEqual(findingLines(run.stdout), []);
    assert.match(run.stderr, /^src\/config\.ts:1:\d+ note: \S.*$/m);
    assert.notEqual(read(root, 'src/config.ts'), config);
  });

  test('keeps a BOM and CRLF line endings', () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': `\uFEFF# keys\r\n${LOCKBOX.replace('\n', '\r\n')}`,
      [TEST_ENV]: 'Rails.application.configure do\r\n  config.eager_load = false\r\nend\r\n',
    });
    runCli(['--fix'], { cwd: root });
    assert.equal(read(root, 'config/initializers/lockbox.rb'), `\uFEFF# keys\r\n${LOCKBOX_FIXED.replace('\n', '\r\n')}`);
    const testRb = read(root, TEST_ENV);
    assert.ok(testRb.includes(LOCKBOX_DUMMY));
    assert.doesNotMatch(testRb, /[^\r]\n/, 'no bare LF in a CRLF file');
  });

  test('does not rewrite a file that is not valid UTF-8, and says so', () => {
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${LOCKBOX}`)]);
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': bytes });
    const before = snapshot(root);
    const run = runCli(['--fix'], { cwd: root });
    assert.deepEqual(snapshot(root), before, 'nothing written, test.rb not created either');
    assert.match(run.stderr, /^config\/initializers\/lockbox\.rb: not fixed \(not valid UTF-8/m);
    assert.equal(findingLines(run.stdout).length, 1, 'the finding is still reported');
    assert.equal(run.code, 1);
  });

  test('drops the fixes of a file when a shared file they edit cannot be rewritten', () => {
    const testRb = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nRails.application.configure do\nend\n')]);
    const root = workspace({ ...RAILS_APP, [TEST_ENV]: testRb, 'config/initializers/lockbox.rb': LOCKBOX });
    const before = snapshot(root);
    const { report, run } = runJson(['--fix'], root);
    assert.deepEqual(snapshot(root), before, 'the initializer is not rewritten without its dummy');
    assert.deepEqual(report.fixed, []);
    assert.equal(run.code, 1);
    const text = runCli(['--fix'], { cwd: root });
    assert.match(text.stderr, /^config\/initializers\/lockbox\.rb: not fixed \(not valid UTF-8.*: config\/environments\/test\.rb\)$/m);
  });

  test('without --fix nothing is written', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    const before = snapshot(root);
    runCli([], { cwd: root });
    runCli(['--format', 'sarif'], { cwd: root });
    assert.deepEqual(snapshot(root), before);
    assert.ok(!existsSync(join(root, TEST_ENV)));
  });
});
