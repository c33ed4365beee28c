// Wires the protocol to the document store, the analyzer and the code actions.

import { tmpdir } from 'node:os';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import { isLoaded } from '../core/parser';
import { Analyzer } from './analysis';
import { codeActionsFor, wantsQuickFixes } from './codeActions';
import { toDiagnostic } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { clientFeatures, describeError, SHOW_FIX_NOTE_COMMAND, type ClientFeatures, type Logger } from './protocol';
import { filePathOf, fileUriOf, syntheticPathOf } from './uris';
import { ValidationQueue } from './validationQueue';
import { WorkspaceFolders } from './workspaceFolders';

/** Files whose content can change a finding or a fix elsewhere (test.rb, a test setup file, ...). */
const WATCHED_GLOBS = ['**/*.{rb,rake,ru,gemspec,ts,mts,cts,tsx,js,jsx,mjs,cjs}', '**/{Gemfile,Rakefile}', '**/package.json'];

export function startServer(connection: Connection, log: Logger): void {
  const documents = new DocumentStore();
  const folders = new WorkspaceFolders();
  const analyzer = new Analyzer(documents, folders, log);
  const queue = new ValidationQueue(validate);
  /** What was last sent per document, to skip resending identical diagnostics. */
  const published = new Map<string, string>();
  let features: ClientFeatures = clientFeatures({});

  const uriOf = (path: string): string => documents.getByPath(path)?.uri ?? fileUriOf(path);

  /** The open documents, `first` ahead of the rest: a change can alter findings or fixes in any of them. */
  const allOpen = (first?: string): string[] => [...(first ? [first] : []), ...documents.all().map((d) => d.uri)];

  async function validate(uri: string): Promise<void> {
    let doc = documents.get(uri);
    if (!doc) return;
    const path = doc.path;
    try {
      if (doc.lang && !isLoaded(doc.lang)) {
        if (!(await analyzer.loadGrammar(doc.lang))) return;
        // Closed, reopened or edited while the grammar loaded: analyse whatever is current now.
        doc = documents.get(uri);
        if (!doc) return;
      }
      const version = doc.text.version;
      const result = analyzer.analyze(doc);
      // Analysis is synchronous today; the check keeps stale results out if that changes.
      if (!result || documents.get(uri) !== doc || doc.text.version !== version) return;
      publish(doc, result.findings.map((f) => toDiagnostic(f, uriOf)));
    } catch (e) {
      log.error(`initaudit: ${path}: validation failed: ${describeError(e)}`);
    }
  }

  function publish(doc: OpenDocument, diagnostics: Diagnostic[]): void {
    const params = { uri: doc.uri, version: doc.text.version, diagnostics };
    const key = JSON.stringify(params);
    if (published.get(doc.uri) === key) return;
    published.set(doc.uri, key);
    void connection.sendDiagnostics(params).catch((e: unknown) => log.error(`initaudit: ${doc.path}: cannot publish diagnostics: ${describeError(e)}`));
  }

  async function codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    let doc = documents.get(uri);
    if (!doc?.lang || !wantsQuickFixes(params.context.only) || params.context.diagnostics.length === 0) return [];
    try {
      if (!isLoaded(doc.lang) && !(await analyzer.loadGrammar(doc.lang))) return [];
      doc = documents.get(uri);
      if (!doc) return [];
      // Recomputed rather than cached: an earlier fix may have changed the files this one edits.
      const result = analyzer.analyze(doc);
      if (!result) return [];
      const workspace = analyzer.workspaceFor(doc);
      return codeActionsFor(
        result.findings,
        params.context,
        {
          path: doc.path,
          synthetic: doc.synthetic,
          uriOf,
          versionOf: (path) => documents.getByPath(path)?.text.version ?? null,
          exists: (path) => workspace.fileExists(path),
        },
        features,
      );
    } catch (e) {
      log.error(`initaudit: ${doc?.path ?? uri}: code actions failed: ${describeError(e)}`);
      return [];
    }
  }

  /** Runs a notification handler; a failure is logged against the document and goes no further. */
  function guarded(what: string, uri: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      log.error(`initaudit: ${documents.get(uri)?.path ?? filePathOf(uri) ?? uri}: ${what} failed: ${describeError(e)}`);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    features = clientFeatures(params.capabilities);
    folders.reset(params.workspaceFolders, params.rootUri);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [SHOW_FIX_NOTE_COMMAND] },
        ...(features.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'initaudit' },
    };
  });

  connection.onInitialized(() => {
    if (features.watchedFilesRegistration) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch((e: unknown) => log.error(`initaudit: cannot register file watchers: ${describeError(e)}`));
    }
    if (features.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) folders.remove(f.uri);
        for (const f of e.added) folders.add(f.uri);
        queue.schedule(allOpen());
      });
    }
  });

  connection.onDidOpenTextDocument(({ textDocument: td }) =>
    guarded('open', td.uri, () => {
      const filePath = filePathOf(td.uri);
      const path = filePath ?? syntheticPathOf(td.uri, td.languageId, folders.first ?? tmpdir());
      documents.open(td.uri, path, filePath === undefined, td.languageId, td.version, td.text);
      queue.schedule(allOpen(td.uri));
    }),
  );

  connection.onDidChangeTextDocument(({ textDocument: td, contentChanges }) => {
    guarded('change', td.uri, () => documents.change(td.uri, td.version, contentChanges));
    // Even after a failed tree edit the text is current (the tree is reparsed from scratch).
    if (documents.get(td.uri)) queue.schedule(allOpen(td.uri));
  });

  connection.onDidCloseTextDocument(({ textDocument: td }) =>
    guarded('close', td.uri, () => {
      documents.close(td.uri);
      queue.cancel(td.uri);
      published.delete(td.uri);
      void connection.sendDiagnostics({ uri: td.uri, diagnostics: [] }).catch((e: unknown) => log.error(`initaudit: ${td.uri}: cannot clear diagnostics: ${describeError(e)}`));
      // Its file on disk, not the closed buffer, is what other documents see now.
      queue.schedule(allOpen());
    }),
  );

  connection.onDidChangeWatchedFiles(() => queue.schedule(allOpen()));

  connection.onCodeAction(codeActions);

  connection.onExecuteCommand(({ command, arguments: args }) => {
    const note: unknown = args?.[0];
    // A notification, not window/showMessageRequest: nothing waits for the user to dismiss it.
    if (command === SHOW_FIX_NOTE_COMMAND && typeof note === 'string') {
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Initaudit: ${note}` });
    }
  });

  connection.onShutdown(() => {
    queue.dispose();
    documents.dispose();
  });
}
