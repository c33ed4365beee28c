// The VS Code client starts the server with --node-ipc; other editors use --stdio (the rest of
// the suite). Both must carry the whole conversation.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { LspServer, makeWorkspace, removeWorkspace } from './client';
import { LOCKBOX, LOCKBOX_PATH, RAILS_APP, RULE_ID } from './fixtures';

suite('lsp: transports', () => {
  for (const transport of ['node-ipc', 'stdio'] as const) {
    test(`--${transport}: initialize, diagnostics, shutdown and exit`, async () => {
      const root = makeWorkspace(RAILS_APP);
      const server = LspServer.start(transport);
      try {
        const init = await server.initialize(root);
        assert.equal(init.serverInfo?.name, 'initaudit');
        assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
        assert.deepEqual(init.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.initaudit'] });
        const doc = await server.open(join(root, LOCKBOX_PATH), 'ruby', LOCKBOX);
        const diagnostics = await server.waitForDiagnostics(doc.uri, doc.version);
        assert.deepEqual(diagnostics.map((d) => d.code), [RULE_ID]);
        // It asked to watch the files fixes depend on.
        await server.waitFor(() => server.serverRequests.find((m) => m === 'client/registerCapability'), 'file watcher registration');
      } finally {
        await server.dispose();
        removeWorkspace(root);
      }
      assert.equal(server.child.exitCode, 0, 'exits cleanly after shutdown + exit');
    });
  }
});
