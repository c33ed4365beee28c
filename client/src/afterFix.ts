// What a quick fix does once its edit is applied (reveal the files it created, say what is left to
// do), run when VS Code reports those files created instead of through the action's command. A
// command with arguments goes through the extension host's command cache, whose entries VS Code can
// dispose before it runs the command: the edit is applied, its follow-up fails with "Actual command
// not found" (microsoft/vscode#331834). Fixes that create no file keep their command.

import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import type { AfterFixArgs } from '../../server/src/lsp/protocol';

// As declared in server/src/lsp/protocol.ts (only its types can be imported here).
const AFTER_FIX_COMMAND = 'initaudit.afterFix';
/** An offer not taken within this time is forgotten, so a file created later by hand is not taken for it. */
const OFFER_TTL_MS = 10 * 60_000;
const MAX_OFFERS = 200;

interface Offer {
  args: AfterFixArgs;
  at: number;
}

export class AfterFixWatcher implements vscode.Disposable {
  private readonly offers = new Map<string, Offer>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.subscription = vscode.workspace.onDidCreateFiles((e) => this.created(e.files));
  }

  /** Takes the after-fix command off the actions that create files, and waits for those files instead. */
  adopt<T extends vscode.Command | vscode.CodeAction>(actions: T[] | null | undefined): T[] | null | undefined {
    for (const action of actions ?? []) {
      if (!(action instanceof vscode.CodeAction) || action.command?.command !== AFTER_FIX_COMMAND) continue;
      const args = action.command.arguments?.[0] as AfterFixArgs | undefined;
      if (!args?.created?.length) continue;
      const offer = { args, at: Date.now() };
      for (const uri of args.created) this.offers.set(normalized(uri), offer);
      action.command = undefined;
    }
    this.forgetOld();
    return actions;
  }

  dispose(): void {
    this.subscription.dispose();
    this.offers.clear();
  }

  private created(files: readonly vscode.Uri[]): void {
    const taken = new Set<Offer>();
    for (const file of files) {
      const offer = this.offers.get(file.toString());
      if (offer && Date.now() - offer.at <= OFFER_TTL_MS) taken.add(offer);
    }
    for (const offer of taken) {
      for (const uri of offer.args.created ?? []) this.offers.delete(normalized(uri));
      const client = this.client();
      if (!client?.isRunning()) continue;
      // Straight to the server: nothing is cached between the offer and this call.
      void client.sendRequest(ExecuteCommandRequest.type, { command: AFTER_FIX_COMMAND, arguments: [offer.args] }).catch(() => undefined);
    }
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [uri, offer] of this.offers) if (now - offer.at > OFFER_TTL_MS) this.offers.delete(uri);
    // Map order is insertion order: the oldest offers go first.
    for (const uri of [...this.offers.keys()].slice(0, Math.max(0, this.offers.size - MAX_OFFERS))) this.offers.delete(uri);
  }
}

/** The server's URIs and VS Code's can spell the same file differently (percent-encoding, drive letters). */
function normalized(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}
