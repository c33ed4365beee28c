// Baselines: the findings a legacy app already has, recorded so that only new ones are reported.
// A finding's fingerprint is its rule, its path relative to the root, the text of its line with
// whitespace collapsed, and which occurrence of that triple it is. It survives lines inserted or
// removed above it and re-indentation, and changes when the offending line itself changes.

import type { Hash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { parseTree, type ParseError } from 'jsonc-parser';
import { LineIndex } from './text';
import type { Finding } from './types';

/** node:crypto, required on first use: loading it is about 10 ms of every start-up, and few runs hash. */
let crypto: typeof import('node:crypto') | undefined;
function createHash(algorithm: string): Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}

export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = '.initaudit-baseline.json';

export interface BaselineEntry {
  ruleId: string;
  /** Relative to the root, with `/` separators. */
  path: string;
  fingerprint: string;
  /** For readers of the file only; matching ignores it. 1-based. */
  line: number;
  message: string;
}

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  tool: 'initaudit';
  findings: BaselineEntry[];
}

export function relativePath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Fingerprints of one file's findings, in the findings' order. */
export function fingerprints(root: string, path: string, text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  const rel = relativePath(root, path);
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const lineText = lines.lineText(f.range.start.line).trim().replace(/\s+/g, ' ');
    const key = `${f.ruleId}\0${rel}\0${lineText}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
  });
}

export function baselineEntries(root: string, path: string, text: string, findings: readonly Finding[]): BaselineEntry[] {
  const prints = fingerprints(root, path, text, findings);
  return findings.map((f, i) => ({ ruleId: f.ruleId, path: relativePath(root, path), fingerprint: prints[i] ?? '', line: f.range.start.line + 1, message: f.message }));
}

export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || (a.ruleId < b.ruleId ? -1 : 1)));
  const file: BaselineFile = { version: BASELINE_VERSION, tool: 'initaudit', findings: sorted };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A parsed baseline: fingerprints per relative path. */
export class Baseline {
  private readonly byPath = new Map<string, Set<string>>();

  constructor(entries: readonly Pick<BaselineEntry, 'path' | 'fingerprint'>[]) {
    for (const e of entries) {
      let set = this.byPath.get(e.path);
      if (!set) this.byPath.set(e.path, (set = new Set()));
      set.add(e.fingerprint);
    }
  }

  get size(): number {
    let n = 0;
    for (const s of this.byPath.values()) n += s.size;
    return n;
  }

  /** The findings not in the baseline. */
  filter(root: string, path: string, text: string, findings: readonly Finding[]): Finding[] {
    const known = this.byPath.get(relativePath(root, path));
    if (!known || findings.length === 0) return [...findings];
    const prints = fingerprints(root, path, text, findings);
    return findings.filter((_, i) => !known.has(prints[i] ?? ''));
  }
}

/** Where JSON text first goes wrong, as " (line L, column C)", from the position alone. */
function jsonErrorAt(text: string): string {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const first = errors[0];
  if (!first) return '';
  const lines = new LineIndex(text);
  const { line, character } = lines.positionAt(first.offset);
  return ` (line ${line + 1}, column ${character + 1})`;
}

/** Parses a baseline file's text; throws an Error with a one-line message when it is not one. */
export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Never JSON.parse's message: it quotes the text, and a mistyped path may name a key file.
    throw new Error(`not valid JSON${jsonErrorAt(text)}`);
  }
  const findings = (data as { findings?: unknown } | null)?.findings;
  if ((data as { version?: unknown } | null)?.version !== BASELINE_VERSION || !Array.isArray(findings)) {
    throw new Error(`not an initaudit baseline (expected {"version": ${BASELINE_VERSION}, "findings": [...]}, written by --write-baseline)`);
  }
  const entries = findings.filter(
    (f): f is { path: string; fingerprint: string } => typeof f === 'object' && f !== null && typeof (f as { path?: unknown }).path === 'string' && typeof (f as { fingerprint?: unknown }).fingerprint === 'string',
  );
  return new Baseline(entries);
}
