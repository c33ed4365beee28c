// Entry point the client starts (server/out/server.js): loads the server bundle (server-main.js,
// beside it) through V8's code cache when the client names a folder for one (INITAUDIT_CODE_CACHE,
// the extension's global storage). Compiling the 2.4 MB bundle and the functions the first
// analysis runs was most of a start; with the cache V8 deserialises them instead. Without the
// variable, or when anything about the cache fails, the bundle is required as usual: the cache
// only ever changes how fast the same code starts.
//
// Kept tiny and free of imports beyond Node's own: it runs before the bundle it speeds up.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The bundle's SHA-256, written in by scripts/bundle.mjs: a cache is only ever used for the bytes it was made from. */
declare const __INITAUDIT_MAIN_SHA256__: string;
declare const __INITAUDIT_MAIN_SIZE__: number;

const MAIN = join(__dirname, 'server-main.js');

/** Where the server finds the function that writes the cache once its first diagnostics are out. */
const START_OVER = Symbol.for('initaudit.codeCache.startOver');

function start(): void {
  const dir = process.env['INITAUDIT_CODE_CACHE'];
  let run: (() => void) | undefined;
  try {
    if (dir && statSync(MAIN).size === __INITAUDIT_MAIN_SIZE__) run = compileCached(dir);
  } catch {
    // a cache problem must not cost the start: the bundle is required as usual
  }
  // Run outside the try: a failure inside the bundle is its own, and it must not run twice.
  if (run) run();
  else module.require(MAIN);
}

/** The bundle compiled with the cache in `dir`, as a function that runs it (and makes or refreshes the cache once the start is over). */
function compileCached(dir: string): () => void {
  // V8 checks its version and flags itself; the name also keeps caches of other builds, Node
  // versions and flags apart (hashed here without node:crypto, whose loading costs a start 10 ms).
  const key = `${__INITAUDIT_MAIN_SHA256__.slice(0, 24)}-${fnv1a([process.version, process.arch, ...process.execArgv].join('\n'))}`;
  const file = join(dir, `server-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    // no cache yet
  }
  // ASCII, as scripts/bundle.mjs checks: Latin-1 gives the same string, without UTF-8's decoding.
  const source = readFileSync(MAIN, 'latin1');
  const script = new Script(Module.wrap(source), { filename: MAIN, ...(cachedData ? { cachedData } : {}) });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const mod = new Module(MAIN, module);
  mod.filename = MAIN;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(MAIN));
  return () => {
    if (!used) writeLater(script, dir, file);
    wrapper.call(mod.exports, mod.exports, Module.createRequire(MAIN), mod, MAIN, dirname(MAIN));
    mod.loaded = true;
  };
}

/** 32-bit FNV-1a, in hex: enough to tell a handful of runtimes and flag sets apart. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function writeLater(script: Script, dir: string, file: string): void {
  // Written once the start is over, so the cache holds the functions the first analysis compiled
  // too (and an editor that stops the server at once does not lose it).
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      // an unwritable folder: the next start compiles again
    }
  };
  // The server says when its first diagnostics are out (server.ts); a timer and the exit are the fallbacks.
  (globalThis as Record<symbol, unknown>)[START_OVER] = write;
  setTimeout(write, 10_000).unref();
  process.once('exit', write);
}

start();
