// Builds the .vsix: production bundles (minified, no source maps), `vsce package --no-dependencies`,
// then reads the archive's own file list and fails if anything outside the .vscodeignore allowlist
// got in. Run through `npm run package`, which builds (grammars, typecheck, bundles) first.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsixName = `${manifest.name}-${manifest.version}.vsix`;
const vsixPath = join(root, vsixName);

/** Paths inside the .vsix that may exist: what .vscodeignore re-includes, under `extension/`, plus vsce's own files. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/client\/out\/extension\.js$/,
  /^extension\/server\/out\/server\.js$/,
  /^extension\/server\/out\/server-main\.js$/,
  /^extension\/server\/out\/cli\.js$/,
  /^extension\/server\/out\/audit-worker\.js$/,
  /^extension\/grammars\/[^/]+\.wasm$/,
  /^extension\/grammars\/grammars\.lock\.json$/,
  /^extension\/package\.json$/,
  // The rule pages, opened offline in the Markdown preview by "Show documentation".
  /^extension\/docs\/rules\/[a-z0-9-]+\.md$/,
  // vsce stores README.md and CHANGELOG.md as readme.md and changelog.md, and LICENSE as LICENSE.txt.
  /^extension\/readme\.md$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
];

/** Files the extension cannot start without; their absence is a packaging bug as well. */
const REQUIRED = [
  'extension/package.json',
  'extension/client/out/extension.js',
  'extension/server/out/server.js',
  'extension/server/out/server-main.js',
  'extension/server/out/cli.js',
  'extension/server/out/audit-worker.js',
  'extension/grammars/tree-sitter.wasm',
  'extension/grammars/grammars.lock.json',
  // Every rule page.
  ...readdirSync(join(root, 'docs', 'rules'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `extension/docs/rules/${name}`),
];

function run(file, args) {
  console.log(`> ${[file, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`);
  // stdin is closed so a vsce prompt ("Do you want to continue? [y/N]") answers "no" instead of hanging CI.
  execFileSync(file, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Names of the entries in a zip archive, read from its central directory (a .vsix is a zip). */
function zipEntries(buffer) {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end-of-central-directory record)');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('zip64 archives are not expected for a .vsix');
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== CENTRAL) throw new Error(`corrupt central directory at byte ${at}`);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    entries.push({ name: buffer.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

// Source maps from the development build would sit next to minified bundles they no longer match.
for (const dir of ['client/out', 'server/out']) {
  const abs = join(root, dir);
  if (!existsSync(abs)) continue;
  for (const name of readdirSync(abs)) if (name.endsWith('.map')) rmSync(join(abs, name));
}
run(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--production']);

rmSync(vsixPath, { force: true });
const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
run(vsce, ['package', '--no-dependencies', '--out', vsixPath]);

const entries = zipEntries(readFileSync(vsixPath));
const names = new Set(entries.map((e) => e.name));
const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e.name)));
const missing = REQUIRED.filter((p) => !names.has(p));

console.log(`\n${vsixName} contents:`);
for (const e of entries) console.log(`  ${e.name.padEnd(48)} ${formatSize(e.size).padStart(10)}`);
if (unexpected.length > 0 || missing.length > 0) {
  for (const e of unexpected) console.error(`package: ${e.name} is not in the .vscodeignore allowlist`);
  for (const p of missing) console.error(`package: ${p} is missing from the package`);
  rmSync(vsixPath, { force: true });
  process.exit(1);
}
console.log(`\n${vsixName}: ${formatSize(statSync(vsixPath).size)} (${entries.length} entries)`);
