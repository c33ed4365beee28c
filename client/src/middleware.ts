// How the client presents what the server asks for, and how it behaves while it stops:
// - a rule's documentation shipped with the extension opens in VS Code's Markdown preview;
// - a fix's follow-up runs once VS Code reports the files it created (afterFix.ts);
// - a file a fix created is revealed in the Explorer, and the focus goes back to the editor: it
//   is not opened, because VS Code then failed, now and then, to undo its creation with the fix;
// - requests VS Code makes while the client stops (a window reload or close) answer nothing
//   instead of failing, so the extension host log gets no stack trace.

import * as vscode from 'vscode';
import type { LanguageClient, Middleware } from 'vscode-languageclient/node';
import type { AfterFixWatcher } from './afterFix';

const REVEAL_DELAYS_MS = [100, 900];

export function middleware(docsFolder: vscode.Uri, client: () => LanguageClient | undefined, afterFix: AfterFixWatcher): Middleware {
  const running = (): boolean => client()?.isRunning() === true;
  /** Runs a request; while the client is not running, or if it stopped meanwhile, answers `fallback`. */
  async function guarded<T>(fallback: T, send: () => vscode.ProviderResult<T>): Promise<T> {
    if (!running()) return fallback;
    try {
      return (await send()) ?? fallback;
    } catch (e) {
      if (!running() || e instanceof vscode.CancellationError) return fallback;
      throw e;
    }
  }
  return {
    provideCodeActions: async (document, range, context, token, next) => afterFix.adopt(await guarded(null, () => next(document, range, context, token))),
    provideHover: (document, position, token, next) => guarded(null, () => next(document, position, token)),
    executeCommand: (command, args, next) => guarded(undefined, () => next(command, args) as vscode.ProviderResult<undefined>),
    window: {
      showDocument: async (params, token, next) => {
        if (params.external === true) return next(params, token);
        const uri = vscode.Uri.parse(params.uri);
        try {
          if (isInside(uri, docsFolder) && uri.path.endsWith('.md')) {
            await vscode.commands.executeCommand('markdown.showPreview', uri);
            return { success: true };
          }
          if (params.takeFocus === false) {
            const hadEditor = vscode.window.activeTextEditor !== undefined;
            // The Explorer adds the new file asynchronously: revealed at once, the closest folder is
            // selected instead. Revealed again a moment later, once it is there. (A refresh of the
            // Explorer instead raced its own update and lost the tree's nodes.) The focus goes back
            // to the editor group without changing the active editor, which the Explorer would
            // then select instead (explorer.autoReveal).
            for (const delay of REVEAL_DELAYS_MS) {
              await new Promise((resolve) => setTimeout(resolve, delay));
              await vscode.commands.executeCommand('revealInExplorer', uri);
              if (hadEditor) await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
            }
            return { success: true };
          }
        } catch {
          // No Markdown preview (the built-in extension disabled): the page as text will do.
        }
        return next(params, token);
      },
    },
  };
}

function isInside(uri: vscode.Uri, folder: vscode.Uri): boolean {
  return uri.scheme === folder.scheme && uri.path.startsWith(folder.path.endsWith('/') ? folder.path : `${folder.path}/`);
}
