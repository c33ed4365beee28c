// The engine never runs code, opens sockets or spawns processes. ESLint bans such imports in
// server/src/core/**; this test checks the whole import graph reachable from the core, so a
// helper outside core/ that the engine imports cannot bring one in either.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../support/paths';

const BANNED = new Set(['child_process', 'net', 'http', 'https', 'vm', 'http2', 'dgram', 'tls', 'worker_threads', 'cluster']);

/** Module specifiers in a TypeScript source: import/export ... from, import(), require(). */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1]) out.push(m[1]);
  return out;
}

function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every banned built-in module reachable from `entries`, with the file that imports it. */
export function bannedImports(entries: readonly string[]): { file: string; module: string }[] {
  const seen = new Set<string>();
  const found: { file: string; module: string }[] = [];
  const pending = [...entries];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const local = resolveLocal(file, spec);
        if (local) pending.push(local);
        continue;
      }
      const name = spec.replace(/^node:/, '').split('/')[0] ?? spec;
      if (BANNED.has(name)) found.push({ file, module: spec });
    }
  }
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

suite('robustness: the engine imports nothing that runs code or talks to the network', () => {
  test('no module reachable from server/src/core imports child_process, net, http, vm or the like', () => {
    const root = repoRoot();
    const core = tsFiles(join(root, 'server', 'src', 'core'));
    assert.ok(core.length > 20, `expected the core's sources, found ${core.length} files`);
    const found = bannedImports(core).map(({ file, module }) => `${relative(root, file)} imports ${module}`);
    assert.deepEqual(found, []);
  });

  test('the scan finds a banned import hidden behind a relative import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'initaudit-imports-'));
    try {
      mkdirSync(join(dir, 'util'));
      writeFileSync(join(dir, 'rule.ts'), "import { helper } from './util/helper';\nexport const x = helper;\n");
      writeFileSync(join(dir, 'util', 'helper.ts'), "import { execSync } from 'node:child_process';\nexport const helper = () => require('vm');\nexport { execSync };\n");
      const found = bannedImports([join(dir, 'rule.ts')]).map((f) => `${relative(dir, f.file)}:${f.module}`);
      assert.deepEqual(found.sort(), ['util/helper.ts:node:child_process', 'util/helper.ts:vm']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
