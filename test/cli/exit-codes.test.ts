import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEVISE, LOCKBOX, RAILS_APP, REDIS, removeWorkspaces, runCli, STRIPE, workspace } from './helpers';

suite('cli: exit codes', () => {
  suiteTeardown(removeWorkspaces);

  const cases: { name: string; files: Record<string, string>; expected: Record<string, number> }[] = [
    { name: 'an error finding', files: { 'config/initializers/lockbox.rb': LOCKBOX }, expected: { default: 1, error: 1, warning: 1, never: 0 } },
    { name: 'only a warning', files: { 'config/initializers/stripe.rb': STRIPE }, expected: { default: 0, error: 0, warning: 1, never: 0 } },
    {
      name: 'no findings',
      files: { 'config/initializers/devise.rb': DEVISE, 'config/initializers/redis.rb': REDIS },
      expected: { default: 0, error: 0, warning: 0, never: 0 },
    },
  ];
  for (const c of cases) {
    test(`--fail-on with ${c.name}`, () => {
      const root = workspace({ ...RAILS_APP, ...c.files });
      for (const [mode, code] of Object.entries(c.expected)) {
        const args = mode === 'default' ? [] : ['--fail-on', mode];
        assert.equal(runCli(args, { cwd: root }).code, code, `--fail-on ${mode}`);
      }
    });
  }

  const usage: { args: string[]; message: RegExp }[] = [
    { args: ['--bogus'], message: /unknown option '--bogus'/ },
    { args: ['--format', 'xml'], message: /invalid value 'xml' for --format/ },
    { args: ['--format'], message: /--format needs a value/ },
    { args: ['--fail-on', 'sometimes'], message: /invalid value 'sometimes' for --fail-on/ },
    { args: ['--fix=yes'], message: /--fix does not take a value/ },
    { args: ['does-not-exist'], message: /no such file or directory: does-not-exist/ },
  ];
  for (const u of usage) {
    test(`bad usage: ${u.args.join(' ')} → 2 with a clear message`, () => {
      const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
      const run = runCli(u.args, { cwd: root });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^initaudit: /);
      assert.match(lines[0] ?? '', u.message);
      assert.match(run.stderr, /--help/);
      assert.ok(lines.length <= 2, 'no stack trace');
    });
  }

  test('--help and --version exit 0', () => {
    const root = workspace({});
    const help = runCli(['--help'], { cwd: root });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: initaudit/);
    for (const flag of ['--format', '--output', '--fix', '--fail-on']) assert.ok(help.stdout.includes(flag), flag);
    const version = runCli(['--version'], { cwd: root });
    assert.equal(version.code, 0);
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  test('an internal error exits 2 with its cause, and a stack only with INITAUDIT_DEBUG=1', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    // The WebAssembly grammars made unreachable: the native binding needs none, so it is turned off.
    const env = { INITAUDIT_PARSER: 'wasm', INITAUDIT_GRAMMARS: resolve(root, 'no-grammars-here') };
    const run = runCli([], { cwd: root, env });
    assert.equal(run.code, 2);
    // web-tree-sitter prints its own lines first (see the report to the lead); ours is the last.
    assert.match(run.stderr.trimEnd().split('\n').at(-1) ?? '', /^initaudit: internal error: .+/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    const debug = runCli([], { cwd: root, env: { ...env, INITAUDIT_DEBUG: '1' } });
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /\n\s+at /);
  });
});
