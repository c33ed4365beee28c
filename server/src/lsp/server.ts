// Wires the protocol to the document store, the analyzer and the code actions.

import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import type { Finding } from '../core/types';
import type { FileResult } from '../core/engine';
import { isLoaded } from '../core/parser';
import { warmUpAll } from '../core/warm-up';
import { Analyzer } from './analysis';
import { AuditCommands } from './auditCommands';
import { codeActionsFor, configFixActions, FIX_ALL_KIND, suppressionActionsFor, wantsFixAll, wantsQuickFixes } from './codeActions';
import { fixAllAction } from './fixAll';
import { PolicyStore, SETTINGS_SECTION } from './policies';
import { toDiagnostic } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { hoverFor } from './hover';
import { keyReadersHover } from './keyHover';
import {
  clientFeatures,
  describeError,
  initializationOptionsOf,
  LOCKFILE_BASE_NOTIFICATION,
  type ClientFeatures,
  type InitializationOptions,
  type LockfileBaseParams,
  type Logger,
} from './protocol';
import { COMMANDS, runCommand } from './commands';
import { LockfileBases } from './lockfileBases';
import { readSourceFile } from '../files/read-source';
import { analyzeFile } from '../core/engine';
import { languageOf } from '../core/parser';
import { filePathOf, fileUriOf, syntheticPathOf } from './uris';
import { PhaseTimer } from './timing';
import { ValidationQueue, type Activity } from './validationQueue';
import { Lifecycle } from './lifecycle';
import { MemoryRelease } from './memory';
import { WorkspaceFolders } from './workspaceFolders';

/**
 * The answer to a request whose document changed before it could be answered (its position and
 * diagnostics refer to a text that is gone): LSP's ContentModified, which clients drop silently.
 */
function contentModified(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed before the request could be answered');
}

/** Files whose content can change a finding or a fix elsewhere (test.rb, a test setup file, ...). */
const WATCHED_GLOBS = [
  '**/*.{rb,rake,ru,gemspec,ts,mts,cts,tsx,js,jsx,mjs,cjs,yml,yaml,prisma,tf}',
  '**/{Gemfile,Gemfile.lock,gems.rb,gems.locked,Rakefile}',
  '**/{package.json,package-lock.json,npm-shrinkwrap.json}',
  // Only the presence of credentials files matters; they are never read.
  '**/config/credentials.yml.enc',
  '**/config/credentials/*.yml.enc',
  '**/.env*',
  // .initaudit.yml and the default baseline .initaudit-baseline.json.
  '**/.initaudit*',
];

/** `activity` counts the connection's dispatched messages (main.ts), so validations wait for the queue to drain. */
export function startServer(connection: Connection, log: Logger, activity?: Activity): void {
  const lifecycle = new Lifecycle();
  const documents = new DocumentStore();
  const folders = new WorkspaceFolders();
  const bases = new LockfileBases();
  const analyzer = new Analyzer(documents, folders, log, bases);
  const queue = new ValidationQueue(validate, activity);
  const memory = new MemoryRelease();
  /** What was last sent per document, to skip resending identical diagnostics. */
  const published = new Map<string, string>();
  let features: ClientFeatures = clientFeatures({});
  /** The client answers workspace/configuration, and lets the server register for its changes. */
  let settingsCapabilities = { configuration: false, changeRegistration: false };
  /** Whether the first diagnostics' timing was logged. */
  let firstTiming = false;
  let options: InitializationOptions = {};
  const policies = new PolicyStore(connection, log, () => settingsCapabilities.configuration, (path) => documents.getByPath(path)?.text.getText());

  const uriOf = (path: string): string => documents.getByPath(path)?.uri ?? fileUriOf(path);
  /** The findings last published per open document, for hovers. */
  const liveFindings = new Map<string, Finding[]>();
  /**
   * Bumped by every change that can alter an analysis (an edit in any buffer, a file on disk, the
   * settings): code actions reuse the last analysis with fixes while it stays the same, so a burst
   * of requests on one version costs one analysis.
   */
  let generation = 0;
  const withFixes = new Map<string, { generation: number; version: number; result: FileResult; seen: ReadonlyMap<string, boolean> }>();
  const audits = new AuditCommands({
    connection,
    folders,
    log,
    uriOf,
    isOpen: (path) => documents.getByPath(path) !== undefined,
    policyFor: async (root) => (await policies.forRoot(root)).policy,
    lifecycle,
    changeBase: () => bases.base(),
  });

  /** The open documents, `first` ahead of the rest: a change can alter findings or fixes in any of them. */
  const allOpen = (first?: string): string[] => [...(first ? [first] : []), ...documents.all().map((d) => d.uri)];

  async function validate(uri: string): Promise<void> {
    let doc = documents.get(uri);
    if (!doc) return;
    const path = doc.path;
    // .initaudit.yml: its own problems, checked as typed; no rule reads it.
    if (policies.isConfigFile(path)) return policies.showProblems(path);
    const timing = firstTiming ? undefined : new PhaseTimer();
    try {
      if (doc.lang && !isLoaded(doc.lang)) {
        const ok = await analyzer.loadGrammar(doc.lang);
        timing?.lap('grammar');
        if (!ok) return;
        // Closed, reopened or edited while the grammar loaded: analyse whatever is current now.
        doc = documents.get(uri);
        if (!doc) return;
      }
      if (doc.lang === 'lockfile' && !(await analyzer.loadReadGrammars(doc.lang, doc.text.getText(), doc.path))) return;
      const { policy } = await policies.forRoot(folders.rootFor(doc.path));
      timing?.lap('settings');
      doc = documents.get(uri);
      if (!doc) return;
      const version = doc.text.version;
      const started = performance.now();
      // Diagnostics carry no fixes: code actions compute and check them when asked.
      const result = analyzer.analyze(doc, policy, { withoutFixes: true });
      // With the client's trace on ($/setTrace), one line per analysis: how many versions a burst cost.
      // The parse's share (an incremental reparse after an edit) tells the grammar's cost from ours.
      const parseMs = doc.parseMs;
      doc.parseMs = undefined;
      connection.tracer.log(`initaudit: analysed ${path} v${version} in ${(performance.now() - started).toFixed(1)} ms${parseMs === undefined ? '' : ` (parse ${parseMs.toFixed(1)} ms)`}`);
      timing?.lap('analysis');
      // Analysis is synchronous today; the check keeps stale results out if that changes.
      if (!result || documents.get(uri) !== doc || doc.text.version !== version) return;
      liveFindings.set(uri, result.findings);
      publish(doc, result.findings.map((f) => toDiagnostic(f, uriOf)));
      // Where the time to the first diagnostics went, once per session: what a slow start is made of.
      if (timing && !firstTiming) {
        firstTiming = true;
        log.info(`initaudit: first diagnostics (${basename(path)}) ${Math.round(process.uptime() * 1000)} ms after the server started: ${timing.summary()}`);
        // The start is over: lsp/start.ts may write the code cache now, with what it compiled.
        const startOver = (globalThis as Record<symbol, unknown>)[Symbol.for('initaudit.codeCache.startOver')];
        if (typeof startOver === 'function') setImmediate(() => (startOver as () => void)());
      }
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

  /**
   * A lockfile the client compares but that is not open (a `bundle update` in the terminal): its
   * findings come from the file on disk, published like an open file's so Problems shows the drift.
   */
  async function publishClosed(path: string): Promise<void> {
    const uri = uriOf(path);
    try {
      const lang = languageOf(path);
      const root = folders.rootFor(path);
      // Read inside its workspace folder only, like every file the server reads.
      const read = readSourceFile(analyzer.accessFor(root), path);
      if (!lang || !read.ok || !bases.has(path)) {
        await connection.sendDiagnostics({ uri, diagnostics: [] });
        return;
      }
      const { policy } = await policies.forRoot(root);
      if (documents.getByPath(path)) return;
      const file = { path, text: read.text };
      const result = await analyzeFile(file, analyzer.workspaceFor({ path }, policy), { withoutFixes: true, ...(policy ? { policy } : {}) });
      if (documents.getByPath(path)) return;
      await connection.sendDiagnostics({ uri, diagnostics: result.findings.map((f) => toDiagnostic(f, uriOf)) });
    } catch (e) {
      log.error(`initaudit: ${path}: cannot publish lockfile diagnostics: ${describeError(e)}`);
    }
  }

  async function codeActions(params: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    let doc = documents.get(uri);
    const quickFixes = wantsQuickFixes(params.context.only) && params.context.diagnostics.length > 0;
    const fixAll = wantsFixAll(params.context.only);
    if (doc && policies.isConfigFile(doc.path)) return configFixActions(params.context, { uri, version: doc.text.version }, features);
    if (!doc?.lang || (!quickFixes && !fixAll)) return [];
    const askedOn = doc.text.version;
    try {
      if (!isLoaded(doc.lang) && !(await analyzer.loadGrammar(doc.lang))) return [];
      if (doc.lang === 'lockfile' && !(await analyzer.loadReadGrammars(doc.lang, doc.text.getText(), doc.path))) return [];
      // While edits keep coming, the actions would be for a text already gone: wait until the
      // pending validation has run, then answer the requests still current from one analysis of the latest text.
      await queue.validated(uri);
      await queue.quiet();
      if (token?.isCancellationRequested) return [];
      const now = documents.get(uri);
      // Closed meanwhile: nothing to offer. Edited meanwhile: the request is for a text that is gone.
      if (!now) return [];
      if (now.text.version !== askedOn) throw contentModified();
      const { policy } = await policies.forRoot(folders.rootFor(doc.path));
      doc = documents.get(uri);
      if (!doc?.lang) return [];
      // Cached per generation (an earlier fix changes a file, which bumps it) while the files the
      // analysis looked at are as they were (an undone fix deletes a file before we hear of it).
      const cached = withFixes.get(uri);
      const reuse = cached && cached.generation === generation && cached.version === doc.text.version && analyzer.sameFiles(doc, policy, cached.seen) ? cached : undefined;
      const seen = new Map<string, boolean>();
      const result = reuse ? reuse.result : analyzer.analyze(doc, policy, { seen });
      if (!result) return [];
      withFixes.set(uri, reuse ?? { generation, version: doc.text.version, result, seen });
      const workspace = analyzer.workspaceFor(doc, policy, { forFixes: true });
      const target = {
        path: doc.path,
        synthetic: doc.synthetic,
        root: folders.rootFor(doc.path),
        uriOf,
        versionOf: (path: string) => documents.getByPath(path)?.text.version ?? null,
        exists: (path: string) => workspace.fileExists(path),
        staleText: (path: string) => (workspace.fileExists(path) ? undefined : documents.getByPath(path)?.text.getText()),
      };
      const actions: CodeAction[] = [];
      if (quickFixes) {
        actions.push(...codeActionsFor(result.findings, params.context, target, features));
        const suppression = { uri: doc.uri, version: doc.text.version, text: doc.text.getText(), lang: doc.lang };
        actions.push(...suppressionActionsFor(result.findings, params.context, suppression, features));
      }
      if (fixAll && result.findings.some((f) => f.fixes.some((x) => x.isPreferred))) {
        const action = await fixAllAction(doc.path, analyzer.workspaceFor(doc, policy, { forFixes: true }), (path) => workspace.readFile(path), policy, target, features);
        if (action) actions.push(action);
      }
      return actions;
    } catch (e) {
      if (e instanceof ResponseError) throw e;
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
    if (lifecycle.state !== 'starting') lifecycle.check();
    lifecycle.state = 'running';
    features = clientFeatures(params.capabilities);
    settingsCapabilities = {
      configuration: params.capabilities.workspace?.configuration === true,
      changeRegistration: params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    };
    folders.reset(params.workspaceFolders, params.rootUri);
    options = initializationOptionsOf(params.initializationOptions);
    void analyzer.preloadGrammars(folders.all);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: COMMANDS },
        hoverProvider: true,
        ...(features.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'initaudit' },
    };
  });

  connection.onInitialized(() => {
    // The first finding in a fresh window waited mostly on one-off work: do it now (core/warm-up.ts),
    // and ask for each folder's settings before the first document needs them.
    if (options.warmUp) void warmUpAll();
    for (const root of folders.all) void policies.forRoot(root);
    void audits.restoreFrom(options.storageDir);
    if (settingsCapabilities.changeRegistration) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
        .catch((e: unknown) => log.error(`initaudit: cannot register for settings changes: ${describeError(e)}`));
    }
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
        audits.foldersRemoved(e.removed.flatMap((f) => filePathOf(f.uri) ?? []));
      });
    }
  });

  connection.onDidOpenTextDocument(lifecycle.notification(({ textDocument: td }) =>
    guarded('open', td.uri, () => {
      const filePath = filePathOf(td.uri);
      const path = filePath ?? syntheticPathOf(td.uri, td.languageId, folders.first ?? tmpdir());
      generation++;
      documents.open(td.uri, path, filePath === undefined, td.languageId, td.version, td.text);
      queue.now(td.uri);
      queue.schedule(allOpen().filter((uri) => uri !== td.uri));
    }),
  ));

  connection.onDidChangeTextDocument(lifecycle.notification(({ textDocument: td, contentChanges }) => {
    generation++;
    guarded('change', td.uri, () => documents.change(td.uri, td.version, contentChanges));
    // Even after a failed tree edit the text is current (the tree is reparsed from scratch).
    // The edited document first, at once; after the debounce, the others whose last diagnostics
    // read its file (or whose reads are not known yet).
    const edited = documents.get(td.uri);
    if (edited) {
      queue.now(td.uri);
      queue.schedule(allOpen().filter((uri) => uri !== td.uri && analyzer.mayDependOn(uri, edited.path)));
    }
  }));

  connection.onDidCloseTextDocument(lifecycle.notification(({ textDocument: td }) =>
    guarded('close', td.uri, () => {
      const path = documents.get(td.uri)?.path;
      generation++;
      withFixes.delete(td.uri);
      analyzer.forget(td.uri);
      documents.close(td.uri);
      queue.cancel(td.uri);
      published.delete(td.uri);
      liveFindings.delete(td.uri);
      memory.soon();
      // A file the workspace audit covers goes back to its audit findings; a compared lockfile to its
      // findings on disk; others are cleared.
      if (path && policies.isConfigFile(path)) policies.showProblems(path);
      else if (path && audits.covers(path)) void audits.closed(path);
      else if (path && bases.has(path)) void publishClosed(path);
      else void connection.sendDiagnostics({ uri: td.uri, diagnostics: [] }).catch((e: unknown) => log.error(`initaudit: ${td.uri}: cannot clear diagnostics: ${describeError(e)}`));
      // Its file on disk, not the closed buffer, is what other documents see now.
      queue.schedule(allOpen());
    }),
  ));

  // Settings are read per folder on demand (workspace/configuration); a change drops them all.
  connection.onDidChangeConfiguration(lifecycle.notification(() => {
    generation++;
    policies.invalidate();
    analyzer.forgetReuse();
    queue.schedule(allOpen());
  }));

  connection.onDidChangeWatchedFiles(lifecycle.notification(({ changes }) => {
    generation++;
    analyzer.deletions.note(changes, filePathOf);
    analyzer.forgetReuse();
    if (policies.touches(changes.flatMap((c) => filePathOf(c.uri) ?? []))) policies.invalidate();
    queue.schedule(allOpen());
    const paths = changes.flatMap((c) => filePathOf(c.uri) ?? []);
    void audits.changedOnDisk(paths);
    for (const path of paths) if (bases.has(path) && !documents.getByPath(path) && !audits.covers(path)) void publishClosed(path);
  }));

  connection.onNotification(
    LOCKFILE_BASE_NOTIFICATION,
    lifecycle.notification((params: LockfileBaseParams) => {
      const path = typeof params?.uri === 'string' ? filePathOf(params.uri) : undefined;
      if (!path) return;
      const changed = typeof params.ref === 'string' && (typeof params.text === 'string' || params.text === null) ? bases.set(path, params.ref, params.text) : bases.delete(path);
      if (!changed) return;
      // Findings reused from an earlier analysis were measured against the old base.
      analyzer.forgetReuse();
      const doc = documents.getByPath(path);
      if (doc) queue.now(doc.uri);
      else if (audits.covers(path)) void audits.closed(path);
      else void publishClosed(path);
    }),
  );

  connection.onHover(lifecycle.request(async ({ textDocument, position }) => {
    // Answered from the analysis of the latest text: after the pending validation, not one of its own.
    const askedOn = documents.get(textDocument.uri)?.text.version;
    await queue.validated(textDocument.uri);
    await queue.quiet();
    const now = documents.get(textDocument.uri);
    if (askedOn !== undefined && now && now.text.version !== askedOn) throw contentModified();
    const onFinding = hoverFor(liveFindings.get(textDocument.uri) ?? [], position);
    const doc = documents.get(textDocument.uri);
    let onKey: ReturnType<typeof keyReadersHover>;
    try {
      // Only Ruby and Rails YAML read secrets through ENV, Chamber and credentials.
      onKey = doc && !doc.synthetic && (doc.lang === 'ruby' || doc.lang === 'yaml') ? keyReadersHover(analyzer.workspaceFor(doc), doc.path, doc.text.getText(), position) : undefined;
    } catch (e) {
      log.error(`initaudit: ${doc?.path ?? textDocument.uri}: hover failed: ${describeError(e)}`);
    }
    if (!onKey) return onFinding;
    if (!onFinding) return { contents: { kind: 'markdown', value: onKey.markdown }, range: onKey.range };
    const first = typeof onFinding.contents === 'object' && 'value' in onFinding.contents ? onFinding.contents.value : '';
    return { contents: { kind: 'markdown', value: `${first}\n\n---\n\n${onKey.markdown}` }, ...(onFinding.range ? { range: onFinding.range } : {}) };
  }));

  connection.onCodeAction(lifecycle.request(codeActions));

  connection.onExecuteCommand(lifecycle.request(({ command, arguments: args }) => runCommand(connection, log, command, args)));

  connection.onShutdown(lifecycle.request(() => {
    lifecycle.state = 'shut down';
    queue.dispose();
    memory.dispose();
    documents.dispose();
  }));
}
