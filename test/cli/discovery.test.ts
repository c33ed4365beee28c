import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readSourceFile } from '../../server/src/files/read-source';
import { findingLines, LOCKBOX, RAILS_APP, removeWorkspaces, runCli, runJson, workspace } from './helpers';
import { FileAccess } from '../../server/src/core/file-access';

/** Relative paths of the files an audit reported findings in. */
function flagged(root: string, args: string[] = []): string[] {
  return [...new Set(findingLines(runCli(args, { cwd: root }).stdout).map((f) => f.path))].sort();
}

suite('cli: file discovery', () => {
  suiteTeardown(removeWorkspaces);

  test('honours root and nested .gitignore files, and always skips node_modules, vendor and .git', () => {
    const root = workspace({
      ...RAILS_APP,
      '.gitignore': 'generated/\n*.local.rb\n',
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/initializers/dev.local.rb': LOCKBOX,
      'generated/lockbox.rb': LOCKBOX,
      'lib/.gitignore': 'scratch.rb\n!keep.local.rb\n!generated/\n',
      'lib/generated/lockbox.rb': LOCKBOX,
      'lib/scratch.rb': LOCKBOX,
      'lib/keep.local.rb': LOCKBOX,
      'lib/deep/scratch.rb': LOCKBOX,
      'node_modules/pkg/lockbox.rb': LOCKBOX,
      'vendor/bundle/ruby/lockbox.rb': LOCKBOX,
      'app/vendor/lockbox.rb': LOCKBOX,
      '.git/hooks/lockbox.rb': LOCKBOX,
    });
    // As `git status --ignored` has it: lib/.gitignore re-includes lib/generated/ that the root one excludes.
    assert.deepEqual(flagged(root), ['config/initializers/lockbox.rb', 'lib/generated/lockbox.rb', 'lib/keep.local.rb']);
  });

  test("skips a Rails app's static public/ folder, but not a public/ folder elsewhere", () => {
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': LOCKBOX,
      'public/assets/lockbox.rb': LOCKBOX,
      'lib/public/lockbox.rb': LOCKBOX,
    });
    assert.deepEqual(flagged(root), ['config/initializers/lockbox.rb', 'lib/public/lockbox.rb']);
  });

  test("auditing a subfolder honours the enclosing repository's .gitignore", () => {
    const root = workspace({
      ...RAILS_APP,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'tmp/\n',
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/tmp/lockbox.rb': LOCKBOX,
    });
    const { report } = runJson(['config'], root);
    assert.deepEqual(
      report.findings.map((f) => f.path),
      ['initializers/lockbox.rb'],
    );
  });

  test('a file named on the command line is audited even when ignored; several paths root at the cwd', () => {
    const root = workspace({ ...RAILS_APP, '.gitignore': 'generated/\n', 'generated/lockbox.rb': LOCKBOX, 'config/initializers/lockbox.rb': LOCKBOX });
    const { report } = runJson(['generated/lockbox.rb', 'config'], root);
    assert.equal(report.root, root);
    assert.deepEqual(report.findings.map((f) => f.path).sort(), ['config/initializers/lockbox.rb', 'generated/lockbox.rb']);
  });

  test('binary and over-1-MiB files are reported as skipped and the audit carries on', () => {
    const big = `# Rails.env\n${'x = 1\n'.repeat(200_000)}`;
    const root = workspace({
      ...RAILS_APP,
      'config/initializers/lockbox.rb': LOCKBOX,
      'lib/blob.rb': Buffer.concat([Buffer.from('Rails.env'), Buffer.from([0, 1, 2])]),
      'lib/huge.rb': big,
    });
    const run = runCli([], { cwd: root });
    assert.equal(run.code, 1);
    assert.deepEqual(findingLines(run.stdout).map((f) => f.path), ['config/initializers/lockbox.rb']);
    const stderr = run.stderr.trimEnd().split('\n');
    assert.ok(stderr.includes('lib/blob.rb: skipped (binary)'), run.stderr);
    assert.ok(stderr.includes(`lib/huge.rb: skipped (over 1 MiB: ${Buffer.byteLength(big)} bytes)`), run.stderr);

    const { report } = runJson([], root);
    assert.deepEqual(
      report.skipped.map((s) => [s.path, s.reason]),
      [
        ['lib/blob.rb', 'binary'],
        ['lib/huge.rb', 'too-large'],
      ],
    );
    assert.equal(report.skipped[1]?.size, Buffer.byteLength(big));
  });

  test('symlinked directories are not followed, so a link cycle terminates', () => {
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX });
    symlinkSync('..', join(root, 'config', 'initializers', 'loop'));
    symlinkSync(join(root, 'config'), join(root, 'config-link'));
    const { report, run } = runJson([], root);
    assert.equal(run.code, 1);
    assert.deepEqual(
      report.findings.map((f) => f.path),
      ['config/initializers/lockbox.rb'],
    );
  });

  test('an unreadable file is reported as skipped and the audit carries on', function () {
    if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // root reads anything
    const root = workspace({ ...RAILS_APP, 'config/initializers/lockbox.rb': LOCKBOX, 'lib/secret.rb': LOCKBOX });
    chmodSync(join(root, 'lib/secret.rb'), 0o000);
    const run = runCli([], { cwd: root });
    chmodSync(join(root, 'lib/secret.rb'), 0o644);
    assert.match(run.stderr, /^lib\/secret\.rb: skipped \(unreadable: permission denied\)$/m);
    assert.equal(findingLines(run.stdout).length, 1);
  });

  test('a file that vanished before it was read is skipped, not fatal', () => {
    const root = workspace({});
    mkdirSync(join(root, 'gone'));
    const result = readSourceFile(new FileAccess([root]), join(root, 'gone', 'lockbox.rb'));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.skipped.reason, 'vanished');
  });
});
