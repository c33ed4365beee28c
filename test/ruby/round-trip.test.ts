// Real Ruby as the oracle for "Add an encryption round-trip spec": a Rails 6.1 app with Lockbox
// 0.6 (attributes and Active Storage attachments), attr_encrypted 3.1 and in-memory SQLite
// (Debian's ruby-rails, ruby-lockbox, ruby-attr-encrypted, ruby-sqlite3, ruby-rspec-rails,
// ruby-factory-bot; .ci/run installs them), fixed by the real CLI, then its suite run by RSpec and by
// Minitest. The generated examples pass; with encryption bypassed (each value stored in plaintext in
// its ciphertext column) every one of them fails and names its attribute, while the incident's spec
// (`expect(user.reload.email).to be`) still passes. Skipped, saying why, where Ruby or those gems
// are missing.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { read, removeWorkspaces, runCli, snapshot, workspace, writeFiles } from '../cli/helpers';
import { FIXTURES } from '../support/paths';
import { app, ENCRYPTED, models, type Suite } from './round-trip-app';

const GEMS = ['rails', 'active_record/railtie', 'active_storage/engine', 'lockbox', 'attr_encrypted', 'sqlite3', 'factory_bot', 'rspec/rails', 'minitest'];
const ENV = { LOCKBOX_MASTER_KEY: '0'.repeat(64), CARD_KEY: '1'.repeat(32), RAILS_ENV: 'test' };

/** Why the oracle cannot run here, or undefined when Ruby and every gem it needs load. */
function missingRuby(): string | undefined {
  const r = spawnSync('ruby', ['-e', `%w[${GEMS.join(' ')}].each { |g| begin; require g; rescue LoadError; puts g; end }`], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) return 'ruby is not installed (apt-get install ruby)';
  const missing = r.stdout.split('\n').filter(Boolean);
  return missing.length ? `Ruby cannot load ${missing.join(', ')} (apt-get install ruby-rails ruby-lockbox ruby-attr-encrypted ruby-sqlite3 ruby-rspec-rails ruby-factory-bot)` : undefined;
}

function ruby(cwd: string, args: string[]): { out: string; code: number | null } {
  const r = spawnSync(args[0]!, args.slice(1), { cwd, env: { ...process.env, ...ENV }, encoding: 'utf8', timeout: 300_000 });
  if (r.error) throw r.error;
  return { out: `${r.stdout}\n${r.stderr}`, code: r.status };
}

interface Example {
  name: string;
  passed: boolean;
  message: string;
}

/** Runs the app's suite and returns each example with its outcome. */
function runSuite(root: string, suite: Suite): Example[] {
  if (suite === 'rspec') {
    const r = ruby(root, ['rspec', '--format', 'json', '--out', 'rspec.json']);
    const json = JSON.parse(read(root, 'rspec.json')) as { examples: { full_description: string; status: string; exception?: { message: string } }[] };
    assert.ok(json.examples.length > 0, `rspec ran no example:\n${r.out}`);
    return json.examples.map((e) => ({ name: e.full_description, passed: e.status === 'passed', message: e.exception?.message ?? '' }));
  }
  // Minitest, verbose: one "Class#test_name = time = ." line per test, failures listed after.
  const r = ruby(root, ['ruby', '-Itest', '-e', 'Dir["test/**/*_test.rb"].sort.each { |f| require File.expand_path(f) }', '--', '-v']);
  const out = r.out;
  const examples: Example[] = [];
  for (const m of out.matchAll(/^(\w+#test_\S+) = [\d.]+ s = ([.FE])$/gm)) {
    const name = m[1]!;
    const failure = new RegExp(`(?:Failure|Error):\\n${name.replace(/[#?]/g, '\\$&')} [^\\n]*\\n([^\\n]*)`).exec(out);
    examples.push({ name, passed: m[2] === '.', message: failure?.[1] ?? '' });
  }
  assert.ok(examples.length > 0, `minitest ran no test:\n${out}`);
  return examples;
}

suite('round-trip specs against real Ruby (Rails 6.1, Lockbox 0.6, SQLite)', function () {
  this.timeout(900_000);
  let missing: string | undefined;

  suiteSetup(function () {
    missing = missingRuby();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
  });
  suiteTeardown(() => removeWorkspaces());

  for (const suiteKind of ['rspec', 'minitest'] as const) {
    test(`${suiteKind}: --fix writes examples that pass, fail when encryption is bypassed, and a second --fix changes nothing`, () => {
      const root = workspace(app(suiteKind));
      const dir = suiteKind === 'rspec' ? 'spec' : 'test';
      const suffix = suiteKind === 'rspec' ? '_encryption_spec.rb' : '_encryption_test.rb';
      const incident = `${dir}/models/user${suiteKind === 'rspec' ? '_spec' : '_test'}.rb`;
      const incidentText = read(root, incident);

      const before = runCli(['--format', 'json', '.'], { cwd: root });
      const reported = (JSON.parse(before.stdout) as { findings: { ruleId: string; message: string }[] }).findings.filter((f) => f.ruleId === 'encrypted-attribute-untested');
      const expected = Object.entries(ENCRYPTED).flatMap(([model, attrs]) => attrs.map((a) => `"${a}" of "${model}"`));
      assert.deepEqual(reported.map((f) => expected.find((e) => f.message.includes(e))).sort(), [...expected].sort(), 'every encrypted attribute is reported');

      const fix = runCli(['--fix', '.'], { cwd: root });
      assert.notEqual(fix.code, 2, fix.stderr);
      assert.equal(read(root, incident), incidentText, 'the existing spec is untouched');
      assert.match(read(root, `${dir}/models/visit${suffix}`), /FactoryBot\.build\(:visit\)/, 'Visit is built with its factory');
      assert.match(read(root, `${dir}/models/user${suffix}`), /User\.new\(name: "round-trip", account: Account\.new\(title: "round-trip"\)\)/, 'User is built with what it requires');
      assert.match(read(root, `${dir}/models/user${suffix}`), /User\.new\(name: "round-trip", phone: "round-trip", account: Account\.new\(title: "round-trip"\)\)/, 'a required ciphertext column is filled through its attribute');
      assert.match(read(root, `${dir}/models/patient${suffix}`), /# Not saved/, 'Patient is checked before saving');

      const after = snapshot(root);
      const again = runCli(['--fix', '.'], { cwd: root });
      assert.notEqual(again.code, 2, again.stderr);
      assert.deepEqual(snapshot(root), after, 'a second --fix changes nothing');
      const remaining = (JSON.parse(runCli(['--format', 'json', '.'], { cwd: root }).stdout) as { findings: { ruleId: string }[] }).findings.filter((f) => f.ruleId === 'encrypted-attribute-untested');
      assert.deepEqual(remaining, [], 'nothing is left to report');

      const passing = runSuite(root, suiteKind);
      const generated = (e: Example) => / stores \w+ encrypted and reads it back|test_stores_\w+_encrypted_and_reads_it_back/.test(e.name);
      assert.equal(passing.filter(generated).length, expected.length, `one example per attribute: ${passing.map((e) => e.name).join(', ')}`);
      assert.deepEqual(passing.filter((e) => !e.passed), [], 'every example passes against real Lockbox');

      writeFiles(root, models(true));
      const bypassed = runSuite(root, suiteKind);
      for (const [model, attrs] of Object.entries(ENCRYPTED)) {
        for (const attr of attrs) {
          const e = bypassed.find((x) => generated(x) && x.name.includes(model) && x.name.includes(`stores${suiteKind === 'rspec' ? ' ' : '_'}${attr}${suiteKind === 'rspec' ? ' ' : '_'}`));
          assert.ok(e, `${model}.${attr} has an example: ${bypassed.map((x) => x.name).join(', ')}`);
          assert.equal(e.passed, false, `${model}.${attr}: the example fails with encryption bypassed`);
          assert.match(e.message, new RegExp(`\\b${attr} (is stored in plaintext|has no ciphertext)`), `${model}.${attr}: the failure names the attribute`);
        }
      }
      const incidentRun = bypassed.find((x) => /keeps.the.email/.test(x.name));
      assert.equal(incidentRun?.passed, true, "the incident's spec still passes with encryption bypassed: it measures persistence, not encryption");
    });
  }

  test('rspec: an attribute added later gets its example in the existing file, and nothing else there changes', () => {
    const root = workspace(app('rspec'));
    assert.notEqual(runCli(['--fix', '.'], { cwd: root }).code, 2);
    const spec = 'spec/models/visit_encryption_spec.rb';
    const first = read(root, spec);
    writeFiles(root, {
      'app/models/visit.rb': 'class Visit < ApplicationRecord\n  encrypts :user_ip\n  encrypts :referrer\nend\n',
      'db/schema.rb': read(root, 'db/schema.rb').replace('t.text "user_ip_ciphertext"', 't.text "user_ip_ciphertext"\n    t.text "referrer_ciphertext"'),
    });
    assert.notEqual(runCli(['--fix', '.'], { cwd: root }).code, 2);
    const second = readFileSync(join(root, spec), 'utf8');
    const close = first.lastIndexOf('end\n');
    assert.equal(second.slice(0, close), first.slice(0, close), 'the existing examples are unchanged');
    assert.match(second.slice(close), /stores referrer encrypted and reads it back/);
    const results = runSuite(root, 'rspec');
    assert.deepEqual(results.filter((e) => !e.passed), [], 'the suite passes');
    assert.ok(results.some((e) => e.name.includes('stores referrer')), 'the new example ran');
  });
});

// Active Record encryption (Rails 7+) and attr_encrypted are not packaged by Debian: the specs the
// fix writes for them are checked by the fix fixtures (byte for byte) and here by Ruby's own parser.
suite('round-trip specs: every generated file is valid Ruby (ruby -c)', () => {
  const base = join(FIXTURES, 'fixes', 'encrypted-attribute-untested');
  const generated = readdirSync(base).flatMap((name) =>
    ['spec/models', 'test/models'].flatMap((dir) => {
      const full = join(base, name, 'after', dir);
      return existsSync(full) ? readdirSync(full).filter((f) => /_encryption_(spec|test)\.rb$/.test(f)).map((f) => join(full, f)) : [];
    }),
  );

  test('the fixtures generate files to check', () => assert.ok(generated.length >= 4, generated.join(', ')));
  for (const file of generated) {
    test(relative(base, file), function () {
      const r = spawnSync('ruby', ['-c', file], { encoding: 'utf8', timeout: 60_000 });
      if (r.error) {
        console.log('      skipped: ruby is not installed (apt-get install ruby)');
        this.skip();
      }
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Syntax OK/);
    });
  }
});
