// The server's start through V8's code cache (lsp/start.ts), as the extension starts it: the first
// start in an empty cache folder writes the cache (readable by the user only), later starts read
// it, and a damaged or foreign cache file costs nothing but the cache. Every start must publish
// the same diagnostics as a start without any cache.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspServer, makeWorkspace, removeWorkspace } from './client';

const LOCKBOX = 'Lockbox.master_key = Rails.env.test? ? nil : Chamber.dig(:lockbox, :master_key)\n';

suite('language server code cache', function () {
  this.timeout(60_000);
  let root: string;
  let cache: string;

  setup(() => {
    root = makeWorkspace({ Gemfile: 'source "https://rubygems.org"\ngem "rails"\ngem "lockbox"\n', 'config/initializers/lockbox.rb': LOCKBOX });
    cache = join(mkdtempSync(join(tmpdir(), 'initaudit-code-cache-')), 'code-cache');
  });

  teardown(() => {
    removeWorkspace(root);
    rmSync(join(cache, '..'), { recursive: true, force: true });
  });

  /** One start: the diagnostics of the lockbox initializer, as JSON, after a clean shutdown. */
  async function diagnosticsOfOneStart(env?: Record<string, string>): Promise<string> {
    const server = LspServer.start('stdio', env);
    try {
      await server.initialize(root);
      const doc = await server.open(join(root, 'config/initializers/lockbox.rb'), 'ruby', LOCKBOX);
      const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
      assert.ok(diagnostics.length > 0, 'the initializer has a finding');
      return JSON.stringify(diagnostics);
    } finally {
      await server.dispose();
    }
  }

  const cacheFiles = (): string[] => readdirSync(cache).filter((name) => name.endsWith('.bin'));

  test('the first start writes the cache, readable by the user only; later starts publish the same diagnostics as a start without it', async () => {
    const without = await diagnosticsOfOneStart();
    assert.equal(await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: cache }), without);
    const files = cacheFiles();
    assert.equal(files.length, 1, `one cache file, got ${files.join(', ')}`);
    const written = statSync(join(cache, files[0]!));
    assert.ok(written.size > 100_000, `a cache of the bundle, not ${written.size} bytes`);
    if (process.platform !== 'win32') assert.equal(written.mode & 0o077, 0, 'no access for group or others');
    for (let i = 0; i < 2; i++) assert.equal(await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: cache }), without);
    // Read, not rewritten, by the starts that used it.
    assert.equal(statSync(join(cache, files[0]!)).mtimeMs, written.mtimeMs);
  });

  test('a damaged cache file is replaced and the server starts as without one', async () => {
    const without = await diagnosticsOfOneStart();
    await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: cache });
    const [file] = cacheFiles();
    writeFileSync(join(cache, file!), Buffer.alloc(4096, 7));
    assert.equal(await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: cache }), without);
    assert.ok(statSync(join(cache, file!)).size > 100_000, 'rewritten from the start that could not use it');
    assert.equal(await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: cache }), without);
  });

  test('a cache folder that cannot be created does not stop the server', async () => {
    const blocker = join(cache, '..', 'not-a-folder');
    writeFileSync(blocker, '');
    assert.equal(await diagnosticsOfOneStart({ INITAUDIT_CODE_CACHE: join(blocker, 'code-cache') }), await diagnosticsOfOneStart());
  });
});
