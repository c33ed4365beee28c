import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export const hasRuby = spawnSync('ruby', ['-v']).status === 0;

/** `ruby -c` on a file: Ruby's own view of BOMs, line endings and __END__. In CI Ruby must be there (.ci/run installs it). */
export function rubyOk(path: string): void {
  if (!hasRuby) {
    if (process.env['CI']) assert.fail('ruby is not installed (.ci/run installs it)');
    return;
  }
  const r = spawnSync('ruby', ['-c', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `ruby -c ${path}: ${r.stderr}`);
}
