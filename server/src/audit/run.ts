// One audit pass over a workspace, shared by the CLI and the language server's audit command:
// discover, read each file once, analyse. Reports progress and stops early when cancelled.

import { analyzeFile } from '../core/engine';
import { FileSystemWorkspace } from '../core/workspace';
import type { Finding } from '../core/types';
import { discoverFiles, type Targets } from '../files/discover';
import type { SkippedFile } from '../files/skipped';
import { toolError } from './errors';
import type { SourceCache } from '../files/source-cache';

export interface ToolError {
  path: string;
  message: string;
}

export interface AuditResult {
  root: string;
  /** Files that were read and analysed. */
  files: string[];
  findings: Finding[];
  skipped: SkippedFile[];
  errors: ToolError[];
  /** Set when the audit was cancelled before every file was analysed. */
  cancelled?: boolean;
}

export function workspaceFor(root: string, cache: SourceCache): FileSystemWorkspace {
  return new FileSystemWorkspace(root, cache.lookup);
}

export interface AuditOptions {
  /** Cancels the audit; what was analysed so far is returned with `cancelled: true`. */
  signal?: AbortSignal;
  /** Called after each file with the number done and the total to do. */
  onProgress?: (done: number, total: number) => void;
}

export async function audit(targets: Targets, cache: SourceCache, options: AuditOptions = {}): Promise<AuditResult> {
  const { files, skipped } = discoverFiles(targets.targets);
  const workspace = workspaceFor(targets.root, cache);
  const audited: string[] = [];
  const findings: Finding[] = [];
  const errors: ToolError[] = [];
  let done = 0;
  let cancelled = false;
  for (const path of files) {
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    options.onProgress?.(done++, files.length);
    const read = cache.readSource(path);
    if (!read.ok) {
      skipped.push(read.skipped);
      continue;
    }
    const result = await analyzeFile({ path, text: read.text }, workspace);
    audited.push(path);
    findings.push(...result.findings);
    for (const message of result.errors) errors.push(toolError(path, message));
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!cancelled) options.onProgress?.(files.length, files.length);
  return { root: targets.root, files: audited, findings, skipped, errors, ...(cancelled ? { cancelled } : {}) };
}
