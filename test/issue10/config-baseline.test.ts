// The config and the baseline (issue 10, cases 8 and 16): a huge config is a config error, not
// an exhausted heap; a file that is not a baseline is never quoted in the error.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { parseBaseline } from '../../server/src/core/baseline';
import { removeWorkspaces, runCli, workspace } from '../cli/helpers';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';
const KEY = 'c0ffee5ecret0123456789abcdef0123';

suite('issue 10: config and baseline', () => {
  suiteTeardown(removeWorkspaces);

  test('--baseline naming a key file says it is not a baseline without quoting a byte of it', function () {
    this.timeout(30_000);
    const root = workspace({ 'config/master.key': `${KEY}\n`, 'config/initializers/lockbox.rb': LOCKBOX, 'notes.json': `{"a": 1,\n "b": ${KEY}}\n` });
    for (const file of ['config/master.key', 'notes.json']) {
      const run = runCli(['--baseline', file, '.'], { cwd: root });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /: not valid JSON \(line \d+, column \d+\)/);
      for (const part of [KEY.slice(0, 6), 'c0ffee', 'ecret']) assert.ok(!run.stderr.includes(part), `${file}: the error quotes the file: ${run.stderr}`);
    }
    assert.throws(() => parseBaseline(`${KEY}`), (e: Error) => !e.message.includes('c0ffee') && /not valid JSON/.test(e.message));
  });

  test('a 33 MB .initaudit.yml is one config error, at once', function () {
    this.timeout(60_000);
    const entries = Array.from({ length: 1_500_000 }, (_, i) => `  - legacy/generated/file-${i}.rb`).join('\n');
    const root = workspace({ '.initaudit.yml': `exclude:\n${entries}\n`, 'config/initializers/lockbox.rb': LOCKBOX });
    const run = runCli(['.'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\.initaudit\.yml:1:1 cannot read the config file: too large: \d+ bytes, at most 262144/);
  });
});
