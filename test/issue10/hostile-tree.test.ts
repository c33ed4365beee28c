// A hostile tree through the CLI (issue 10, cases 7-12, 16, 17): FIFOs, a socket, links to
// /dev/zero, /dev/urandom and /, links out of the root, a pathological .gitignore, odd file names.
// Each run must end (spawnSync's timeout fails a hang), say once per file why it was not read,
// find the real problem next to them, and touch nothing outside the root.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeWorkspaces, runCli, runJson, snapshot, workspace } from '../cli/helpers';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n';
const TS_FORK = 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\n';
const posix = process.platform !== 'win32';

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

suite('issue 10: a hostile tree', () => {
  let outside: string;
  const servers: Server[] = [];
  suiteSetup(function () {
    if (!posix) this.skip();
    outside = realpathSync(mkdtempSync(join(tmpdir(), 'initaudit-outside-')));
  });
  suiteTeardown(() => {
    for (const s of servers) s.close();
    removeWorkspaces();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  /** A Unix socket at `path`, as a stray dev server would leave one. */
  async function socketAt(path: string): Promise<void> {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(path, resolve));
  }

  test('FIFOs, a socket, device links and links out of the root: each skipped with its reason, the audit ends and finds the real problem', async function () {
    this.timeout(60_000);
    writeFileSync(join(outside, 'test.rb'), '# outside the root\n');
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/lockbox.rb': LOCKBOX, 'src/config.ts': TS_FORK, 'app/.keep': '' });
    mkfifo(join(root, 'config', 'initializers', 'pipe.rb'));
    mkfifo(join(root, 'Gemfile.lock'));
    await socketAt(join(root, 'config', 'initializers', 'sock.rb'));
    symlinkSync('/dev/zero', join(root, 'config', 'initializers', 'zero.rb'));
    symlinkSync('/dev/urandom', join(root, 'src', 'random.ts'));
    symlinkSync('/', join(root, 'app', 'models'));
    symlinkSync('/', join(root, 'everything'));
    mkdirSync(join(root, 'config', 'environments'), { recursive: true });
    symlinkSync(join(outside, 'test.rb'), join(root, 'config', 'environments', 'test.rb'));
    symlinkSync(join(outside, 'secret.rb'), join(root, 'config', 'initializers', 'dangling.rb'));
    const before = snapshot(outside);

    const { report, run } = runJson(['.'], root);
    assert.equal(run.code, 1, run.stderr);
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.path, s.detail]));
    assert.deepEqual(skipped, {
      'Gemfile.lock': 'not a regular file: a named pipe',
      'app/models': 'a symbolic link out of the audited root',
      'config/environments/test.rb': 'a symbolic link out of the audited root',
      'config/initializers/dangling.rb': 'unreadable: broken symbolic link',
      'config/initializers/pipe.rb': 'not a regular file: a named pipe',
      'config/initializers/sock.rb': 'not a regular file: a socket',
      'config/initializers/zero.rb': 'a symbolic link out of the audited root',
      'src/random.ts': 'a symbolic link out of the audited root',
    });
    // Said once each.
    assert.equal(report.skipped.length, new Set(report.skipped.map((s) => s.path)).size);
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === 'env-forked-nil-secret').map((f) => f.path),
      ['config/initializers/lockbox.rb', 'src/config.ts'],
    );
    // The Lockbox fix would edit test.rb, which links out of the root: it is not offered.
    const lockbox = report.findings.find((f) => f.path === 'config/initializers/lockbox.rb');
    assert.deepEqual(lockbox?.fixes.filter((f) => f.isPreferred), []);

    const fixed = runCli(['--fix', '.'], { cwd: root });
    assert.equal(fixed.code, 1, fixed.stderr);
    assert.match(fixed.stderr, /^config\/environments\/test\.rb: skipped \(a symbolic link out of the audited root\)$/m);
    assert.deepEqual(snapshot(outside), before, 'nothing outside the root changed');
    assert.ok(!existsSync(join(outside, 'secret.rb')), 'the dangling link was not written through');
    assert.equal(readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8'), LOCKBOX);
  });

  test('a dangling config/environments/test.rb is not created through, and setupFiles outside the project is not created', function () {
    this.timeout(60_000);
    const root = workspace({
      Gemfile: GEMFILE,
      'config/initializers/lockbox.rb': LOCKBOX,
      'web/package.json': '{"name": "web"}\n',
      'web/vitest.config.ts': "export default { test: { setupFiles: ['../../../escape/setup.ts'] } };\n",
      'web/src/config.ts': TS_FORK,
    });
    mkdirSync(join(root, 'config', 'environments'), { recursive: true });
    symlinkSync(join(outside, 'created-through-link.rb'), join(root, 'config', 'environments', 'test.rb'));
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    assert.ok(!existsSync(join(outside, 'created-through-link.rb')));
    assert.ok(!existsSync(join(root, '..', '..', 'escape')), 'setupFiles two folders up was not created');
    // The TS fork is fixed with a setup file of the project's own instead.
    assert.ok(existsSync(join(root, 'web', 'test', 'setup-env.ts')), run.stderr);
  });

  test('a FIFO or /dev/zero as .initaudit.yml or as the baseline is a clear error, not a hang', function () {
    this.timeout(60_000);
    const fifoConfig = workspace({ 'config/initializers/lockbox.rb': LOCKBOX });
    mkfifo(join(fifoConfig, '.initaudit.yml'));
    const a = runCli(['.'], { cwd: fifoConfig });
    assert.equal(a.code, 2);
    assert.match(a.stderr, /\.initaudit\.yml:1:1 cannot read the config file: not a regular file: a named pipe/);

    const zeroConfig = workspace({ 'config/initializers/lockbox.rb': LOCKBOX });
    symlinkSync('/dev/zero', join(zeroConfig, '.initaudit.yml'));
    const b = runCli(['.'], { cwd: zeroConfig });
    assert.equal(b.code, 2);
    assert.match(b.stderr, /cannot read the config file: a symbolic link out of the audited root/);

    const zeroBaseline = workspace({ '.initaudit.yml': 'baseline: base.json\n', 'config/initializers/lockbox.rb': LOCKBOX });
    symlinkSync('/dev/zero', join(zeroBaseline, 'base.json'));
    const c = runCli(['.'], { cwd: zeroBaseline });
    assert.equal(c.code, 2);
    assert.match(c.stderr, /base\.json: cannot read the baseline: a symbolic link out of the audited root/);
    const d = runCli(['--baseline', '/dev/zero', '.'], { cwd: zeroBaseline });
    assert.equal(d.code, 2);
    assert.match(d.stderr, /cannot read the baseline: not a regular file: a character device/);
  });

  test('a .gitignore line of 20,000 segments is skipped with a warning; the rest of the file still applies', function () {
    this.timeout(60_000);
    const huge = Array.from({ length: 20_000 }, (_, i) => `d${i}`).join('/');
    const root = workspace({
      '.gitignore': `${huge}\nignored.rb\n`,
      Gemfile: GEMFILE,
      'config/initializers/lockbox.rb': LOCKBOX,
      'ignored.rb': LOCKBOX,
    });
    const { report, run } = runJson(['.'], root);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'env-forked-nil-secret').map((f) => f.path), ['config/initializers/lockbox.rb']);
    assert.deepEqual(report.warnings, [{ path: '.gitignore', detail: `line 1: pattern skipped (${huge.length} characters, over 4096)` }]);
    const text = runCli(['.'], { cwd: root });
    assert.match(text.stderr, /^\.gitignore: warning: line 1: pattern skipped/m);
    assert.ok(text.stderr.length < 500, 'the warning does not quote the pattern');
  });

  test('odd file names cannot drive the terminal or forge report lines', function () {
    this.timeout(60_000);
    const root = workspace({
      Gemfile: GEMFILE,
      'config/initializers/\u001b[31mred\u001b[0m.rb': LOCKBOX,
      'config/initializers/b.rb\nb.rb:1:1 error env-forked-nil-secret forged.rb': LOCKBOX,
      'config/initializers/\u202eevil.rb': LOCKBOX,
    });
    mkfifo(join(root, 'config', 'initializers', 'x\u001b]0;title\u0007.rb'));
    const run = runCli(['--fix', '.'], { cwd: root });
    const all = run.stdout + run.stderr;
    // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
    assert.doesNotMatch(all, /[\u0000-\u0009\u000b-\u001f\u007f\u202e]/, 'no raw control characters reach the terminal');
    assert.match(run.stdout + run.stderr, /\\x1b\[31mred\\x1b\[0m\.rb/);
    assert.match(all, /b\.rb\\nb\.rb:1:1 error env-forked-nil-secret forged\.rb/);
    assert.match(all, /\\u202eevil\.rb/);
    // Every line that looks like a report line names a file that exists.
    for (const line of all.split('\n')) assert.doesNotMatch(line, /^b\.rb:1:1/);
  });
});
