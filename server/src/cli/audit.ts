// One audit pass: discover, read each file once, analyse sequentially. The engine is async
// only to load a grammar on first use, so a plain loop costs nothing; a worker pool can come later.

import { analyzeFile } from '../core/engine';
import { FileSystemWorkspace } from '../core/workspace';
import type { Finding } from '../core/types';
import { discoverFiles, type Targets } from './discover';
import { toolError } from './errors';
import type { AuditResult, ToolError } from './report';
import type { SourceCache } from './source-cache';

export function workspaceFor(root: string, cache: SourceCache): FileSystemWorkspace {
  return new FileSystemWorkspace(root, cache.lookup);
}

export async function audit(targets: Targets, cache: SourceCache): Promise<AuditResult> {
  const { files, skipped } = discoverFiles(targets.targets);
  const workspace = workspaceFor(targets.root, cache);
  const audited: string[] = [];
  const findings: Finding[] = [];
  const errors: ToolError[] = [];
  for (const path of files) {
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
  return { root: targets.root, files: audited, findings, skipped, errors };
}
