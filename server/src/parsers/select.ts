// Which adapter of the parser port an entry point installs. The editor always uses wasm; the CLI
// prefers the native binding (INITAUDIT_PARSER=wasm forces wasm) and falls back to wasm, saying so
// once on stderr, when the binding cannot load on this platform.

import { setParserBackend } from '../core/parser';
import type { ParserBackend, ParserBackendName } from '../core/parser-port';
import { loadNativeBackend } from './native';
import { wasmBackend } from './wasm';

/** The native binding, loaded once per thread, or why it could not be. */
let native: ParserBackend | Error | undefined;

function tryNative(): ParserBackend | Error {
  try {
    return loadNativeBackend();
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** The editor's binding: portable, and the .vsix ships no native code. */
export function useWasmParser(): ParserBackendName {
  setParserBackend(wasmBackend);
  return 'wasm';
}

/**
 * Installs `requested` (default native); if native cannot load, installs wasm and calls `warn`
 * with why. Returns what was installed.
 */
export function useParser(requested: ParserBackendName | undefined, warn?: (message: string) => void): ParserBackendName {
  if (requested === 'wasm') return useWasmParser();
  native ??= tryNative();
  if (!(native instanceof Error)) {
    setParserBackend(native);
    return 'native';
  } else {
    const reason = native.message.split('\n')[0];
    warn?.(`initaudit: the native tree-sitter binding could not be loaded (${reason}); parsing with WebAssembly instead, which is slower`);
    return useWasmParser();
  }
}

/** INITAUDIT_PARSER=native|wasm; anything else means the default. */
export function requestedParser(env: NodeJS.ProcessEnv = process.env): ParserBackendName | undefined {
  const value = env['INITAUDIT_PARSER'];
  return value === 'native' || value === 'wasm' ? value : undefined;
}
