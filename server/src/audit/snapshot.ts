// Auditing files held in memory: the tree of a git revision that `--since` compares with. The
// same engine, policy and skip rules as audit() on disk, in-process, with a workspace that sees
// only the snapshot, so rules reading other files (test.rb, Gemfile.lock) see them as they were.

import { sep } from 'node:path';
import { analyzeFile, applicableRules } from '../core/engine';
import { languageOf } from '../core/parser';
import type { Policy } from '../core/policy';
import type { FileHistory, Finding } from '../core/types';
import { MemoryWorkspace } from '../core/workspace';
import { ALWAYS_SKIPPED_DIRS } from '../files/discover';
import { MAX_FILE_BYTES } from '../files/read-source';

export interface SnapshotResult {
  /** Per analysed file, its text and (policy-applied) findings. */
  files: Map<string, { text: string; findings: Finding[] }>;
  /** Internal failures, with the path already in context. */
  errors: string[];
}

/** `files`: absolute paths (as they would be in the working tree) → texts; only those under `root` are audited. */
export async function auditSnapshot(root: string, files: ReadonlyMap<string, string>, policy?: Policy, history?: FileHistory): Promise<SnapshotResult> {
  const workspace = new MemoryWorkspace(root, files);
  if (policy || history) workspace.settings = { secretBackend: policy?.config.secretBackend ?? 'auto', ...(history ? { history } : {}) };
  const out: SnapshotResult = { files: new Map(), errors: [] };
  const prefix = root.endsWith(sep) ? root : root + sep;
  const limit = Math.min(policy?.config.maxFileSize ?? MAX_FILE_BYTES, MAX_FILE_BYTES);
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.startsWith(prefix) || path.slice(prefix.length).split(sep).slice(0, -1).some((d) => ALWAYS_SKIPPED_DIRS.has(d))) continue;
    const lang = languageOf(path);
    if (!lang || policy?.isExcluded(path) || Buffer.byteLength(text) > limit) continue;
    const file = { path, text };
    const empty = { path, findings: [], parsed: false, syntaxErrors: false, errors: [] };
    const result = applicableRules(lang, text, undefined, path).length > 0 ? await analyzeFile(file, workspace) : empty;
    const applied = policy ? policy.apply(file, result) : result;
    out.errors.push(...applied.errors);
    out.files.set(path, { text, findings: applied.findings });
  }
  return out;
}
