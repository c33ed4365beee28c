import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from the compiled test's location (build/test/...). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'grammars'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
  return dir;
}

export const FIXTURES = join(repoRoot(), 'test', 'fixtures');
