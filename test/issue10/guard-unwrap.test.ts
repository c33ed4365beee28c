// Unwrapping a guard through the real --fix (issue 10, cases 4 and 5): comments of every kind and
// the bodies of strings and heredocs survive byte for byte, in a CRLF file indented with tabs, and
// the result passes `ruby -c`. (The fixture trees guard-keeps-* in test/fixtures/fixes show the
// exact expected texts; unwrap-property.test.ts generates many more shapes.)

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeWorkspaces, runCli, workspace } from '../cli/helpers';
import { rubyOk } from '../support/ruby';

const GEMFILE = 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n';


function crlf(lines: string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

suite('issue 10: unwrapping a guard keeps comments and strings', () => {
  suiteTeardown(removeWorkspaces);

  test('case 4: every comment of the block survives, in a CRLF file indented with tabs', function () {
    this.timeout(30_000);
    const before = crlf([
      'Rails.application.configure do',
      '\tunless Rails.env.test? # not in CI',
      '\t\t# Rotated yearly.',
      '\t\tLockbox.master_key = Chamber.dig(:lockbox, :master_key) # 64 hex characters',
      '=begin',
      '\t\tThe old key lived in ENV["LOCKBOX_KEY"].',
      '=end',
      '\t\t# trailing comment',
      '\tend # unless test',
      'end',
    ]);
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/lockbox.rb': before });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const after = readFileSync(join(root, 'config/initializers/lockbox.rb'), 'utf8');
    assert.equal(
      after,
      crlf([
        'Rails.application.configure do',
        '\t# not in CI',
        '\t# Rotated yearly.',
        '\tLockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key) # 64 hex characters',
        '=begin',
        '\t\tThe old key lived in ENV["LOCKBOX_KEY"].',
        '=end',
        '\t# trailing comment',
        '\t# unless test',
        'end',
      ]),
    );
    rubyOk(join(root, 'config/initializers/lockbox.rb'));
  });

  test('case 5: heredoc and multi-line string bodies are not re-indented; <<~ keeps its relative indentation', function () {
    this.timeout(30_000);
    const body = [
      '\tLockbox.master_key = Chamber.dig(:lockbox, :master_key)',
      '\tMailer.banner = <<-TXT',
      '\t\tDear customer,',
      '\t  (two spaces after a tab)',
      '\t\tTXT',
      '\tMailer.footer = <<FOOTER',
      '\tsent by the mailer',
      'FOOTER',
      '\tMailer.query = <<~SQL',
      '\t\tSELECT 1',
      '\t\t\tFROM dual',
      '\tSQL',
      '\tMailer.greeting = "Hello,',
      '\t\tteam"',
    ];
    const before = crlf(['if Rails.env.production?', ...body, 'end']);
    const root = workspace({ Gemfile: GEMFILE, 'config/initializers/mailer.rb': before });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const after = readFileSync(join(root, 'config/initializers/mailer.rb'), 'utf8');
    // Code lines lose the guard's tab; every line inside a string is kept as written.
    const expected = body.map((l, i) => ([0, 1, 5, 8, 12].includes(i) ? l.slice(1) : l));
    expected[0] = 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key)';
    assert.equal(after, crlf(expected));
    rubyOk(join(root, 'config/initializers/mailer.rb'));
  });

  test('case 5 in TypeScript: a multi-line template literal keeps its text', function () {
    this.timeout(30_000);
    const before = [
      "import { readSecret } from './secrets';",
      'export const settings: Record<string, string | undefined> = {};',
      "if (process.env.NODE_ENV === 'production') {",
      "    settings.stripeSecretKey = readSecret('stripe_secret_key');",
      '    settings.receipt = `Thanks for your order.',
      '        Questions? Reply to this mail.`;',
      '}',
      '',
    ].join('\n');
    const root = workspace({ 'package.json': '{"name": "shop"}\n', 'src/config.ts': before });
    const run = runCli(['--fix', '.'], { cwd: root });
    assert.notEqual(run.code, 2, run.stderr);
    const after = readFileSync(join(root, 'src/config.ts'), 'utf8');
    assert.match(after, /\nsettings\.receipt = `Thanks for your order\.\n {8}Questions\? Reply to this mail\.`;\n$/);
    assert.match(after, /\nsettings\.stripeSecretKey = process\.env\.\w+ \?\? readSecret\('stripe_secret_key'\);\n/);
  });
});
