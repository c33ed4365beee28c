// Issue 3's acceptance scenario, end to end through the bundled CLI: a Rails app initaudit has
// never seen, with Lockbox in the Gemfile, a model using has_encrypted, no Lockbox initializer and
// no credentials files.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { parse } from '../../server/src/core/parser';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { findingLines, read, removeWorkspaces, runCli, snapshot, workspace, type JsonOutput } from './helpers';

const RULE = 'implicit-gem-key-lookup';
const APP = {
  Gemfile: 'source "https://rubygems.org"\n\ngem "chamber"\ngem "lockbox"\n',
  'config/application.rb': 'require_relative "boot"\n\nmodule Shop\n  class Application < Rails::Application\n  end\nend\n',
  'app/models/customer.rb': 'class Customer < ApplicationRecord\n  has_encrypted :user_ip\nend\n',
};

suite('cli: implicit-gem-key-lookup', () => {
  suiteTeardown(removeWorkspaces);

  test('one finding per missing key, on the Gemfile line, with the uses as related locations', () => {
    const root = workspace({ ...APP, 'app/models/vendor.rb': 'class Vendor < ApplicationRecord\n  has_encrypted :iban\nend\n' });
    const run = runCli(['--format', 'json', '--fail-on', 'never'], { cwd: root });
    const report = JSON.parse(run.stdout) as JsonOutput;
    const found = report.findings.filter((f) => f.ruleId === RULE);
    assert.deepEqual(
      found.map((f) => `${f.path}:${f.line}:${f.column} ${f.severity}`),
      ['Gemfile:4:5 warning'],
      run.stdout,
    );
    assert.equal(found[0]!.message, 'Nothing assigns "Lockbox.master_key" and the app has no production credentials file, so it is empty unless LOCKBOX_MASTER_KEY is set.');
    assert.deepEqual(found[0]!.related.map((r) => `${r.path}:${r.line}`).sort(), ['app/models/customer.rb:2', 'app/models/vendor.rb:2']);
  });

  test('a change that deletes the credentials file makes it an error (git, read-only)', () => {
    const root = workspace({ ...APP, 'config/credentials.yml.enc': 'opaque\n' });
    const git = (...args: string[]): void => {
      execFileSync('git', args, { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'app');
    assert.deepEqual(findingLines(runCli([], { cwd: root }).stdout).filter((f) => f.ruleId === RULE).map((f) => f.severity), ['warning'], 'with the file: a warning');
    rmSync(join(root, 'config/credentials.yml.enc'));
    const run = runCli([], { cwd: root });
    const found = findingLines(run.stdout).filter((f) => f.ruleId === RULE);
    assert.deepEqual(found.map((f) => `${f.path}:${f.line} ${f.severity}`), ['Gemfile:4 error'], run.stdout);
    assert.match(found[0]!.message, /this change deletes config\/credentials\.yml\.enc/);
    assert.equal(run.code, 1);
    git('commit', '-q', '-am', 'remove credentials');
    const later = findingLines(runCli([], { cwd: root }).stdout).filter((f) => f.ruleId === RULE);
    assert.deepEqual(later.map((f) => f.severity), ['warning'], 'once committed, the deletion is history: a warning');
  });

  test('a credentials file present makes it a warning about deleting it', () => {
    const root = workspace({ ...APP, 'config/credentials.yml.enc': 'opaque\n' });
    const found = findingLines(runCli([], { cwd: root }).stdout).filter((f) => f.ruleId === RULE);
    assert.deepEqual(found.map((f) => f.severity), ['warning']);
    assert.match(found[0]!.message, /deleting the credentials file would silently empty it/);
  });

  test('--fix adds config/initializers/lockbox.rb and the test dummy; a second audit is clean and --fix is idempotent', async () => {
    const root = workspace(APP);
    const run = runCli(['--fix'], { cwd: root });
    assert.equal(
      read(root, 'config/initializers/lockbox.rb'),
      '# Lockbox.master_key: explicit, so no gem reads it by convention (added by initaudit).\n' +
        'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key)\n',
    );
    assert.ok(read(root, 'config/environments/test.rb').includes('ENV["LOCKBOX_MASTER_KEY"] ||= "0" * 64'));
    assert.match(run.stderr, /^config\/initializers\/lockbox\.rb: created$/m);
    assert.deepEqual(findingLines(run.stdout), []);
    assert.equal(run.code, 0);
    const after = snapshot(root);
    const again = runCli(['--fix'], { cwd: root });
    assert.deepEqual(snapshot(root), after, 'a second --fix changes nothing');
    assert.deepEqual(findingLines(again.stdout), []);
    for (const rel of ['config/initializers/lockbox.rb', 'config/environments/test.rb']) {
      const tree = await parse('ruby', read(root, rel));
      assert.ok(tree && !tree.rootNode.hasError, `${rel} parses`);
      tree?.delete();
    }
  });

  test('an explicit assignment in any initializer silences it, even one that only reads ENV', () => {
    const root = workspace({ ...APP, 'config/initializers/keys.rb': 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"]\n' });
    assert.deepEqual(findingLines(runCli([], { cwd: root }).stdout).filter((f) => f.ruleId === RULE), []);
  });
});
