// --since <rev> against real git repositories made by the tests: only findings the change
// introduced are reported, lockfile drift is judged against the revision's Gemfile.lock and
// package-lock.json, --fix --since pins connection_pool, and a missing checkout or revision is
// bad usage (exit 2).

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from '../../server/src/core/parser';
import { prepareSince } from '../../server/src/cli/since';
import { commitAll, gitInit } from '../support/git';
import { FIXTURES, repoRoot } from '../support/paths';
import { read, removeWorkspaces, runCli, runJson, workspace, writeFiles, type JsonOutput } from './helpers';

const RULE = 'lockfile-major-drift';

// An upgrade pair written for this test only (the rule's fixtures are another app): Rails 7.0 → 8.0,
// and `bundle update` floated connection_pool, minitest and rdoc across a major.
const GEMFILE_BEFORE = `source "https://rubygems.org"

gem "rails", "~> 7.0.8"
gem "sidekiq", "~> 7.3"
gem "redis", ">= 4.0"
gem "nokogiri"

group :test do
  gem "capybara"
end
`;
const GEMFILE_AFTER = GEMFILE_BEFORE.replace('"~> 7.0.8"', '"~> 8.0.1"');

function lock(v: { rails: string; pool: string; minitest: string; rdoc: string; nokogiri: string; redisClient: string; capybara: string; railsReq: string }): string {
  return `GEM
  remote: https://rubygems.org/
  specs:
    activesupport (${v.rails})
      connection_pool (>= 2.2.5)
      minitest (>= 5.1)
    capybara (${v.capybara})
      nokogiri (~> 1.11)
    connection_pool (${v.pool})
    irb (1.14.0)
      rdoc (>= 4.0.0)
    minitest (${v.minitest})
    nokogiri (${v.nokogiri}-x86_64-linux-gnu)
      racc (~> 1.4)
    racc (1.8.1)
    rails (${v.rails})
      activesupport (= ${v.rails})
      railties (= ${v.rails})
    railties (${v.rails})
      activesupport (= ${v.rails})
      irb (~> 1.13)
    rdoc (${v.rdoc})
    redis (5.3.0)
      redis-client (>= 0.22.0)
    redis-client (${v.redisClient})
      connection_pool
    sidekiq (7.3.9)
      connection_pool (>= 2.3.0)
      redis-client (>= 0.22.2)

PLATFORMS
  x86_64-linux-gnu

DEPENDENCIES
  capybara
  nokogiri
  rails (${v.railsReq})
  redis (>= 4.0)
  sidekiq (~> 7.3)

BUNDLED WITH
   2.6.2
`;
}

const LOCK_BEFORE = lock({ rails: '7.0.8.7', pool: '2.5.3', minitest: '5.25.1', rdoc: '6.7.0', nokogiri: '1.17.2', redisClient: '0.22.2', capybara: '3.40.0', railsReq: '~> 7.0.8' });
const LOCK_AFTER = lock({ rails: '8.0.1', pool: '3.0.1', minitest: '6.0.0', rdoc: '7.1.0', nokogiri: '1.18.3', redisClient: '0.23.2', capybara: '3.40.0', railsReq: '~> 8.0.1' });

/** A repository whose HEAD is the app before the upgrade, with the upgrade in the working tree. */
function upgradedApp(): string {
  const root = workspace({ Gemfile: GEMFILE_BEFORE, 'Gemfile.lock': LOCK_BEFORE, 'config/credentials.yml.enc': 'opaque\n' });
  gitInit(root);
  commitAll(root, 'before the upgrade');
  writeFiles(root, { Gemfile: GEMFILE_AFTER, 'Gemfile.lock': LOCK_AFTER });
  return root;
}

function drift(report: JsonOutput): { line: string; severity: string; message: string }[] {
  return report.findings.filter((f) => f.ruleId === RULE).map((f) => ({ line: LOCK_AFTER.split('\n')[f.line - 1]!.trim(), severity: f.severity, message: f.message }));
}

async function assertParses(text: string): Promise<void> {
  const tree = await parse('ruby', text);
  assert.ok(tree);
  try {
    assert.equal(tree.rootNode.hasError, false, text);
  } finally {
    tree.delete();
  }
}

suite('cli: --since', () => {
  suiteTeardown(removeWorkspaces);

  test('on an upgrade it has never seen: the connection_pool drift is an error while Sidekiq 7.3.9 is resolved; minor bumps, tooling and the Rails bump are not warnings', () => {
    const root = upgradedApp();
    const { report, run } = runJson(['--since', 'HEAD'], root);
    assert.equal(run.code, 1, run.stderr);
    const found = drift(report);
    assert.deepEqual(
      found.map((f) => [f.line, f.severity]),
      [
        ['connection_pool (3.0.1)', 'error'],
        ['minitest (6.0.0)', 'info'],
        ['rdoc (7.1.0)', 'info'],
      ],
    );
    assert.match(found[0]!.message, /^Gem "connection_pool" 2\.5\.3 → 3\.0\.1 breaks "sidekiq" 7\.3\.9/);
    const pool = report.findings.find((f) => f.ruleId === RULE && f.severity === 'error')!;
    assert.deepEqual(pool.related.map((r) => LOCK_AFTER.split('\n')[r.line - 1]!.trim()).sort(), ['connection_pool', 'connection_pool (>= 2.2.5)', 'connection_pool (>= 2.3.0)', 'sidekiq (7.3.9)']);
    assert.ok(pool.details?.includes('Sources: '), pool.details);
    assert.deepEqual(pool.fixes.map((f) => f.title), ['Pin connection_pool to ~> 2.5']);
  });

  test('without a base the known-incompatible pair is still reported, and nothing else from the lockfile', () => {
    const root = upgradedApp();
    const { report } = runJson([], root);
    assert.deepEqual(
      drift(report).map((f) => [f.line, f.severity]),
      [['connection_pool (3.0.1)', 'error']],
    );
    assert.match(drift(report)[0]!.message, /^Gem "connection_pool" 3\.0\.1 breaks "sidekiq" 7\.3\.9/);
  });

  test('--fix --since adds the pin outside any group, with its reason, and a second run changes nothing', async () => {
    const root = upgradedApp();
    const run = runCli(['--fix', '--since', 'HEAD'], { cwd: root });
    const gemfile = read(root, 'Gemfile');
    assert.match(gemfile, /^gem "nokogiri"\n# connection_pool 3 makes TimedStack#pop keyword-only .*; remove this pin once Sidekiq is 8\.0\.10 or later\.\ngem "connection_pool", "~> 2\.5"\n\ngroup :test do/m);
    assert.equal(read(root, 'Gemfile.lock'), LOCK_AFTER, 'the lockfile is left to Bundler');
    assert.match(run.stderr, /note: Run bundle lock --update connection_pool/);
    await assertParses(gemfile);
    // Until Bundler re-resolves, the lockfile still holds the pair: say so, offer nothing more.
    const again = runJson(['--fix', '--since', 'HEAD'], root);
    assert.equal(read(root, 'Gemfile'), gemfile);
    const left = again.report.findings.find((f) => f.ruleId === RULE && f.severity === 'error');
    assert.match(left?.message ?? '', /still resolves "connection_pool" 3\.0\.1.*run bundle lock --update connection_pool/);
    assert.deepEqual(left?.fixes, []);
  });

  test('a package-lock.json pair where "*" and ">=" ranges cross a major', () => {
    const pkgLock = (router: string, colors: string, parser: string): string =>
      `${JSON.stringify(
        {
          name: 'svc',
          lockfileVersion: 3,
          requires: true,
          packages: {
            '': { name: 'svc', dependencies: { 'route-kit': '^2.0.0', colors: '*' }, devDependencies: { 'lint-kit': '^1.0.0' } },
            'node_modules/route-kit': { version: '2.4.0', dependencies: { 'qs-parse': '>=6' } },
            'node_modules/colors': { version: colors },
            'node_modules/qs-parse': { version: parser },
            'node_modules/lint-kit': { version: router, dev: true },
          },
        },
        null,
        2,
      )}\n`;
    const root = workspace({ 'package.json': '{ "name": "svc" }\n', 'package-lock.json': pkgLock('1.0.0', '1.4.0', '6.13.0') });
    gitInit(root);
    commitAll(root, 'before');
    writeFiles(root, { 'package-lock.json': pkgLock('1.2.0', '2.0.1', '7.0.0') });
    const { report } = runJson(['--since', 'main'], root);
    const found = report.findings.filter((f) => f.ruleId === RULE);
    assert.deepEqual(
      found.map((f) => [f.severity, f.message]),
      [
        ['info', 'Direct dependency "colors" 1.4.0 → 2.0.1 crosses a major version that package.json accepts, so the app\'s own tests can catch what changed.'],
        ['warning', 'Package "qs-parse" 6.13.0 → 7.0.0 crosses a major that no dependent caps (route-kit >=6), on the runtime path via "route-kit".'],
      ],
    );
  });

  test('the bundled examples made into a git history: only the findings the last commit introduced', () => {
    const root = workspace({});
    cpSync(join(repoRoot(), 'examples'), root, { recursive: true });
    const upgraded = { gemfile: read(root, 'rails-upgrade/Gemfile'), lock: read(root, 'rails-upgrade/Gemfile.lock') };
    const stripe = read(root, 'rails-app/config/initializers/stripe.rb');
    // Before: the pre-upgrade lockfile, no Stripe initializer.
    cpSync(join(FIXTURES, 'since', 'rails-upgrade'), join(root, 'rails-upgrade'), { recursive: true });
    rmSync(join(root, 'rails-app/config/initializers/stripe.rb'));
    gitInit(root);
    commitAll(root, 'before');
    const before = runJson([], root).report;
    writeFiles(root, { 'rails-upgrade/Gemfile': upgraded.gemfile, 'rails-upgrade/Gemfile.lock': upgraded.lock, 'rails-app/config/initializers/stripe.rb': stripe });
    commitAll(root, 'upgrade Rails, add Stripe');
    const after = runJson([], root).report;
    const { report, run } = runJson(['--since', 'HEAD~1'], root);
    assert.equal(run.code, 1);
    const key = (f: JsonOutput['findings'][number]): string => `${f.ruleId} ${f.path} ${f.message}`;
    // What a plain audit finds now and did not find before; drift findings exist only against a base.
    const introduced = after.findings.map(key).filter((k) => !before.findings.map(key).includes(k));
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId !== RULE).map(key),
      introduced.filter((k) => !k.startsWith(RULE)),
    );
    assert.deepEqual(
      report.findings.map((f) => `${f.path} ${f.ruleId} ${f.severity}`),
      [
        'rails-app/config/initializers/stripe.rb env-forked-nil-secret warning',
        'rails-upgrade/Gemfile.lock lockfile-major-drift error',
        'rails-upgrade/Gemfile.lock lockfile-major-drift info',
        'rails-upgrade/Gemfile.lock lockfile-major-drift info',
      ],
    );
    assert.ok(before.findings.length >= 5, 'the examples have many findings the change did not introduce');
    assert.deepEqual(report.since?.revision, 'HEAD~1');
    // --since HEAD: nothing changed since the last commit.
    const none = runJson(['--since', 'HEAD'], root);
    assert.deepEqual(none.report.findings, []);
    assert.equal(none.run.code, 0);
  });

  test('a finding that only moved, or whose line was edited with the same message, is not new', () => {
    const initializer = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
    const root = workspace({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'lockbox'\n",
      'config/credentials.yml.enc': 'opaque\n',
      'config/initializers/lockbox.rb': initializer,
    });
    gitInit(root);
    commitAll(root, 'base');
    writeFiles(root, { 'config/initializers/lockbox.rb': `# Keys\n\n${initializer}`, Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'lockbox'\n" });
    const { report, run } = runJson(['--since', 'HEAD'], root);
    assert.deepEqual(report.findings, [], run.stdout);
    assert.equal(run.code, 0);
  });

  test('outside a git checkout, or with an unknown revision: exit 2 with a clear message', () => {
    const outside = workspace({ 'Gemfile.lock': LOCK_AFTER });
    const noRepo = runCli(['--since', 'main'], { cwd: outside, env: { GIT_CEILING_DIRECTORIES: dirname(outside) } });
    assert.equal(noRepo.code, 2);
    assert.match(noRepo.stderr, /^initaudit: --since main: .* is not inside a git checkout$/m);
    assert.equal(noRepo.stdout, '');

    const root = upgradedApp();
    const unknown = runCli(['--since', 'no-such-branch'], { cwd: root });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^initaudit: --since no-such-branch: unknown revision 'no-such-branch'/m);
    const option = runCli(['--since', '--fix'], { cwd: root });
    assert.equal(option.code, 2, 'a revision that looks like an option is refused');
    assert.equal(runCli(['--since'], { cwd: root }).code, 2);
    assert.equal(runCli(['--since', 'HEAD', '--write-baseline'], { cwd: root }).code, 2);
  });

  test('a credentials file the change deletes is measured against the revision: credentials-file-missing becomes a new error', () => {
    const root = workspace({
      Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 8.0"\n',
      'config/credentials.yml.enc': 'opaque\n',
      'config/initializers/aws.rb': 'ACCESS_KEY = Rails.application.credentials.dig(:aws, :access_key_id)\n',
    });
    gitInit(root);
    const withCredentials = commitAll(root, 'with credentials');
    rmSync(join(root, 'config/credentials.yml.enc'));
    commitAll(root, 'move secrets elsewhere');
    const creds = (r: JsonOutput): string[] => r.findings.filter((f) => f.ruleId === 'credentials-file-missing').map((f) => `${f.path} ${f.severity}`);
    // Against HEAD the deletion is already committed: only its history speaks.
    const plain = runJson([], root).report;
    assert.ok(!creds(plain).includes('config/initializers/aws.rb error'), JSON.stringify(creds(plain)));
    // Since the revision that still had the file, the change deletes it.
    const since = runJson(['--since', withCredentials], root);
    assert.deepEqual(creds(since.report), ['config/initializers/aws.rb error']);
    assert.equal(since.run.code, 1);
  });

  test('the base of a file the revision lacks is null, and a file outside the audited root is unknown', async () => {
    const root = workspace({ 'app/config/application.rb': 'module App; end\n', 'other/x.rb': 'x = 1\n' });
    gitInit(root);
    commitAll(root, 'base');
    const app = join(root, 'app');
    const since = await prepareSince('HEAD', { root: app, targets: [{ path: app, kind: 'dir' }] }, undefined);
    assert.equal(since.base.text(join(app, 'config/application.rb')), 'module App; end\n');
    assert.equal(since.base.text(join(app, 'config/new.rb')), null, 'a file the revision lacks did not exist there');
    assert.equal(since.base.text(join(root, 'other/x.rb')), undefined, 'outside the audited root nothing was read');
    assert.equal(existsSync(join(app, 'config/application.rb')), true);
    assert.equal(readFileSync(join(app, 'config/application.rb'), 'utf8'), 'module App; end\n');
  });
});
