// Bundles the extension client, the language server and the CLI with esbuild.
// `--production` minifies and drops source maps (used by `npm run package`).
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

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
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'server/out/server.js' }),
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
