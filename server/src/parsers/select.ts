// Which adapter of the parser port an entry point installs. The editor always uses wasm; the CLI
// prefers the native binding (INITAUDIT_PARSER=wasm forces wasm) and falls back to wasm, saying so
// once on stderr, when the binding cannot load on this platform.

import { parserBackend, setParserBackend } from '../core/parser';
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

/**
 * `useParser`, deferred to the first parse: an audit that parses nothing (an empty folder, a tree
 * with no trigger, a run whose workers do the parsing) never loads the native binding and its
 * grammars (about 25 ms of the CLI's start-up). The fallback's warning comes at that first parse.
 */
export function useParserLazily(requested: ParserBackendName | undefined, warn?: (message: string) => void): void {
  if (requested === 'wasm') {
    useWasmParser();
    return;
  }
  let chosen: ParserBackend | undefined;
  // useParser installs the chosen binding in place of this one, so only the first calls come here.
  const real = (): ParserBackend => (chosen ??= (useParser(requested, warn), parserBackend()));
  setParserBackend({
    get name() {
      return real().name;
    },
    load: (lang) => real().load(lang),
    isLoaded: (lang) => real().isLoaded(lang),
    parse: (lang, text, oldTree) => real().parse(lang, text, oldTree),
    reset: (lang) => real().reset(lang),
    nodesOfTypes: (tree, types, rows) => real().nodesOfTypes(tree, types, rows),
  });
}

/** INITAUDIT_PARSER=native|wasm; anything else means the default. */
export function requestedParser(env: NodeJS.ProcessEnv = process.env): ParserBackendName | undefined {
  const value = env['INITAUDIT_PARSER'];
  return value === 'native' || value === 'wasm' ? value : undefined;
}
