// The last workspace audit, kept in the extension's workspace storage so that a reload shows it
// again instead of emptying Problems. Only files with findings are kept, each with the size and
// modification time it had, so a file changed since is re-checked rather than shown stale.
// Findings hold names and positions only, never a value read from a file.

import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../core/types';
import type { AuditSummary } from './protocol';

const FILE = 'last-audit.json';
const VERSION = 1;

export interface StoredFile {
  path: string;
  size: number;
  mtimeMs: number;
  findings: Finding[];
}

export interface StoredAudit {
  version: typeof VERSION;
  summary: AuditSummary;
  files: StoredFile[];
}

/** Writes the audit (replacing the last one); the files' sizes and times are read now. */
export function saveAudit(dir: string, summary: AuditSummary, byPath: ReadonlyMap<string, readonly Finding[]>): void {
  const files: StoredFile[] = [];
  for (const [path, findings] of byPath) {
    if (findings.length === 0) continue;
    const stat = statOf(path);
    // Fixes are recomputed when the file is opened; only what Problems shows is kept.
    if (stat) files.push({ path, ...stat, findings: findings.map((f) => ({ ...f, fixes: [] })) });
  }
  mkdirSync(dir, { recursive: true });
  const target = join(dir, FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: VERSION, summary, files } satisfies StoredAudit));
  renameSync(temporary, target);
}

/** The kept audit, or undefined when there is none or it cannot be read (it is then simply not shown). */
export function loadAudit(dir: string): StoredAudit | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const stored = raw as Partial<StoredAudit>;
  if (stored.version !== VERSION || !Array.isArray(stored.files) || typeof stored.summary !== 'object') return undefined;
  return stored as StoredAudit;
}

/** Whether a kept file is as it was when audited (same size and modification time). */
export function unchangedSince(file: StoredFile): boolean {
  const stat = statOf(file.path);
  return stat !== undefined && stat.size === file.size && stat.mtimeMs === file.mtimeMs;
}

function statOf(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
