// The version of an npm package a file's package uses, read as text: package-lock.json, then
// yarn.lock, then pnpm-lock.yaml, next to the nearest package.json or at the workspace root; else
// the lower bound of the range in package.json (`^0.36.2` → 0.36.2). Unknown stays unknown.

import { parse as parseJsonc } from 'jsonc-parser';
import { dirname, join } from 'node:path';
import type { Workspace } from '../types';

export function npmVersion(ws: Workspace, file: string, pkg: string): string | undefined {
  const dirs: string[] = [];
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (ws.fileExists(join(dir, 'package.json'))) dirs.push(dir);
    if (dir === ws.root || dirname(dir) === dir || !dirname(dir).startsWith(ws.root)) break;
  }
  if (!dirs.includes(ws.root)) dirs.push(ws.root);
  for (const dir of dirs) {
    const locked = fromLockfiles(ws, dir, pkg);
    if (locked) return locked;
  }
  for (const dir of dirs) {
    const declared = fromPackageJson(ws, join(dir, 'package.json'), pkg);
    if (declared) return declared;
  }
  return undefined;
}

function fromLockfiles(ws: Workspace, dir: string, pkg: string): string | undefined {
  const npm = ws.readFile(join(dir, 'package-lock.json'));
  if (npm) {
    const json = parseJsonc(npm) as { packages?: Record<string, { version?: unknown }>; dependencies?: Record<string, { version?: unknown }> } | undefined;
    const v = json?.packages?.[`node_modules/${pkg}`]?.version ?? json?.dependencies?.[pkg]?.version;
    if (typeof v === 'string') return v;
  }
  const escaped = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const yarn = ws.readFile(join(dir, 'yarn.lock'));
  const y = yarn ? new RegExp(`^"?${escaped}@[^\\n]*:\\n\\s+version:? "?(\\d[\\w.-]*)`, 'm').exec(yarn) : undefined;
  if (y) return y[1];
  const pnpm = ws.readFile(join(dir, 'pnpm-lock.yaml'));
  const p = pnpm ? new RegExp(`^\\s+'?${escaped}'?:\\s*\\n\\s+specifier:[^\\n]*\\n\\s+version:\\s*'?(\\d[\\w.-]*)`, 'm').exec(pnpm) : undefined;
  return p?.[1];
}

function fromPackageJson(ws: Workspace, path: string, pkg: string): string | undefined {
  const text = ws.readFile(path);
  if (!text) return undefined;
  const json = parseJsonc(text) as Record<string, Record<string, unknown> | undefined> | undefined;
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const range = json?.[key]?.[pkg];
    if (typeof range !== 'string') continue;
    const m = /^\s*(?:\^|~|>=|=|v)?\s*(\d+\.\d+\.\d+)(?:[\s-]|$)/.exec(range);
    return m?.[1];
  }
  return undefined;
}
