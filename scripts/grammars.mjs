// Copies the tree-sitter runtime and grammar wasm files from pinned npm packages into grammars/
// and checks them against grammars/grammars.lock.json (versions + sha256). `--update` rewrites the lock.
// Nothing is downloaded: the files come from node_modules, installed by `npm ci`.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'grammars');
const lockPath = join(out, 'grammars.lock.json');

/** target file in grammars/ -> [npm package, file inside it] */
const SOURCES = {
  'tree-sitter.wasm': ['web-tree-sitter', 'web-tree-sitter.wasm'],
  'tree-sitter-ruby.wasm': ['tree-sitter-ruby', 'tree-sitter-ruby.wasm'],
  'tree-sitter-typescript.wasm': ['tree-sitter-typescript', 'tree-sitter-typescript.wasm'],
  'tree-sitter-tsx.wasm': ['tree-sitter-typescript', 'tree-sitter-tsx.wasm'],
};

const update = process.argv.includes('--update');
const lock = existsSync(lockPath) ? JSON.parse(readFileSync(lockPath, 'utf8')) : { files: {} };
const next = { comment: 'Written by `npm run grammars:update`; checked by `npm run grammars`.', files: {} };
mkdirSync(out, { recursive: true });
let failed = false;
for (const [target, [pkg, file]] of Object.entries(SOURCES)) {
  const pkgDir = join(root, 'node_modules', pkg);
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  const bytes = readFileSync(join(pkgDir, file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  next.files[target] = { package: pkg, version, file, sha256 };
  const pinned = lock.files[target];
  if (!update && (!pinned || pinned.version !== version || pinned.sha256 !== sha256)) {
    console.error(`grammars: ${target} from ${pkg}@${version} (sha256 ${sha256}) does not match grammars.lock.json` +
      (pinned ? ` (${pinned.package}@${pinned.version}, sha256 ${pinned.sha256})` : ' (not recorded)') +
      '. If the upgrade is intended, run `npm run grammars:update` and commit the lock.');
    failed = true;
    continue;
  }
  copyFileSync(join(pkgDir, file), join(out, target));
}
if (failed) process.exit(1);
if (update) {
  writeFileSync(lockPath, JSON.stringify(next, null, 2) + '\n');
  console.log(`grammars: lock written for ${Object.keys(next.files).length} files`);
}
