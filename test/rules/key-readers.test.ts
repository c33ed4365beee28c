// "Who else reads this key": the data behind the editor's hover on an ENV, Chamber or credentials read.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { keyReadersAt, keyReadsIn } from '../../server/src/core/rails/key-readers';
import { FileSystemWorkspace } from '../../server/src/core/workspace';

suite('key readers', () => {
  let root: string;
  const files: Record<string, string> = {
    Gemfile: 'source "https://rubygems.org"\ngem "lockbox"\ngem "chamber"\n',
    'app/models/user.rb': 'class User < ApplicationRecord\n  has_encrypted :email\nend\n',
    'config/initializers/lockbox.rb': 'Lockbox.master_key = ENV["LOCKBOX_MASTER_KEY"] || Chamber.dig(:lockbox, :master_key)\n',
    'lib/tasks/rotate.rake': 'OLD = Rails.application.credentials.lockbox[:master_key]\n',
    'config/storage.yml': 'amazon:\n  secret: <%= Rails.application.credentials.dig(:aws, :secret_access_key) %>\n',
  };

  suiteSetup(() => {
    root = mkdtempSync(join(tmpdir(), 'initaudit-keys-'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
  });
  suiteTeardown(() => rmSync(root, { recursive: true, force: true }));

  test('ENV, Chamber and credentials forms of one key are the same key', () => {
    const reads = keyReadsIn(files['config/initializers/lockbox.rb']! + files['lib/tasks/rotate.rake']!);
    assert.deepEqual(
      reads.map((r) => [r.source, r.key, r.display]),
      [
        ['env', 'LOCKBOX_MASTER_KEY', 'ENV["LOCKBOX_MASTER_KEY"]'],
        ['chamber', 'LOCKBOX_MASTER_KEY', 'Chamber.dig(:lockbox, :master_key)'],
        ['credentials', 'LOCKBOX_MASTER_KEY', 'Rails.application.credentials.dig(:lockbox, :master_key)'],
      ],
    );
  });

  test('hovering the Chamber read lists the ENV read, the rake task and the gem convention', () => {
    const path = join(root, 'config/initializers/lockbox.rb');
    const text = files['config/initializers/lockbox.rb']!;
    const r = keyReadersAt(new FileSystemWorkspace(root), path, text, { line: 0, character: text.indexOf('Chamber') + 3 });
    assert.ok(r);
    assert.equal(r.key, 'LOCKBOX_MASTER_KEY');
    assert.equal(r.at.display, 'Chamber.dig(:lockbox, :master_key)');
    assert.deepEqual(
      r.places.map((p) => [p.path.slice(root.length + 1), p.range.start.line, p.display]),
      [
        ['config/initializers/lockbox.rb', 0, 'ENV["LOCKBOX_MASTER_KEY"]'],
        ['lib/tasks/rotate.rake', 0, 'Rails.application.credentials.dig(:lockbox, :master_key)'],
      ],
    );
    assert.equal(r.conventions.length, 1);
    assert.match(r.conventions[0]!, /^Lockbox\.master_key \(lockbox gem\): `ENV\["LOCKBOX_MASTER_KEY"\]`, then credentials/);
  });

  test('no key under the cursor: nothing', () => {
    const text = files['config/initializers/lockbox.rb']!;
    assert.equal(keyReadersAt(new FileSystemWorkspace(root), join(root, 'config/initializers/lockbox.rb'), text, { line: 0, character: 2 }), undefined);
  });
});
