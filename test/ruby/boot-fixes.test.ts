// The two key fixes, booted for real: a minimal Rails 6.1 app with Lockbox 0.6 and in-memory SQLite
// (Debian's gems, no Bundler, nothing fetched) is fixed by the real CLI, then booted in the test
// environment, where it encrypts and decrypts an attribute with the dummy key the fix wrote.
// Before the fix the same boot shows the defect: with the forked key, Lockbox raises "Missing master key".

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeWorkspaces, runCli, workspace } from '../cli/helpers';

const APP: Record<string, string> = {
  Gemfile: 'source "https://rubygems.org"\n\ngem "rails", "~> 6.1.7"\ngem "lockbox"\ngem "sqlite3"\n',
  'Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    activerecord (6.1.7.10)\n    lockbox (0.6.4)\n    rails (6.1.7.10)\n    sqlite3 (1.4.2)\n\nDEPENDENCIES\n  lockbox\n  rails (~> 6.1.7)\n  sqlite3\n',
  'config/application.rb':
    'require "rails"\nrequire "active_record/railtie"\nrequire "lockbox"\n\nmodule Shop\n  class Application < Rails::Application\n    config.load_defaults 6.1\n    config.eager_load = false\n    config.logger = Logger.new(nil)\n  end\nend\n',
  'config/environment.rb': 'require_relative "application"\n\nRails.application.initialize!\n',
  'config/database.yml': 'test:\n  adapter: sqlite3\n  database: ":memory:"\n',
  // On Rails 6.1 with Lockbox 0.6, `encrypts` is Lockbox's own method.
  'app/models/application_record.rb': 'class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\nend\n',
  'app/models/customer.rb': 'class Customer < ApplicationRecord\n  encrypts :email\nend\n',
};

/** Boots the app in test, stores an encrypted email and reads it back; prints what happened. */
const ROUND_TRIP = [
  'require "./config/environment"',
  'ActiveRecord::Schema.verbose = false',
  'ActiveRecord::Schema.define { create_table(:customers) { |t| t.text :email_ciphertext } }',
  'begin',
  '  c = Customer.create!(email: "ada@example.org")',
  '  raw = Customer.connection.select_value("SELECT email_ciphertext FROM customers")',
  '  puts "ciphertext differs: #{raw != "ada@example.org"}"',
  '  puts "round trip: #{Customer.find(c.id).email}"',
  'rescue => e',
  '  puts "#{e.class}: #{e.message}"',
  'end',
].join('\n');

function rubyWithRails(): boolean {
  const r = spawnSync('ruby', ['-e', 'require "rails"; require "active_record/railtie"; require "lockbox"; require "sqlite3"'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0;
}

function boot(root: string): string {
  // The key must come from the app, never from the environment the tests run in.
  const env: NodeJS.ProcessEnv = { ...process.env, RAILS_ENV: 'test' };
  delete env['LOCKBOX_MASTER_KEY'];
  const r = spawnSync('ruby', ['-e', ROUND_TRIP], { cwd: root, encoding: 'utf8', timeout: 120_000, env });
  assert.equal(r.status, 0, `the app boots in test:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

suite('key fixes booted in a real Rails 6.1 app with Lockbox', function () {
  this.timeout(240_000);
  let available = false;
  suiteSetup(function () {
    available = rubyWithRails();
    if (!available) process.stderr.write('  (ruby with Debian ruby-rails, ruby-lockbox and ruby-sqlite3 not installed: the boot tests are skipped)\n');
  });
  suiteTeardown(removeWorkspaces);

  test('"Use an explicit env key": the forked key raises in test; after --fix the dummy key encrypts and decrypts', function () {
    if (!available) this.skip();
    const root = workspace({
      ...APP,
      'config/credentials.yml.enc': 'opaque\n',
      'config/initializers/lockbox.rb': 'Lockbox.master_key = Rails.env.test? ? nil : Rails.application.credentials.dig(:lockbox, :master_key)\n',
    });
    assert.match(boot(root), /ArgumentError: Missing master key/, 'before the fix, test has no key');
    const run = runCli(['--fix', '--fail-on', 'never'], { cwd: root });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8'), 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Rails.application.credentials.dig(:lockbox, :master_key)\n');
    const out = boot(root);
    assert.match(out, /ciphertext differs: true/, out);
    assert.match(out, /round trip: ada@example\.org/, out);
  });

  test('"Add an explicit initializer": Lockbox read by convention; after --fix the app boots and round-trips with the dummy key', function () {
    if (!available) this.skip();
    const root = workspace(APP);
    const before = runCli(['--format', 'json', '--fail-on', 'never'], { cwd: root });
    assert.ok(JSON.parse(before.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'implicit-gem-key-lookup'), before.stdout);
    assert.match(boot(root), /ArgumentError: Missing master key/, 'before the fix, nothing supplies the key in test');
    const run = runCli(['--fix', '--fail-on', 'never'], { cwd: root });
    assert.equal(run.code, 0, run.stderr);
    assert.match(readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8'), /^Lockbox\.master_key = ENV\["LOCKBOX_MASTER_KEY"\]$/m);
    assert.match(readFileSync(join(root, 'config/environments/test.rb'), 'utf8'), /ENV\["LOCKBOX_MASTER_KEY"\] \|\|= "0" \* 64/);
    const out = boot(root);
    assert.match(out, /ciphertext differs: true/, out);
    assert.match(out, /round trip: ada@example\.org/, out);
  });
});
