// Entry point of the bundled server (server/out/server.js). The transport comes from the
// command line (--stdio, --node-ipc, --socket=, --pipe=), as vscode-languageclient passes it.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { MessageActivity } from './activity';
import { describeError, type Logger } from './protocol';
import { startServer } from './server';
import { setParserBackend } from '../core/parser';
import { startWasmRuntime, wasmBackend } from '../parsers/wasm';

const activity = new MessageActivity();
const connection = createConnection(ProposedFeatures.all, { messageStrategy: activity.strategy });

/** Logs through the connection; if that fails too (the client went away), stderr is all that is left. */
function safely(write: (message: string) => void): (message: string) => void {
  return (message) => {
    try {
      write(message);
    } catch {
      process.stderr.write(`${message}\n`);
    }
  };
}

const log: Logger = {
  info: safely((message) => connection.console.info(message)),
  error: safely((message) => connection.console.error(message)),
};

// A bug must cost one file's diagnostics, not the server: log it and keep serving.
process.on('uncaughtException', (e) => log.error(`initaudit: uncaught exception: ${describeError(e)}`));
process.on('unhandledRejection', (e) => log.error(`initaudit: unhandled rejection: ${describeError(e)}`));

// The editor parses with WebAssembly only: the .vsix carries no native code.
setParserBackend(wasmBackend);
// Every analysis needs the runtime: compiled while the client and server shake hands.
startWasmRuntime();
startServer(connection, log, activity);
connection.listen();
