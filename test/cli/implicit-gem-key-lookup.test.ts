// Issue 3's acceptance scenario, end to end through the bundled CLI: a Rails app initaudit has
// never seen, with Lockbox in the Gemfile, a model using has_encrypted, no Lockbox initializer and
// no credentials files.

import * as assert from 'node:assert/strict';
import { parse } from '../../server/src/core/parser';
import { findingLines, read, removeWorkspaces, runCli, snapshot, workspace } from './helpers';

const RULE = 'implicit-gem-key-lookup';
const APP = {
  Gemfile: 'source "https://rubygems.org"\n\ngem "chamber"\ngem "lockbox"\n',
  'config/application.rb': 'require_relative "boot"\n\nmodule Shop\n  class Application < Rails::Application\n  end\nend\n',
  'app/models/customer.rb': 'class Customer < ApplicationRecord\n  has_encrypted :user_ip\nend\n',
};

suite('cli: implicit-gem-key-lookup', () => {
  suiteTeardown(removeWorkspaces);

  test('reports the Gemfile line and the model, as errors, since no credentials file exists', () => {
    const root = workspace(APP);
    const run = runCli([], { cwd: root });
    const found = findingLines(run.stdout).filter((f) => f.ruleId === RULE);
    assert.deepEqual(
      found.map((f) => `${f.path}:${f.line}:${f.column} ${f.severity}`),
      ['Gemfile:4:5 error', 'app/models/customer.rb:2:3 error'].sort(),
      run.stdout,
    );
    assert.ok(found.every((f) => f.message.includes('"Lockbox.master_key"') && f.message.includes('empty unless LOCKBOX_MASTER_KEY is set')), run.stdout);
    assert.equal(run.code, 1);
  });

  test('a credentials file present makes it a warning', () => {
    const root = workspace({ ...APP, 'config/credentials.yml.enc': 'opaque\n' });
    const found = findingLines(runCli([], { cwd: root }).stdout).filter((f) => f.ruleId === RULE);
    assert.deepEqual(found.map((f) => f.severity), ['warning', 'warning']);
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
