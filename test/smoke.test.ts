import * as assert from 'node:assert/strict';
import { analyzeFile } from '../server/src/core/engine';
import { FileSystemWorkspace } from '../server/src/core/workspace';

suite('smoke', () => {
  test('engine runs', async () => {
    const r = await analyzeFile({ path: '/x/a.rb', text: 'x = Rails.env.test? ? nil : 1' }, new FileSystemWorkspace('/x'));
    assert.equal(r.parsed, true);
  });
});
