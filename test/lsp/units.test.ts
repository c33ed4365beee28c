// The server's pure pieces, in-process: where a document is rooted, how untitled buffers are
// named, and how a fix becomes a WorkspaceEdit for clients with different capabilities.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Fix } from '../../server/src/core/types';
import { workspaceEditFor, wantsQuickFixes, type FixTarget } from '../../server/src/lsp/codeActions';
import type { ClientFeatures } from '../../server/src/lsp/protocol';
import { filePathOf, syntheticPathOf } from '../../server/src/lsp/uris';
import { WorkspaceFolders } from '../../server/src/lsp/workspaceFolders';

const FULL: ClientFeatures = { documentChanges: true, createFiles: true, watchedFilesRegistration: true, workspaceFolders: true };
const CHANGES_ONLY: ClientFeatures = { ...FULL, documentChanges: false, createFiles: false };
const at = (line: number, character: number): { line: number; character: number } => ({ line, character });
const edit = (newText: string) => ({ range: { start: at(0, 0), end: at(0, 0) }, newText });

function target(existing: string[], open: Record<string, number> = {}, path = '/w/a.rb', synthetic = false): FixTarget {
  return {
    path,
    synthetic,
    root: '/w',
    uriOf: (p) => (synthetic && p === path ? 'untitled:Untitled-1' : pathToFileURL(p).href),
    versionOf: (p) => open[p] ?? null,
    exists: (p) => existing.includes(p) || p in open,
  };
}

suite('lsp units', () => {
  test('a document is rooted in its innermost workspace folder, else its own directory', () => {
    const folders = new WorkspaceFolders();
    folders.reset([{ uri: pathToFileURL('/w/app').href, name: 'app' }, { uri: pathToFileURL('/w/app/engines/billing').href, name: 'billing' }], null);
    assert.equal(folders.rootFor('/w/app/config/initializers/a.rb'), '/w/app');
    assert.equal(folders.rootFor('/w/app/engines/billing/config/x.rb'), '/w/app/engines/billing');
    // A sibling whose name merely starts the same is not inside.
    assert.equal(folders.rootFor('/w/app2/config/x.rb'), '/w/app2/config');
    folders.remove(pathToFileURL('/w/app/engines/billing').href);
    assert.equal(folders.rootFor('/w/app/engines/billing/config/x.rb'), '/w/app');
    folders.reset(undefined, pathToFileURL('/r').href);
    assert.equal(folders.rootFor('/r/x.ts'), '/r');
    assert.equal(folders.first, '/r');
  });

  test('URIs: file URIs map to paths; others get a synthetic path with the language\'s extension', () => {
    assert.equal(filePathOf(pathToFileURL('/w/a b/ü.rb').href), '/w/a b/ü.rb');
    assert.equal(filePathOf('untitled:Untitled-1'), undefined);
    assert.equal(filePathOf('file://remote-host/x.rb'), process.platform === 'win32' ? '\\\\remote-host\\x.rb' : undefined);
    assert.equal(syntheticPathOf('untitled:Untitled-1', 'ruby', '/w'), join('/w', 'Untitled-1.rb'));
    assert.equal(syntheticPathOf('untitled:/weird/na me.ts', 'typescript', '/w'), join('/w', 'na_me.ts'));
    assert.equal(syntheticPathOf('untitled:notes', 'markdown', '/w'), join('/w', 'notes'));
  });

  test('quick fixes are offered unless the request asks for other kinds only', () => {
    assert.ok(wantsQuickFixes(undefined));
    assert.ok(wantsQuickFixes(['quickfix']));
    assert.ok(!wantsQuickFixes(['quickfix.other']));
    assert.ok(!wantsQuickFixes(['refactor', 'source']));
  });

  test('workspace edits mirror applyFixChanges: no re-creating existing files, no editing missing ones', () => {
    const fix: Fix = {
      title: 't',
      isPreferred: true,
      changes: [
        { kind: 'edit', path: '/w/a.rb', edits: [edit('A')] },
        { kind: 'create', path: '/w/test.rb', text: 'T\n' },
        { kind: 'edit', path: '/w/test.rb', edits: [edit('U')] },
        { kind: 'edit', path: '/w/missing.rb', edits: [edit('M')] },
        { kind: 'edit', path: '/w/a.rb', edits: [edit('B')] },
      ],
    };
    const created = workspaceEditFor(fix, target([], { '/w/a.rb': 7 }), FULL);
    // Creations first, then the text edits in order: VS Code undoes one run of text edits as one step.
    assert.deepEqual(created?.documentChanges, [
      { kind: 'create', uri: 'file:///w/test.rb', options: { ignoreIfExists: true } },
      { textDocument: { uri: 'file:///w/a.rb', version: 7 }, edits: [edit('A')] },
      { textDocument: { uri: 'file:///w/test.rb', version: null }, edits: [edit('T\n')] },
      // Edits after the first one of a document carry no version: the first has changed it.
      { textDocument: { uri: 'file:///w/test.rb', version: null }, edits: [edit('U')] },
      { textDocument: { uri: 'file:///w/a.rb', version: null }, edits: [edit('B')] },
    ]);

    const existing = workspaceEditFor(fix, target(['/w/test.rb'], { '/w/a.rb': 7 }), FULL);
    assert.ok(!existing?.documentChanges?.some((c) => 'kind' in c), 'test.rb exists: nothing to create');

    // `changes` cannot express a file creation nor two successive edits of one file.
    assert.equal(workspaceEditFor(fix, target([], { '/w/a.rb': 7 }), CHANGES_ONLY), undefined);
    assert.equal(workspaceEditFor(fix, target(['/w/test.rb'], { '/w/a.rb': 7 }), CHANGES_ONLY), undefined);
    const simple: Fix = { title: 't', isPreferred: true, changes: [{ kind: 'edit', path: '/w/a.rb', edits: [edit('A')] }, { kind: 'edit', path: '/w/test.rb', edits: [edit('U')] }] };
    assert.deepEqual(workspaceEditFor(simple, target(['/w/test.rb'], { '/w/a.rb': 7 }), CHANGES_ONLY), {
      changes: { 'file:///w/a.rb': [edit('A')], 'file:///w/test.rb': [edit('U')] },
    });
    // documentChanges without the create operation: fine for plain edits, not for creations.
    const noCreate = { ...FULL, createFiles: false };
    assert.ok(workspaceEditFor(simple, target(['/w/test.rb'], { '/w/a.rb': 7 }), noCreate)?.documentChanges);
    assert.equal(workspaceEditFor(fix, target([], { '/w/a.rb': 7 }), noCreate), undefined);
  });

  test('an untitled buffer gets only fixes confined to itself, addressed by its own URI', () => {
    const own: Fix = { title: 't', isPreferred: true, changes: [{ kind: 'edit', path: '/w/Untitled-1.rb', edits: [edit('A')] }] };
    const t = target([], { '/w/Untitled-1.rb': 3 }, '/w/Untitled-1.rb', true);
    assert.deepEqual(workspaceEditFor(own, t, FULL)?.documentChanges, [{ textDocument: { uri: 'untitled:Untitled-1', version: 3 }, edits: [edit('A')] }]);
    const wider: Fix = { ...own, changes: [...own.changes, { kind: 'create', path: '/w/config/environments/test.rb', text: 'x' }] };
    assert.equal(workspaceEditFor(wider, t, FULL), undefined);
  });
});
