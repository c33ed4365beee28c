// The VS Code side: starts the bundled language server over IPC and offers restart/output commands.
// All analysis happens in the server; this file only manages its lifetime, and stops it cleanly:
// the client first, then the output channel it logs to.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { AuditSummary, InitializationOptions } from '../../server/src/lsp/protocol';
import { auditWorkspace, exportReport, type AuditDeps } from './audit';
import { closableChannel } from './channel';
import { AfterFixWatcher } from './afterFix';
import { middleware } from './middleware';
import { AuditStatus } from './status';
import { LOCKFILE_SELECTOR, registerLockfileCompare } from './lockfileCompare';

// As declared in server/src/lsp/protocol.ts (only its types can be imported here).
const AUDIT_RESTORED_NOTIFICATION = 'initaudit/auditRestored';

const LANGUAGES = ['ruby', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'];
/**
 * Files rules scan as text: YAML (Rails config/*.yml read through ERB, GitHub workflows, docker-compose,
 * Kubernetes manifests), Prisma schemas and Terraform, whatever language extension the user has for them.
 * `.initaudit.yml` is synced too, so its problems follow the buffer and its quick fixes ("did you mean
 * exclude?") are asked for.
 */
const TEXT_FILES = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'file', pattern: '**/*.prisma' },
  { scheme: 'file', pattern: '**/*.tf' },
  { scheme: 'file', pattern: '**/.initaudit.yml' },
];

let client: LanguageClient | undefined;
let output: ReturnType<typeof closableChannel> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for the extension's own messages and the server's log (and the trace, when enabled).
  // Not in context.subscriptions: deactivate closes it after the client has stopped.
  output = closableChannel('Initaudit');
  const channel = output.channel;

  const afterFix = new AfterFixWatcher(() => client);
  context.subscriptions.push(afterFix);
  const serverModule = context.asAbsolutePath('server/out/server.js');
  // V8's code cache of the server bundle, kept with the extension's global state (lsp/start.ts): a
  // window opened after the first one starts the server without compiling it again.
  const env = { ...process.env, INITAUDIT_CODE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath };
  const serverOptions: ServerOptions = {
    // --expose-gc: the server collects once after documents close, so their memory goes back (lsp/memory.ts).
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--expose-gc'], env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--expose-gc', '--nolazy', '--inspect=6009'], env } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      ...TEXT_FILES,
      ...LOCKFILE_SELECTOR,
    ],
    outputChannel: channel,
    middleware: middleware(vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules'), () => client, afterFix),
    // Where the server keeps the last workspace audit, to show it again after a reload; and a
    // window lives long enough to repay warming the engine before the first file.
    initializationOptions: ((): InitializationOptions => ({ warmUp: true, ...(context.storageUri ? { storageDir: context.storageUri.fsPath } : {}) }))(),
  };
  // The id matches the `initaudit.trace.server` setting the client reads.
  const languageClient = new LanguageClient('initaudit', 'Initaudit', serverOptions, clientOptions);
  client = languageClient;

  const status = new AuditStatus(LANGUAGES.map((language) => ({ language })));
  const auditDeps: AuditDeps = { client: () => client, channel, status };
  // The last audit, shown again by the server after a reload: its time goes back into the status item.
  context.subscriptions.push(languageClient.onNotification(AUDIT_RESTORED_NOTIFICATION, (summary: AuditSummary) => status.finished(summary)));
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('initaudit.auditWorkspace', () => auditWorkspace(auditDeps)),
    // The optional argument (the SARIF file's URI) skips the save dialog, for tests and keybindings.
    vscode.commands.registerCommand('initaudit.exportReport', (target?: unknown) => exportReport(auditDeps, target instanceof vscode.Uri ? target : undefined)),
    vscode.commands.registerCommand('initaudit.showOutput', () => channel.show(true)),
    vscode.commands.registerCommand('initaudit.restartServer', async () => {
      channel.info('Restarting the Initaudit language server (requested by the user).');
      if (languageClient.needsStop()) {
        try {
          await languageClient.stop();
        } catch (e) {
          // A server that already died cannot be stopped cleanly; starting it again is what matters.
          channel.warn(`Stopping the language server failed: ${describe(e)}`);
        }
      }
      await start(languageClient, channel);
    }),
  );

  registerLockfileCompare(context, () => client, channel);
  await start(languageClient, channel);
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  try {
    // Requests VS Code still makes while this runs are answered with nothing (middleware.ts).
    if (running?.needsStop()) await running.stop();
  } catch (e) {
    output?.channel.error(`Stopping the language server failed: ${describe(e)}`);
  } finally {
    output?.close();
  }
}

/** Starts the server; a failure is logged and shown, and activation still succeeds so Restart stays usable. */
async function start(languageClient: LanguageClient, channel: vscode.LogOutputChannel): Promise<void> {
  try {
    await languageClient.start();
    channel.info('The Initaudit language server is running.');
  } catch (e) {
    const message = `Initaudit: the language server failed to start: ${describe(e)}`;
    channel.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
      if (choice) channel.show(true);
    });
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
