// Fixes change only what they mean to (issue 10, cases 1-3), through the real --fix, with
// `ruby -c` as the judge of every Ruby file written (CI installs ruby; without it locally the
// Ruby check is skipped, said so, and the byte-level assertions still run).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeWorkspaces, runCli, workspace } from '../cli/helpers';
import { hasRuby, rubyOk } from '../support/ruby';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n';
const CREDENTIALS = { 'config/credentials.yml.enc': 'never read\n' };



suite('issue 10: fixes keep BOMs, line endings and data sections', () => {
  suiteTeardown(removeWorkspaces);
  suiteSetup(() => {
    if (!hasRuby) process.stderr.write('  (ruby not installed: the ruby -c checks of this suite are skipped)\n');
  });

  test('a test.rb starting with a BOM gets its dummy after the BOM, and still passes ruby -c', function () {
    this.timeout(30_000);
    const testRb = '\ufeffRails.application.configure do\n  config.cache_classes = true\nend\n';
    const root = workspace({ Gemfile: GEMFILE, ...CREDENTIALS, 'config/initializers/lockbox.rb': LOCKBOX, 'config/environments/test.rb': testRb });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const bytes = readFileSync(join(root, 'config/environments/test.rb'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM stays first');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(!text.includes('\ufeff'), 'no BOM inside the text');
    assert.match(text, /^ENV\["LOCKBOX_MASTER_KEY"\] \|\|= .+\nRails\.application\.configure do\n/);
    rubyOk(join(root, 'config/environments/test.rb'));
    rubyOk(join(root, 'config/initializers/lockbox.rb'));
  });

  test('a test.rb with lone-CR line endings gets no multi-line fix: nothing is joined onto a comment', function () {
    this.timeout(30_000);
    const testRb = '# test settings\rRails.application.configure do\r  config.cache_classes = true\rend\r';
    const root = workspace({ Gemfile: GEMFILE, ...CREDENTIALS, 'config/initializers/lockbox.rb': LOCKBOX, 'config/environments/test.rb': testRb });
    const run = runCli(['--fix', '--format', 'json', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    assert.equal(readFileSync(join(root, 'config/environments/test.rb'), 'utf8'), testRb);
    // Not half-applied: the initializer keeps its fork too, and the finding remains, without a fix.
    assert.equal(readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8'), LOCKBOX);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; fixes: unknown[] }[] };
    const finding = report.findings.find((f) => f.ruleId === 'env-forked-nil-secret');
    assert.deepEqual(finding?.fixes, []);
  });

  test('a lone-CR TypeScript file keeps its own line endings', function () {
    this.timeout(30_000);
    const config = 'import { secrets } from "./secrets";\rexport const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\r';
    const setup = '// setup\rimport "dotenv/config";\r';
    const root = workspace({
      'package.json': '{"name": "web"}\n',
      'vitest.config.ts': 'export default { test: { setupFiles: ["./test/setup.ts"] } };\n',
      'test/setup.ts': setup,
      'src/config.ts': config,
    });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const after = readFileSync(join(root, 'test/setup.ts'), 'utf8');
    assert.match(after, /^\/\/ setup\rimport "dotenv\/config";\rprocess\.env\.STRIPE_\w+ \?\?= .+;\r$/);
    assert.ok(!after.includes('\n'));
  });

  test('"Add an explicit initializer" goes before __END__, where Ruby runs it', function () {
    this.timeout(30_000);
    const initializer = 'Lockbox.default_options[:padding] = true\n__END__\nnotes: rotated 2024\n';
    const root = workspace({
      Gemfile: "source 'https://rubygems.org'\ngem 'lockbox'\n",
      'config/credentials/production.yml.enc': 'never read\n',
      'config/initializers/lockbox.rb': initializer,
      'app/models/user.rb': 'class User < ApplicationRecord\n  has_encrypted :email\nend\n',
    });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const after = readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8');
    const [code, data] = after.split('__END__\n');
    assert.match(code ?? '', /Lockbox\.master_key = ENV\['LOCKBOX_MASTER_KEY'\] \|\| /);
    assert.equal(data, 'notes: rotated 2024\n', 'the data section is untouched');
    rubyOk(join(root, 'config/initializers/lockbox.rb'));
    // Applying again changes nothing: the assignment is now seen.
    const again = runCli(['--fix', '.'], { cwd: root });
    assert.doesNotMatch(again.stderr, /lockbox\.rb: fixed/);
  });
});
