// A fix's title names the other files it creates or edits, so nothing changes where the user is not looking.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixTitle } from '../../server/src/core/fix';
import type { Fix } from '../../server/src/core/types';

const root = join('/', 'w');
const at = (p: string): string => join(root, ...p.split('/'));
const edit = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'x' };

suite('fix titles', () => {
  test('a fix confined to its own file keeps its title', () => {
    const fix: Fix = { title: 'Use a transaction-scoped lock', isPreferred: true, changes: [{ kind: 'edit', path: at('src/jobs.ts'), edits: [edit] }] };
    assert.equal(fixTitle(fix, at('src/jobs.ts'), root), 'Use a transaction-scoped lock');
  });

  test('a created file and an edited one are named relative to the folder, inside the title\'s parenthesis', () => {
    const fix: Fix = {
      title: 'Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"])',
      isPreferred: true,
      changes: [
        { kind: 'edit', path: at('app/config/initializers/lockbox.rb'), edits: [edit] },
        { kind: 'create', path: at('app/config/environments/test.rb'), text: 'x\n' },
        // A second change to the created file is part of creating it.
        { kind: 'edit', path: at('app/config/environments/test.rb'), edits: [edit] },
      ],
    };
    assert.equal(fixTitle(fix, at('app/config/initializers/lockbox.rb'), root), 'Use an explicit env key (ENV["LOCKBOX_MASTER_KEY"]; also creates app/config/environments/test.rb)');
    const edits: Fix = { ...fix, title: 'Hold the lock', changes: [fix.changes[0]!, { kind: 'edit', path: at('app/spec/rails_helper.rb'), edits: [edit] }, { kind: 'create', path: at('app/.env.test'), text: '' }] };
    assert.equal(fixTitle(edits, at('app/config/initializers/lockbox.rb'), root), 'Hold the lock (also creates app/.env.test and edits app/spec/rails_helper.rb)');
  });

  test('a file the title already names is not named again', () => {
    const fix: Fix = {
      title: 'Add an explicit initializer (config/initializers/lockbox.rb)',
      isPreferred: true,
      changes: [
        { kind: 'create', path: at('shop/config/initializers/lockbox.rb'), text: 'x\n' },
        { kind: 'edit', path: at('shop/config/environments/test.rb'), edits: [edit] },
      ],
    };
    assert.equal(fixTitle(fix, at('shop/Gemfile'), root), 'Add an explicit initializer (config/initializers/lockbox.rb; also edits shop/config/environments/test.rb)');
  });
});
