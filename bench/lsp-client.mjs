// A small JSON-RPC client for the benchmark: starts the bundled language server over stdio,
// the way an editor does, and waits for the diagnostics of given document versions.

import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node';

export class BenchServer {
  /** `codeCache`: the folder the extension gives the server for V8's code cache (its global storage). */
  static start(serverJs, rootPath, { codeCache } = {}) {
    const startedAt = performance.now();
    // As the extension starts it (client/src/extension.ts): --expose-gc lets it return memory after
    // documents close, INITAUDIT_CODE_CACHE names the folder of the code cache.
    const env = codeCache ? { ...process.env, INITAUDIT_CODE_CACHE: codeCache } : process.env;
    const child = spawn(process.execPath, ['--expose-gc', serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    const server = new BenchServer(child, connection, rootPath, startedAt);
    connection.listen();
    return server;
  }

  constructor(child, connection, rootPath, startedAt) {
    this.child = child;
    this.connection = connection;
    this.rootPath = rootPath;
    this.startedAt = startedAt;
    this.waiters = [];
    this.stderr = '';
    /** `$/logTrace` messages, once `trace()` has turned the server's trace on. */
    this.traces = [];
    child.stderr.on('data', (d) => (this.stderr += d));
    connection.onNotification('textDocument/publishDiagnostics', (params) => {
      const at = performance.now();
      this.waiters = this.waiters.filter((w) => !(w.uri === params.uri && (w.version === undefined || params.version === w.version) && (w.resolve({ at, params }), true)));
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('$/progress', () => undefined);
    connection.onNotification('$/logTrace', (p) => this.traces.push(p.message));
  }

  /** Turns on the server's trace: one `$/logTrace` line per analysis. */
  async trace() {
    await this.connection.sendNotification('$/setTrace', { value: 'messages' });
  }

  async initialize() {
    const rootUri = pathToFileURL(this.rootPath).href;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: { workspace: { workspaceFolders: true }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves with the time the diagnostics for this version arrived. */
  diagnosticsFor(uri, version, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  open(path, languageId, text, version = 1) {
    const uri = pathToFileURL(path).href;
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri, version, range, text) {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Resident and peak resident memory of the server process (Linux /proc), in KB. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
      return { rss: kb('VmRSS'), peak: kb('VmHWM') };
    } catch {
      return undefined;
    }
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 100));
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }
}
