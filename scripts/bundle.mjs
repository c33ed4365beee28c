// Bundles the extension client, the language server and the CLI with esbuild.
// `--production` minifies and drops source maps (used by `npm run package`).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // The ESM build of web-tree-sitter reads import.meta.url, which a CJS bundle does not have.
  // jsonc-parser's UMD build requires its modules by computed paths esbuild cannot follow; its ESM build bundles.
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs', 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

// The native tree-sitter binding and grammars (optionalDependencies) load .node files at run time:
// never bundled. Only the CLI and the audit worker require them; the language server never does.
const native = ['tree-sitter', 'tree-sitter-ruby', 'tree-sitter-typescript'];

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  // The server itself; server.js, the entry the client starts, loads it through V8's code cache (lsp/start.ts).
  // ASCII only, so the loader can read it as Latin-1, several times faster than UTF-8: esbuild
  // escapes non-ASCII characters in code (charset), and those left in comments are escaped here.
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server-main.js', charset: 'ascii' }).then(() => {
    const text = readFileSync('server/out/server-main.js', 'utf8');
    writeFileSync('server/out/server-main.js', text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    const main = readFileSync('server/out/server-main.js');
    if (main.some((b) => b > 0x7f)) throw new Error('bundle: server/out/server-main.js is not ASCII; lsp/start.ts reads it as Latin-1');
    return esbuild.build({
      ...common,
      entryPoints: ['server/src/lsp/start.ts'],
      outfile: 'server/out/server.js',
      // A cache is only ever used for the bundle it was made from.
      define: { __INITAUDIT_MAIN_SHA256__: JSON.stringify(createHash('sha256').update(main).digest('hex')), __INITAUDIT_MAIN_SIZE__: String(main.length) },
    });
  }),
  // The workspace audit's analysis worker, loaded by server/src/audit/pool.ts from beside the bundle.
  esbuild.build({ ...common, entryPoints: ['server/src/audit/worker.ts'], outfile: 'server/out/audit-worker.js', external: native }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'server/out/cli.js',
    external: native,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
chmodSync('server/out/cli.js', 0o755);
