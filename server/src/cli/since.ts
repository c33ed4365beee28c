// `--since <rev>`: report only what a change introduces. The files at <rev> are read through git
// (cli/git.ts) into memory and audited with the same engine and policy (audit/snapshot.ts); their
// findings are subtracted from the working tree's by the baseline's fingerprints (core/baseline.ts:
// rule, path, the line's text, occurrence), so a finding that only moved is not new; a finding whose
// line was edited but whose rule, file and message are the same as one at the base is not new either
// (a version bumped on a Gemfile line does not make that gem's finding new). The head audit gets the
// base too (Workspace.base), so rules that compare with it (lockfile-major-drift) can; the files the
// change deleted come from cli/git-history.ts, measured against the same commit.

import { realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fingerprints, relativePath } from '../core/baseline';
import { changeBase } from '../core/change';
import type { Policy } from '../core/policy';
import type { ChangeBase, FileHistory, FileResult, Finding, SourceFile } from '../core/types';
import { auditSnapshot } from '../audit/snapshot';
import type { Targets } from '../files/discover';
import { gitToplevel, readTree, resolveCommit } from './git';

export interface Since {
  revision: string;
  commit: string;
  base: ChangeBase;
  /** Findings at the base, per relative path: fingerprints, and rule + message keys. */
  known: Map<string, { prints: string[]; messages: string[] }>;
  /** Internal failures while auditing the base. */
  errors: string[];
}

/**
 * Reads and audits the base; throws GitError outside a checkout or for an unknown revision.
 * `history`: what git says of credentials files ever committed, for the base audit (at the base
 * itself nothing is deleted yet).
 */
export async function prepareSince(revision: string, targets: Targets, policy: Policy | undefined, history?: (commit: string) => FileHistory | undefined): Promise<Since> {
  const root = targets.root;
  const top = gitToplevel(root);
  const commit = resolveCommit(top, revision);
  // git names paths from its top folder; the audit names them from the root as given (maybe via a symlink).
  const realRoot = safeRealpath(root);
  const rootRel = relative(safeRealpath(top), realRoot).split(sep).join('/');
  const under = rootRel === '' || rootRel.startsWith('..') ? '' : rootRel;
  const toWorkingTree = (p: string): string => join(root, ...(under ? p.slice(under.length + 1) : p).split('/'));
  const texts = new Map<string, string>();
  for (const f of readTree(top, commit, under, () => true)) texts.set(toWorkingTree(f.path), f.text);
  const inRoot = (p: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const base = changeBase(revision, texts, { knows: inRoot });

  const committed = history?.(commit)?.committed;
  const snapshot = await auditSnapshot(root, texts, policy, { deleted: [], ...(committed ? { committed } : {}) });
  const known = new Map<string, { prints: string[]; messages: string[] }>();
  for (const [path, { text, findings: all }] of snapshot.files) {
    // Editor-only markers are not reported, at the base as in the working tree.
    const findings = all.filter((f) => !f.secondary);
    if (findings.length === 0) continue;
    known.set(relativePath(root, path), { prints: fingerprints(root, path, text, findings), messages: findings.map(messageKey) });
  }
  return { revision, commit, base, known, errors: snapshot.errors };
}

function messageKey(f: Finding): string {
  return `${f.ruleId}\0${f.message}`;
}

/** One file's findings that are not at the base. */
function introduced(since: Since, root: string, path: string, text: string, findings: readonly Finding[]): Finding[] {
  const known = since.known.get(relativePath(root, path));
  if (!known || findings.length === 0) return [...findings];
  const prints = fingerprints(root, path, text, findings);
  const printsLeft = [...known.prints];
  const messagesLeft = [...known.messages];
  const take = (list: string[], key: string): boolean => {
    const i = list.indexOf(key);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  };
  // Same line first (fingerprints), then the same rule and message on an edited line.
  const sameLine = findings.map((f, i) => {
    if (!take(printsLeft, prints[i] ?? '')) return false;
    take(messagesLeft, messageKey(f));
    return true;
  });
  return findings.filter((f, i) => !sameLine[i] && !take(messagesLeft, messageKey(f)));
}

/** The findings the change introduced; `textOf` gives each file's current text for its fingerprints. */
export function newFindings(since: Since, root: string, findings: readonly Finding[], textOf: (path: string) => string | undefined): Finding[] {
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  const keep = new Set<Finding>();
  for (const [path, list] of byPath) for (const f of introduced(since, root, path, textOf(path) ?? '', list)) keep.add(f);
  return findings.filter((f) => keep.has(f));
}

/** The same subtraction as a policy step, for --fix: only the findings the change introduced are fixed. */
export function sincePolicy(since: Since, root: string, policy: Policy | undefined): { apply(file: SourceFile, result: FileResult): FileResult } {
  return {
    apply: (file, result) => {
      const applied = policy ? policy.apply(file, result) : result;
      return { ...applied, findings: introduced(since, root, file.path, file.text, applied.findings) };
    },
  };
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
