// Ranges are UTF-16 code units, the unit LSP uses: emoji (two units) and CJK (one unit each)
// before a finding on the same line must shift its column by exactly that much.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { analyzeFile } from '../../server/src/core/engine';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

async function findingsOf(path: string, text: string) {
  const r = await analyzeFile({ path, text }, new FileSystemWorkspace('/app'));
  return r.findings;
}

suite('positions are UTF-16', () => {
  test('Ruby: a pair key after emoji and CJK on the same line', async () => {
    const prefix = 'SETTINGS = { "日本😀" => 1, ';
    const text = `# 😀 日本語のコメント\n${prefix}api_key: Rails.env.test? ? nil : ENV["MAILGUN_API_KEY"] }\n`;
    const [f, ...rest] = await findingsOf('/app/config/initializers/mailgun.rb', text);
    assert.equal(rest.length, 0);
    assert.ok(f);
    // 日本 is 2 code units, 😀 is 2: the key starts at prefix.length in UTF-16 units.
    assert.deepEqual(f.range, { start: { line: 1, character: prefix.length }, end: { line: 1, character: prefix.length + 'api_key'.length } });
    assert.equal(prefix.length, 26);
  });

  test('TypeScript: a declarator after an emoji comment on the same line', async () => {
    const prefix = '/* 🔑 鍵 */ export const ';
    const text = `// 😀\n${prefix}apiKey = process.env.NODE_ENV === "test" ? undefined : process.env.API_KEY;\n`;
    const [f] = await findingsOf('/app/src/config.ts', text);
    assert.ok(f);
    assert.deepEqual(f.range.start, { line: 1, character: prefix.length });
    assert.equal(f.range.end.character - f.range.start.character, 'apiKey'.length);
  });

  test('CRLF line breaks do not shift lines or columns', async () => {
    const text = '# 😀\r\n\r\nLockbox.master_key = Rails.env.test? ? nil : ENV["LOCKBOX_MASTER_KEY"]\r\n';
    const [f] = await findingsOf('/app/config/initializers/lockbox.rb', text);
    assert.ok(f);
    assert.deepEqual(f.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 'Lockbox.master_key'.length } });
  });
});
