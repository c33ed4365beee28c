// A minimal LSP client for the tests: spawns the bundled server, speaks real JSON-RPC to it,
// records what it publishes, and mirrors open documents so edits can be sent incrementally.

import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CodeAction,
  CreateFile,
  Diagnostic,
  InitializeResult,
  LogMessageParams,
  PublishDiagnosticsParams,
  Range,
  ShowMessageParams,
  TextDocumentContentChangeEvent,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** build/test/lsp -> the repository root. */
const ROOT = resolve(__dirname, '..', '..', '..');
export const SERVER_JS = join(ROOT, 'server', 'out', 'server.js');

const DEFAULT_TIMEOUT_MS = 10_000;

/** What VS Code announces, for the parts the server looks at. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
      isPreferredSupport: true,
      dataSupport: true,
    },
  },
};

export type Transport = 'stdio' | 'node-ipc';

export interface TestDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

export class LspServer {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  /** window/showMessage notifications: what the user would see as a popup. */
  readonly messages: ShowMessageParams[] = [];
  /** Requests the server made of the client (e.g. client/registerCapability). */
  readonly serverRequests: string[] = [];
  readonly stderr: string[] = [];
  private readonly listeners = new Set<() => void>();
  private exited = false;
  readonly docs = new Map<string, TestDocument>();

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    child.on('exit', () => {
      this.exited = true;
      this.notify();
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.push(p);
      this.notify();
    });
    connection.onNotification('window/logMessage', (p: LogMessageParams) => {
      this.logs.push(p);
      this.notify();
    });
    connection.onNotification('window/showMessage', (p: ShowMessageParams) => {
      this.messages.push(p);
      this.notify();
    });
    connection.onRequest((method) => {
      this.serverRequests.push(method);
      return null;
    });
    connection.listen();
  }

  /** Spawns `node server.js --stdio`, or forks it with an IPC channel for `--node-ipc`; `env` is added to the server's environment. */
  static start(transport: Transport = 'stdio', env?: Record<string, string>): LspServer {
    if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing; run \`npm run build\` first`);
    if (transport === 'stdio') {
      const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
      const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      return new LspServer(child, connection);
    }
    const child = fork(SERVER_JS, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    return new LspServer(child, connection);
  }

  get alive(): boolean {
    return !this.exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  async initialize(rootDir: string, capabilities: ClientCapabilities = FULL_CAPABILITIES, initializationOptions?: unknown): Promise<InitializeResult> {
    const rootUri = pathToFileURL(rootDir).href;
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'workspace' }],
      capabilities,
      ...(initializationOptions !== undefined ? { initializationOptions } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Polls recorded notifications until `accept` holds for one at index >= `from`; no fixed sleeps. */
  waitFor<T>(find: () => T | undefined, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) {
          if (!this.alive) finish(new Error(`server exited while waiting for ${what}\n${this.stderr.join('')}`));
          return false;
        }
        finish(undefined, found);
        return true;
      };
      const finish = (error?: Error, value?: T): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolvePromise(value as T);
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; logs:\n${this.logText()}`)), timeoutMs);
      this.listeners.add(listener);
      check();
    });
  }

  /** The first diagnostics published for `uri` at `version` (or, with version null, without one) after `from`. */
  waitForDiagnostics(uri: string, version: number | null, from = 0): Promise<Diagnostic[]> {
    return this.waitFor(
      () => this.diagnostics.slice(from).find((p) => p.uri === uri && (version === null ? p.version === undefined : p.version === version))?.diagnostics,
      `diagnostics for ${uri}${version === null ? ' without a version' : ` v${version}`}`,
    );
  }

  /** The next diagnostics published for `uri` at index >= `from`, whatever their version. */
  nextDiagnostics(uri: string, from: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => this.diagnostics.slice(from).find((p) => p.uri === uri), `diagnostics for ${uri} after #${from}`);
  }

  logText(): string {
    return this.logs.map((l) => l.message).join('\n');
  }

  async open(path: string, languageId: string, text: string, uri = pathToFileURL(path).href): Promise<TestDocument> {
    const doc: TestDocument = { uri, languageId, version: 1, text };
    this.docs.set(uri, doc);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return doc;
  }

  /** Sends changes (applied in order, as LSP specifies) and mirrors them locally; returns the new version. */
  async change(doc: TestDocument, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const mirror = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
    TextDocument.update(mirror, changes, doc.version + 1);
    doc.text = mirror.getText();
    doc.version += 1;
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: doc.uri, version: doc.version },
      contentChanges: changes,
    });
    return doc.version;
  }

  async close(doc: TestDocument): Promise<void> {
    this.docs.delete(doc.uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc.uri } });
  }

  codeActions(doc: TestDocument, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[] | null> {
    return this.connection.sendRequest<CodeAction[] | null>('textDocument/codeAction', {
      textDocument: { uri: doc.uri },
      range,
      context: { diagnostics, only: ['quickfix'] },
    });
  }

  /**
   * Applies a workspace edit the way an editor does: open documents get a didChange (with the
   * edits as incremental changes), files on disk are written and reported as watched-file events.
   */
  async applyEdit(edit: WorkspaceEdit): Promise<void> {
    const events: { uri: string; type: number }[] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
        const path = fileURLToPath(change.uri);
        if (existsSync(path) && (change as CreateFile).options?.ignoreIfExists) continue;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, '');
        events.push({ uri: change.uri, type: 1 /* Created */ });
        continue;
      }
      const textEdit = change as TextDocumentEdit;
      const open = this.docs.get(textEdit.textDocument.uri);
      const edits = textEdit.edits as TextEdit[];
      if (open) {
        if (textEdit.textDocument.version !== null && textEdit.textDocument.version !== open.version) {
          throw new Error(`edit for ${open.uri} v${textEdit.textDocument.version}, document is at v${open.version}`);
        }
        // Later edits first, so each range still refers to the text the edit was computed against.
        const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
        await this.change(open, ordered.map((e) => ({ range: e.range, text: e.newText })));
      } else {
        const path = fileURLToPath(textEdit.textDocument.uri);
        const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
        writeFileSync(path, TextDocument.applyEdits(TextDocument.create(textEdit.textDocument.uri, '', 0, before), edits));
        if (!events.some((e) => e.uri === textEdit.textDocument.uri)) events.push({ uri: textEdit.textDocument.uri, type: 2 /* Changed */ });
      }
    }
    if (edit.changes) throw new Error('expected documentChanges, got changes');
    if (events.length > 0) await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: events });
  }

  /** shutdown + exit, falling back to a kill if the server does not go. */
  private survivors = 0;

  /** The server is alive and a fresh copy of `text` still gets exactly `codes` as diagnostics. */
  async assertStillServes(root: string, text: string, codes: string[]): Promise<void> {
    if (!this.alive) throw new Error(`server died:\n${this.stderr.join('')}`);
    const doc = await this.open(join(root, `config/initializers/survivor_${++this.survivors}.rb`), 'ruby', text);
    const diagnostics = await this.waitForDiagnostics(doc.uri, doc.version);
    const got = diagnostics.map((d) => String(d.code));
    if (JSON.stringify(got) !== JSON.stringify(codes)) throw new Error(`expected ${JSON.stringify(codes)}, got ${JSON.stringify(got)}`);
    await this.close(doc);
  }

  async dispose(): Promise<void> {
    if (this.alive) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      try {
        await withTimeout(this.connection.sendRequest('shutdown'), 2000);
        await this.connection.sendNotification('exit');
        await withTimeout(exited, 2000);
      } catch {
        this.child.kill();
      }
    }
    this.connection.dispose();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        res(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        rej(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Writes files (relative path -> text) into a fresh temporary directory and returns it. */
export function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'initaudit-lsp-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Position of the first occurrence of `needle` in `text` (LSP lines, UTF-16 columns). */
export function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} not in text`);
  return TextDocument.create('x:', '', 0, text).positionAt(at);
}

/** The range of the first occurrence of `needle`. */
export function rangeOf(text: string, needle: string): Range {
  const start = positionOf(text, needle);
  const doc = TextDocument.create('x:', '', 0, text);
  return { start, end: doc.positionAt(doc.offsetAt(start) + needle.length) };
}
