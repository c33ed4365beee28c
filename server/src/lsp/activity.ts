// How busy the connection is. vscode-jsonrpc queues incoming messages and dispatches one per
// event-loop turn (setImmediate), so work scheduled with setImmediate from a handler runs before
// the next queued message, not after all of them. Counting dispatches lets the validation queue
// tell "more messages are being handled" from "the queue is empty": a turn in which nothing was
// dispatched means nothing was waiting.

import type { Message, MessageStrategy } from 'vscode-languageserver';

export class MessageActivity {
  /** Messages dispatched so far. */
  dispatched = 0;

  /** For `createConnection`'s `messageStrategy`: counts each message as it is handed to its handler. */
  readonly strategy: MessageStrategy = {
    handleMessage: (message: Message, next) => {
      this.dispatched++;
      return next(message);
    },
  };
}
