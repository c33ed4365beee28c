// Suppression directives as the CLI and the editor both apply them (core/policy.ts), and the
// edits behind "Disable <rule> for this line / file".

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../server/src/core/config/schema';
import { analyzeFile } from '../../server/src/core/engine';
import { Policy } from '../../server/src/core/policy';
import { disableForFileEdit, disableForLineEdit, parseDirectives } from '../../server/src/core/suppressions';
import { applyEdits } from '../../server/src/core/text';
import type { Finding } from '../../server/src/core/types';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

const ROOT = '/app';
const RB = join(ROOT, 'config/initializers/lockbox.rb');
const TS = join(ROOT, 'src/config.ts');
const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)';
const TS_LINE = 'export const stripeKey = process.env.NODE_ENV === "test" ? undefined : secrets.get("stripe");';

async function findings(path: string, text: string, config: Partial<Config> = {}): Promise<Finding[]> {
  const policy = new Policy(ROOT, { ...DEFAULT_CONFIG, ...config });
  const result = await analyzeFile({ path, text }, new FileSystemWorkspace(ROOT, () => undefined), { policy });
  assert.deepEqual(result.errors, []);
  return result.findings;
}

const summary = (fs: Finding[]): string[] => fs.map((f) => `${f.range.start.line + 1} ${f.ruleId}: ${f.message}`);

suite('suppressions', () => {
  test('without a directive the finding is reported (the baseline for the tests below)', async () => {
    assert.deepEqual((await findings(RB, `${LOCKBOX}\n`)).map((f) => f.ruleId), ['env-forked-nil-secret']);
  });

  test('a Ruby disable-next-line directive with a reason silences the finding on the next line only', async () => {
    const stripe = 'Stripe.api_key = Rails.env.test? ? nil : Chamber.dig(:stripe, :api_key)';
    const text = `# initaudit:disable-next-line env-forked-nil-secret -- set by CI\n${LOCKBOX}\n\n${stripe}\n`;
    const got = await findings(RB, text);
    assert.deepEqual(got.map((f) => f.range.start.line), [3]);
  });

  test('a directive on a code line or inside a string does not count', async () => {
    const text = `x = "# initaudit:disable-next-line env-forked-nil-secret"\n${LOCKBOX}\n`;
    assert.deepEqual((await findings(RB, text)).map((f) => f.ruleId), ['env-forked-nil-secret']);
  });

  test('the TypeScript form uses // and initaudit-; the file form silences the rule everywhere in the file', async () => {
    assert.deepEqual(await findings(TS, `// initaudit-disable-next-line env-forked-nil-secret -- mocked\n${TS_LINE}\n`), []);
    assert.deepEqual(await findings(TS, `// initaudit-disable-file env-forked-nil-secret\n\n${TS_LINE}\n${TS_LINE.replace('stripeKey', 'other')}\n`), []);
    // A Ruby comment marker means nothing in TypeScript.
    assert.equal((await findings(TS, `/* x */\n// not a directive: # initaudit:disable-next-line env-forked-nil-secret\n${TS_LINE}\n`)).length, 1);
  });

  test('several rule ids in one directive; one that silences nothing is reported as unused, with a fix removing just it', async () => {
    const text = `# initaudit:disable-next-line implicit-gem-key-lookup, env-forked-nil-secret -- legacy\n${LOCKBOX}\n`;
    const got = await findings(RB, text);
    assert.deepEqual(summary(got), ['1 unused-suppression: Unused suppression: "implicit-gem-key-lookup" reports nothing on the next line.']);
    const unused = got[0] as Finding;
    assert.equal(text.slice(30, 30 + 'implicit-gem-key-lookup'.length), 'implicit-gem-key-lookup');
    assert.deepEqual(unused.range, { start: { line: 0, character: 30 }, end: { line: 0, character: 53 } });
    const fix = unused.fixes[0];
    assert.ok(fix?.isPreferred);
    const change = fix.changes[0];
    assert.ok(change?.kind === 'edit');
    const fixed = applyEdits(text, change.edits);
    assert.equal(fixed, `# initaudit:disable-next-line env-forked-nil-secret -- legacy\n${LOCKBOX}\n`);
    assert.deepEqual(await findings(RB, fixed), []);
  });

  test('a directive that silences nothing is removed whole by its fix; unknown and missing rule ids are reported', async () => {
    const text = `Rails.application.configure do\n  # initaudit:disable-next-line env-forked-nil-secret\n  config.x = 1\nend\n`;
    const [unused] = await findings(RB, text);
    assert.match(unused?.message ?? '', /reports nothing on the next line/);
    const change = unused?.fixes[0]?.changes[0];
    assert.ok(change?.kind === 'edit');
    assert.equal(applyEdits(text, change.edits), 'Rails.application.configure do\n  config.x = 1\nend\n');

    const unknown = await findings(RB, `# initaudit:disable-next-line env-forked-nil-secert\n${LOCKBOX}\n`);
    assert.deepEqual(summary(unknown), ['1 unused-suppression: Unknown rule "env-forked-nil-secert" in this initaudit directive, so it disables nothing.', `2 env-forked-nil-secret: ${unknown[1]?.message ?? ''}`]);

    const none = await findings(RB, `# initaudit:disable-next-line -- no ids\n${LOCKBOX}\n`);
    assert.equal(none.length, 2);
    assert.match(none[0]?.message ?? '', /names no rule/);
  });

  test('configuration: rules off, severity overrides, unused-suppression off, excludes', async () => {
    assert.deepEqual(await findings(RB, `${LOCKBOX}\n`, { rules: { 'env-forked-nil-secret': 'off' } }), []);
    // A directive for a rule turned off is not "unused": the rule did not run.
    assert.deepEqual(await findings(RB, `# initaudit:disable-next-line env-forked-nil-secret\nx = 1\n`, { rules: { 'env-forked-nil-secret': 'off' } }), []);
    assert.deepEqual((await findings(RB, `${LOCKBOX}\n`, { rules: { 'env-forked-nil-secret': 'hint' } })).map((f) => f.severity), ['hint']);
    assert.deepEqual(await findings(RB, `# initaudit:disable-next-line bogus\nx = 1\n`, { rules: { 'unused-suppression': 'off' } }), []);
    assert.deepEqual(await findings(RB, `${LOCKBOX}\n`, { exclude: ['config/initializers'] }), []);
    assert.deepEqual(await findings(RB, `${LOCKBOX}\n`, { exclude: ['**/lock*.rb'] }), []);
    assert.equal((await findings(RB, `${LOCKBOX}\n`, { exclude: ['lockbox.rb'] })).length, 1, 'patterns are relative to the root');
  });

  test('parseDirectives gives ids with UTF-16 ranges and the reason', () => {
    const [d] = parseDirectives('  # initaudit:disable-file a-rule,b-rule -- why not 😀\n', 'ruby');
    assert.equal(d?.kind, 'file');
    assert.deepEqual(d?.rules.map((r) => [r.id, r.range.start.character, r.range.end.character]), [
      ['a-rule', 27, 33],
      ['b-rule', 34, 40],
    ]);
    assert.equal(d?.reason, 'why not 😀');
  });
});

suite('suppression edits', () => {
  test('"Disable for this line" inserts a directive with the line\'s indentation and the file\'s line endings', () => {
    const text = 'Rails.application.configure do\r\n  config.x = Rails.env.test? ? nil : 1\r\nend\r\n';
    const edit = disableForLineEdit(text, 'ruby', 'env-forked-nil-secret', 1);
    assert.ok(edit);
    assert.equal(applyEdits(text, [edit]), 'Rails.application.configure do\r\n  # initaudit:disable-next-line env-forked-nil-secret\r\n  config.x = Rails.env.test? ? nil : 1\r\nend\r\n');
  });

  test('"Disable for this line" merges into the directive above, keeps its reason, and is idempotent', () => {
    const text = '  // initaudit-disable-next-line implicit-gem-key-lookup -- legacy\n  const a = 1;\n';
    const edit = disableForLineEdit(text, 'typescript', 'env-forked-nil-secret', 1);
    assert.ok(edit);
    const merged = applyEdits(text, [edit]);
    assert.equal(merged, '  // initaudit-disable-next-line implicit-gem-key-lookup, env-forked-nil-secret -- legacy\n  const a = 1;\n');
    assert.equal(disableForLineEdit(merged, 'typescript', 'env-forked-nil-secret', 1), undefined);
  });

  test('"Disable for this file" goes after the shebang and magic comments, or merges into an existing directive', () => {
    const text = '#!/usr/bin/env ruby\n# frozen_string_literal: true\n\nLockbox.master_key = 1\n';
    const edit = disableForFileEdit(text, 'ruby', 'env-forked-nil-secret');
    assert.ok(edit);
    const once = applyEdits(text, [edit]);
    assert.equal(once, '#!/usr/bin/env ruby\n# frozen_string_literal: true\n# initaudit:disable-file env-forked-nil-secret\n\nLockbox.master_key = 1\n');
    const again = disableForFileEdit(once, 'ruby', 'implicit-gem-key-lookup');
    assert.ok(again);
    assert.equal(applyEdits(once, [again]).split('\n')[2], '# initaudit:disable-file env-forked-nil-secret, implicit-gem-key-lookup');
    assert.equal(disableForFileEdit(once, 'ruby', 'env-forked-nil-secret'), undefined);
    assert.equal(applyEdits('', [disableForFileEdit('', 'typescript', 'x') as never]), '// initaudit-disable-file x\n');
  });
});
