// The commands the server executes (workspace/executeCommand): what happens after a fix, and a
// rule's documentation, opened from the pages shipped with the extension when they are there.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageType, ShowMessageNotification } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';
import { AFTER_FIX_COMMAND, describeError, isAfterFixArgs, SHOW_DOCUMENTATION_COMMAND, type Logger } from './protocol';
import { fileUriOf } from './uris';

export const COMMANDS = [AFTER_FIX_COMMAND, SHOW_DOCUMENTATION_COMMAND];

export function runCommand(connection: Connection, log: Logger, command: string, args: readonly unknown[] | undefined): void {
  const show = (params: { uri: string; external?: boolean; takeFocus?: boolean }): void => {
    void connection.window.showDocument(params).catch((e: unknown) => log.error(`initaudit: cannot open ${params.uri}: ${describeError(e)}`));
  };
  if (command === SHOW_DOCUMENTATION_COMMAND) {
    const [url, ruleId] = args ?? [];
    // The page shipped with the extension works offline; the client shows it as Markdown.
    const page = typeof ruleId === 'string' ? bundledRulePage(ruleId) : undefined;
    if (page) show({ uri: fileUriOf(page), takeFocus: true });
    else if (typeof url === 'string' && /^https?:\/\//.test(url)) show({ uri: url, external: true });
  }
  const after: unknown = args?.[0];
  if (command === AFTER_FIX_COMMAND && isAfterFixArgs(after)) {
    // Shown, not focused: the cursor stays where the fix was applied.
    for (const uri of after.created ?? []) show({ uri, takeFocus: false });
    // A notification, not window/showMessageRequest: nothing waits for the user to dismiss it.
    if (after.note) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Initaudit: ${after.note}` });
  }
}

/** docs/rules/<id>.md of the extension (the bundle is server/out/server.js), or undefined when not shipped. */
export function bundledRulePage(ruleId: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  const page = join(__dirname, '..', '..', 'docs', 'rules', `${ruleId}.md`);
  return existsSync(page) ? page : undefined;
}
