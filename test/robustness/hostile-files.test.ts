// Odd files in a workspace cost at most themselves: the CLI reports each one it cannot read and
// carries on, and still finds the problem in the ordinary initializer next to them.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../server/src/audit/run';
import { SourceCache } from '../../server/src/files/source-cache';
import { removeWorkspaces, runCli, runJson, workspace, type JsonOutput } from '../cli/helpers';
import { FileAccess } from '../../server/src/core/file-access';

const RULE = 'env-forked-nil-secret';
const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n';

suite('robustness: hostile files', () => {
  suiteTeardown(removeWorkspaces);

  test('binary, invalid UTF-8, BOM, CRLF and a 5 MB file next to a real finding', function () {
    this.timeout(60_000);
    const root = workspace({
      Gemfile: GEMFILE,
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/initializers/blob.rb': Buffer.concat([Buffer.from('Rails.env\0\0'), Buffer.alloc(4096, 0xff)]),
      // Invalid UTF-8 around a real finding: analysed (with replacement characters), never fixed in place.
      'config/initializers/latin1.rb': Buffer.concat([Buffer.from('# caf\xe9 \xff\xfe\n', 'latin1'), Buffer.from(LOCKBOX.replace('lockbox, :master_key', 'stripe, :secret_key').replace('Lockbox.master_key', 'Stripe.api_key'))]),
      'config/initializers/bom.rb': '\ufeffconfig.x.partner_api_key = Rails.env.test? ? nil : Chamber.dig(:partner, :api_key)\n',
      'src/config.ts': 'const a = 1;\r\nexport const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");\r\n',
      'config/initializers/huge.rb': `${LOCKBOX}${'# padding padding padding padding padding padding padding padding\n'.repeat(80_000)}`,
    });
    const { report, run } = runJson(['.'], root);
    assert.equal(run.code, 1, run.stderr);
    const found = JSON.stringify(report.findings.map((f) => [f.path, f.line, f.ruleId]));
    const byPath = new Map<string, { line: number }[]>();
    for (const f of report.findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), { line: f.line }]);
    assert.deepEqual(byPath.get('config/initializers/lockbox.rb'), [{ line: 1 }], found);
    assert.deepEqual(byPath.get('config/initializers/latin1.rb'), [{ line: 2 }], found);
    assert.deepEqual(byPath.get('config/initializers/bom.rb'), [{ line: 1 }], found);
    assert.deepEqual(byPath.get('src/config.ts'), [{ line: 2 }], found);
    const skipped = new Map(report.skipped.map((s) => [s.path, s.reason]));
    assert.equal(skipped.get('config/initializers/blob.rb'), 'binary');
    assert.equal(skipped.get('config/initializers/huge.rb'), 'too-large');
    assert.deepEqual(report.errors, []);
    // The text report says why each one was skipped.
    const text = runCli(['.'], { cwd: root });
    assert.match(text.stderr, /^config\/initializers\/huge\.rb: skipped \(over 1 MiB: \d+ bytes\)$/m);
    assert.match(text.stderr, /^config\/initializers\/blob\.rb: skipped \(binary\)$/m);
  });

  test('10,000-deep nesting in Ruby and TypeScript', function () {
    this.timeout(60_000);
    const deep = 10_000;
    const root = workspace({
      Gemfile: GEMFILE,
      'config/initializers/lockbox.rb': LOCKBOX,
      'config/initializers/deep.rb': `Stripe.api_key = Rails.env.test? ? nil : ${'['.repeat(deep)}1${']'.repeat(deep)}\n${'if Rails.env.test?\n'.repeat(deep)}x = 1\n${'end\n'.repeat(deep)}`,
      'src/deep.ts': `export const k = process.env.NODE_ENV === "test" ? undefined : ${'('.repeat(deep)}1${')'.repeat(deep)};\n${'if (isTest) {\n'.repeat(deep)}${'}\n'.repeat(deep)}`,
    });
    const { report, run } = runJson(['.'], root);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(report.findings.some((f) => f.path === 'config/initializers/lockbox.rb' && f.ruleId === RULE));
    // Each deep file is either analysed or reported, never a crash of the whole run.
    for (const path of ['config/initializers/deep.rb', 'src/deep.ts']) {
      const accounted = report.errors.some((e) => e.path === path) || !report.skipped.some((s) => s.path === path);
      assert.ok(accounted, path);
    }
    assert.doesNotMatch(run.stderr, /RangeError|Maximum call stack/);
  });

  test('a file with 10,000 findings is reported in full', function () {
    this.timeout(90_000);
    let many = '';
    for (let i = 0; i < 10_000; i++) many += `config.x.partner${i}_api_key = Rails.env.test? ? nil : Chamber.dig(:partner, :api_key)\n`;
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/many.rb': many });
    const run = runCli(['--format', 'json', '--output', 'report.json', '--fail-on', 'warning', '.'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as JsonOutput;
    const lines = report.findings.filter((f) => f.path === 'config/initializers/many.rb' && f.ruleId === RULE).map((f) => f.line);
    assert.equal(lines.length, 10_000);
    assert.deepEqual(lines.slice(0, 3), [1, 2, 3]);
    assert.equal(lines.at(-1), 10_000);
  });

  test('symlink loops: a folder linked to its parent and two files linked to each other', function () {
    if (process.platform === 'win32') this.skip();
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/lockbox.rb': LOCKBOX });
    symlinkSync('..', join(root, 'config', 'loop'));
    mkdirSync(join(root, 'lib'));
    symlinkSync('b.rb', join(root, 'lib', 'a.rb'));
    symlinkSync('a.rb', join(root, 'lib', 'b.rb'));
    const { report, run } = runJson(['.'], root);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(
      report.findings.filter((f) => f.ruleId === RULE).map((f) => f.path),
      ['config/initializers/lockbox.rb'],
    );
    const skipped = report.skipped.filter((s) => s.path.startsWith('lib/')).map((s) => s.path).sort();
    assert.deepEqual(skipped, ['lib/a.rb', 'lib/b.rb']);
  });

  test('files deleted while the audit runs are reported as vanished', async () => {
    const files: Record<string, string> = { 'config/initializers/lockbox.rb': LOCKBOX };
    for (let i = 0; i < 20; i++) files[`lib/s${String(i).padStart(2, '0')}.rb`] = `module S${i}\n  VALUE = ${i}\nend\n`;
    const root = workspace(files);
    const doomed = [5, 6, 7].map((i) => join(root, `lib/s${String(i).padStart(2, '0')}.rb`));
    let deleted = false;
    const result = await audit({ root, targets: [{ path: root, kind: 'dir' }] }, new SourceCache(new FileAccess([root])), {
      workers: 0,
      onProgress: (done) => {
        // After discovery, while the first files are being read.
        if (done === 1 && !deleted) {
          deleted = true;
          for (const p of doomed) unlinkSync(p);
        }
      },
    });
    assert.ok(deleted);
    assert.deepEqual(
      result.skipped.map((s) => [s.path, s.reason]),
      doomed.map((p) => [p, 'vanished']),
    );
    assert.deepEqual(result.findings.map((f) => f.ruleId), [RULE]);
    assert.equal(result.files.length, 18);
    assert.deepEqual(result.errors, []);
  });
});
