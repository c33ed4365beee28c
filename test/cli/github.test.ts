// --format github: one workflow-command annotation per finding, escaped the way the Actions
// runner reads them, and the same exit codes as every other format.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { escapeData, escapeProperty } from '../../server/src/report/github';
import { commitAll, gitInit } from '../support/git';
import { LOCKBOX, RAILS_APP, removeWorkspaces, runCli, STRIPE, workspace, writeFiles } from './helpers';

suite('cli: GitHub annotations', () => {
  suiteTeardown(removeWorkspaces);

  test('errors and warnings become ::error and ::warning with file, line, column and the rule as title', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX, 'config/initializers/stripe.rb': STRIPE });
    const run = runCli(['--format', 'github'], { cwd: root });
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^::error file=config\/initializers\/lockbox\.rb,line=1,col=1,endLine=1,endColumn=\d+,title=env-forked-nil-secret::Secret "Lockbox\.master_key" is nil in test/);
    assert.match(lines[1]!, /^::warning file=config\/initializers\/stripe\.rb,line=1,col=\d+,endLine=1,endColumn=\d+,title=env-forked-nil-secret::Secret "Stripe\.api_key"/);
    assert.equal(lines[2], '2 problems (1 error, 1 warning) in 2 files; 2 fixable with --fix');
    assert.equal(run.code, 1, 'the exit code is the same as with --format text');
    assert.equal(runCli(['--format', 'github', '--fail-on', 'never'], { cwd: root }).code, 0);
    assert.equal(runCli(['--format', 'github', '--fail-on', 'warning'], { cwd: workspace({ ...RAILS_APP, 'config/initializers/stripe.rb': STRIPE }) }).code, 1);
  });

  test('info findings are notices', () => {
    const lock = (minitest: string): string => `GEM\n  remote: https://rubygems.org/\n  specs:\n    activesupport (8.0.1)\n      minitest (>= 5.1)\n    minitest (${minitest})\n\nDEPENDENCIES\n  activesupport\n`;
    const root = workspace({ Gemfile: 'source "https://rubygems.org"\ngem "activesupport"\n', 'Gemfile.lock': lock('5.25.4') });
    gitInit(root);
    commitAll(root, 'base');
    writeFiles(root, { 'Gemfile.lock': lock('6.0.0') });
    const run = runCli(['--format', 'github', '--since', 'HEAD'], { cwd: root });
    assert.match(run.stdout, /^::notice file=Gemfile\.lock,line=6,col=5,endLine=6,endColumn=13,title=lockfile-major-drift::Gem "minitest" 5\.25\.4 → 6\.0\.0 crosses a major version, but it is test tooling/m);
    assert.equal(run.code, 0);
  });

  test('paths with commas and colons are escaped', () => {
    const root = workspace({ 'odd,dir:x/Gemfile': 'source "https://rubygems.org"\ngem "sidekiq"\n', 'odd,dir:x/Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    connection_pool (3.0.0)\n    sidekiq (8.0.1)\n      connection_pool (>= 2.5.0)\n\nDEPENDENCIES\n  sidekiq\n' });
    const run = runCli(['--format', 'github'], { cwd: root });
    assert.match(run.stdout, /^::error file=odd%2Cdir%3Ax\/Gemfile\.lock,line=4,col=5,endLine=4,endColumn=20,title=lockfile-major-drift::Gem "connection_pool" 3\.0\.0 breaks "sidekiq" 8\.0\.1/m);
  });

  test('escaping follows the runner: % CR LF in data, and : , in properties too', () => {
    assert.equal(escapeData('100% done\r\nnext: a,b'), '100%25 done%0D%0Anext: a,b');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
  });
});
