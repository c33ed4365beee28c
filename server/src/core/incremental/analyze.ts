// Incremental analysis of one document (the editor's keystroke diagnostics): re-analyse only the
// units an edit can change, reuse the findings of the others, shifted to their new offsets.
//
// The file is cut into units (units.ts). An edit touches the units between the longest unchanged
// prefix and suffix of the text. Rules that support it (`Rule.incremental`) record facts per unit
// while they analyse (`RuleContext.units`): keys linking units (the assignments of one setting),
// facts a unit uses or provides (a `const` flag), words its findings depend on (a local read
// anywhere in the file) and file-wide facts (environment names). The touched units, every unit
// linked to them, and every unit whose words the touched text contains are analysed together; the
// walk visits only the nodes starting in them. Anything unusual falls back to a full analysis:
// a syntax error, a frame edited, a barrier in the file, a file-wide fact changed, a fact a rule
// could not attribute, a finding spanning units, a rule reading this file through the workspace.
// The result equals a full analysis without fixes (test/incremental/ checks it on random edits).

import { analyzeFileSync, applicableRules, describe, dispatcher, reporter, sortFindings, visitAll } from '../engine';
import { hasGrammar, isLoaded, languageOf, parserBackend, type SyntaxNode, type Tree } from '../parser';
import type { Rule, RuleContext, RuleVisitor, UnitFacts } from '../rule';
import { RULES } from '../rules';
import { LineIndex } from '../text';
import type { FileResult, Finding, GrammarLanguage, Position, SourceFile, Workspace } from '../types';
import { unitAt, unitsOf, type Unit } from './units';

interface Facts {
  links?: string[];
  uses?: string[];
  provides?: string[];
  words?: string[];
  globals?: string[];
}

interface UnitRecord {
  facts: Facts;
  /** Findings whose ranges lie in this unit, in report order, with their rule's index. */
  findings: { rule: number; finding: Finding }[];
}

/** What one analysis leaves for the next; opaque to callers. */
export interface IncrementalState {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly rules: string;
  readonly settings: string;
  readonly units: readonly Unit[];
  readonly records: readonly UnitRecord[];
}

export interface IncrementalResult {
  result: FileResult;
  /** Undefined when the next analysis must be a full one. */
  state: IncrementalState | undefined;
  /** How this result was computed, and how many units were analysed (all of them for `full`). */
  mode: 'full' | 'incremental' | 'unchanged';
  analysedUnits: number;
}

/** Stop growing the re-analysed set past this share of the file: a full analysis is cheaper then. */
const MAX_SHARE = 0.5;
const MAX_ROUNDS = 4;

/**
 * Findings without fixes for `file`, whose tree is `tree` (the caller keeps it), reusing what
 * `previous` (the state of the last analysis of the same document) still holds.
 */
export function analyzeIncrementalSync(file: SourceFile, workspace: Workspace, tree: Tree, previous: IncrementalState | undefined, rules: readonly Rule[] = RULES): IncrementalResult {
  const full = (): IncrementalResult => ({ result: analyzeFileSync(file, workspace, { tree, withoutFixes: true, rules }), state: undefined, mode: 'full', analysedUnits: -1 });
  const lang = languageOf(file.path);
  if (!lang || !hasGrammar(lang) || !isLoaded(lang)) return full();
  const applicable = applicableRules(lang, file.text, rules, file.path);
  if (applicable.length === 0 || !applicable.every((r) => r.incremental)) return full();
  if (tree.rootNode.hasError) return full();
  const units = unitsOf(tree, lang, file.text.length, (type, node) => applicable.some((r) => r.incremental?.barrier(type, node) === true));
  if (units.some((u) => u.barrier)) return full();
  const ruleKey = applicable.map((r) => r.meta.id).join(',');
  const settings = JSON.stringify(workspace.settings ?? null);
  const usable = previous && previous.path === file.path && previous.rules === ruleKey && previous.settings === settings ? previous : undefined;
  // What the edit left alone: the longest common prefix and suffix of the two texts.
  const prefix = usable ? commonPrefix(usable.text, file.text) : 0;
  const suffix = usable ? commonSuffix(usable.text, file.text, prefix) : 0;
  const lines = usable ? LineIndex.afterEdit(usable.lines, file.text, prefix, suffix) : new LineIndex(file.text);
  const env: Env = { file, lang, workspace, tree, rules: applicable, units, lines, rowOf: rowsOf(file.text, lines), ruleKey, settings };
  if (usable) {
    const done = incremental(env, usable, prefix, suffix);
    if (done) return done;
  }
  const all = run(env, undefined, []);
  if (!all) return full();
  const state = all.whole ? undefined : stateOf(env, all.records);
  return { result: resultOf(env, all.records, all.errors), state, mode: 'full', analysedUnits: units.length };
}

interface Env {
  file: SourceFile;
  lang: GrammarLanguage;
  workspace: Workspace;
  tree: Tree;
  rules: readonly Rule[];
  units: readonly Unit[];
  lines: LineIndex;
  /** The tree-sitter row of an offset (only "\n" starts one). */
  rowOf: (offset: number) => number;
  ruleKey: string;
  settings: string;
}

/** `p` and `s`: the lengths of the longest common prefix and suffix of the old and new texts. */
function incremental(env: Env, old: IncrementalState, p: number, s: number): IncrementalResult | undefined {
  const oldText = old.text;
  const text = env.file.text;
  if (p === text.length && p === oldText.length) return { result: resultOf(env, old.records, []), state: old, mode: 'unchanged', analysedUnits: 0 };
  const delta = text.length - oldText.length;
  const units = env.units;
  const n = units.length;
  const m = old.units.length;
  let a = 0;
  while (a < n && a < m && sameSpan(old.units[a]!, units[a]!, 0) && units[a]!.end <= p) a++;
  let b = 0;
  while (b < n - a && b < m - a && sameSpan(old.units[m - 1 - b]!, units[n - 1 - b]!, delta) && units[n - 1 - b]!.start >= text.length - s) b++;
  const oldOf = (j: number): number => (j < a ? j : j - (n - m));
  for (let i = a; i < m - b; i++) if (old.units[i]!.frame) return undefined;
  for (let j = a; j < n - b; j++) if (units[j]!.frame) return undefined;

  // Index the facts of the units the edit left alone, by key.
  const index = { links: new Map<string, number[]>(), uses: new Map<string, number[]>(), provides: new Map<string, number[]>(), words: new Map<string, number[]>() };
  const unchanged = (j: number): boolean => j < a || j >= n - b;
  for (let j = 0; j < n; j++) {
    if (!unchanged(j)) continue;
    const f = old.records[oldOf(j)]!.facts;
    for (const kind of ['links', 'uses', 'provides', 'words'] as const) {
      for (const k of f[kind] ?? []) {
        const list = index[kind].get(k);
        if (list) list.push(j);
        else index[kind].set(k, [j]);
      }
    }
  }
  const selected = new Uint8Array(n);
  let count = 0;
  const select = (js: readonly number[] | undefined): void => {
    for (const j of js ?? []) {
      if (selected[j]) continue;
      selected[j] = 1;
      count++;
    }
  };
  for (let j = 0; j < n; j++) if (units[j]!.frame || !unchanged(j)) select([j]);
  // What the touched units held before the edit: its settings' other assignments must be analysed again.
  const expandTouched = (f: Facts): void => {
    for (const k of f.links ?? []) select(index.links.get(k));
    for (const k of f.uses ?? []) select(index.provides.get(k));
    for (const k of f.provides ?? []) select(index.uses.get(k));
  };
  for (let i = a; i < m - b; i++) expandTouched(old.records[i]!.facts);
  for (const w of wordsIn(oldText.slice(old.units[a]?.start ?? 0, old.units[m - 1 - b]?.end ?? 0))) select(index.words.get(w));
  for (const w of wordsIn(text.slice(units[a]?.start ?? 0, units[n - 1 - b]?.end ?? 0))) select(index.words.get(w));

  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (count > Math.max(8, n * MAX_SHARE)) return undefined;
    const picked: number[] = [];
    for (let j = 0; j < n; j++) if (selected[j]) picked.push(j);
    const outside = new Set<string>();
    for (let j = 0; j < n; j++) if (!selected[j]) for (const g of old.records[oldOf(j)]!.facts.globals ?? []) outside.add(g);
    const part = run(env, picked, [...outside]);
    if (!part || part.whole || part.errors.length) return undefined;
    // The analysed units may link to units outside the set (a setting assigned elsewhere): widen and redo.
    const before = count;
    for (const j of picked) {
      const f = part.records[j]!.facts;
      for (const k of f.links ?? []) select(index.links.get(k));
      for (const k of f.uses ?? []) select(index.provides.get(k));
      if (!unchanged(j)) for (const k of f.provides ?? []) select(index.uses.get(k));
    }
    if (count !== before) continue;
    // A finding outside the analysed units cannot come from them.
    for (let j = 0; j < n; j++) if (!selected[j] && part.records[j]!.findings.length) return undefined;
    const globalsBefore = globalsOf(old.records);
    const records: UnitRecord[] = [];
    for (let j = 0; j < n; j++) records.push(selected[j] ? part.records[j]! : shifted(env, old, old.records[oldOf(j)]!, j >= n - b ? delta : 0));
    if (globalsOf(records) !== globalsBefore) return undefined;
    return { result: resultOf(env, records, []), state: stateOf(env, records), mode: 'incremental', analysedUnits: picked.length };
  }
  return undefined;
}

/** Characters compared one at a time at most; longer stretches are compared as slices, which is a memory comparison. */
const CHUNK = 256;

/** The length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  // Gallop in growing chunks while they are equal, then narrow down character by character.
  for (let step = CHUNK; p + step <= max && a.slice(p, p + step) === b.slice(p, p + step); step = Math.min(step * 2, 1 << 16)) p += step;
  for (let step = CHUNK; step >= 1 && p < max; step >>= 1) while (p + step <= max && a.slice(p, p + step) === b.slice(p, p + step)) p += step;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the longest common suffix of `a` and `b` that does not overlap their first `prefix` characters. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  const al = a.length;
  const bl = b.length;
  let s = 0;
  for (let step = CHUNK; s + step <= max && a.slice(al - s - step, al - s) === b.slice(bl - s - step, bl - s); step = Math.min(step * 2, 1 << 16)) s += step;
  for (let step = CHUNK; step >= 1 && s < max; step >>= 1) while (s + step <= max && a.slice(al - s - step, al - s) === b.slice(bl - s - step, bl - s)) s += step;
  while (s < max && a.charCodeAt(al - 1 - s) === b.charCodeAt(bl - 1 - s)) s++;
  return s;
}

function sameSpan(o: Unit, u: Unit, delta: number): boolean {
  return o.start + delta === u.start && o.end + delta === u.end && o.frame === u.frame && o.type === u.type && o.topLevel === u.topLevel && o.barrier === u.barrier;
}

function wordsIn(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

function globalsOf(records: readonly UnitRecord[]): string {
  const all = new Set<string>();
  for (const r of records) for (const g of r.facts.globals ?? []) all.add(g);
  return [...all].sort().join('\n');
}

interface RunOutput {
  records: UnitRecord[];
  errors: string[];
  /** A rule asked for the whole file, read this file through the workspace, or a finding spans units. */
  whole: boolean;
}

/**
 * Runs the rules over the nodes starting in the picked units (all when undefined). `outside`: the
 * file-wide facts of the units not analysed, which the rules take into account.
 */
function run(env: Env, picked: readonly number[] | undefined, outside: readonly string[]): RunOutput | undefined {
  const { file, units, lines } = env;
  const records: UnitRecord[] = units.map(() => ({ facts: {}, findings: [] }));
  let whole = false;
  const at = (where: SyntaxNode | number): number => unitAt(units, typeof where === 'number' ? where : where.startIndex);
  const add = (where: SyntaxNode | number, kind: keyof Facts, key: string): void => {
    const f = records[at(where)]!.facts;
    (f[kind] ??= []).push(key);
  };
  const sink: UnitFacts & { outside(): readonly string[] } = {
    link: (w, k) => add(w, 'links', k),
    use: (w, k) => add(w, 'uses', k),
    provide: (w, k) => add(w, 'provides', k),
    word: (w, k) => add(w, 'words', k),
    global: (w, k) => add(w, 'globals', k),
    wholeFile: () => {
      whole = true;
    },
    outside: () => outside,
  };
  // A rule reading this very file through the workspace depends on all of it.
  const workspace: Workspace = Object.create(env.workspace) as Workspace;
  Object.defineProperty(workspace, 'readFile', {
    value: (path: string) => {
      if (path === file.path) whole = true;
      return env.workspace.readFile(path);
    },
  });
  const errors: string[] = [];
  const perRule: FileResult[] = [];
  const visitors: { rule: Rule; visitor: RuleVisitor }[] = [];
  for (const rule of env.rules) {
    const result: FileResult = { path: file.path, findings: [], parsed: true, syntaxErrors: false, errors };
    perRule.push(result);
    const ctx: RuleContext = {
      file,
      lang: env.lang,
      workspace,
      tree: env.tree,
      lines,
      report: reporter(rule, file, workspace, result, true),
      withoutFixes: true,
      units: sink,
      reparseHasNoNewErrors: () => false,
    };
    try {
      visitors.push({ rule, visitor: rule.create(ctx) });
    } catch (e) {
      errors.push(`${file.path}: rule ${rule.meta.id} failed: ${describe(e)}`);
    }
  }
  const { types, visit } = dispatcher(visitors, errors, file.path);
  if (types.length > 0) {
    if (!picked) visitAll(env.tree, types, visit);
    else {
      // Consecutive picked units are one range; rows (only "\n" starts one) bound the query, offsets filter it.
      for (let i = 0; i < picked.length; ) {
        let k = i;
        while (k + 1 < picked.length && picked[k + 1] === picked[k]! + 1) k++;
        const start = units[picked[i]!]!.start;
        const end = units[picked[k]!]!.end;
        const startPosition = { row: env.rowOf(start), column: 0 };
        const endPosition = { row: env.rowOf(Math.max(start, end - 1)) + 1, column: 0 };
        const nodes = parserBackend().nodesOfTypes(env.tree, types, { startPosition, endPosition });
        if (!nodes) return undefined;
        for (const node of nodes) {
          const s = node.startIndex;
          if (s >= start && s < end) visit(node);
        }
        i = k + 1;
      }
    }
  }
  for (const { rule, visitor } of visitors) {
    try {
      visitor.finish?.();
    } catch (e) {
      errors.push(`${file.path}: rule ${rule.meta.id} failed: ${describe(e)}`);
    }
  }
  perRule.forEach((result, r) => {
    for (const finding of result.findings) {
      const j = unitOfFinding(env, finding);
      if (j === undefined) whole = true;
      else records[j]!.findings.push({ rule: r, finding });
    }
  });
  return { records, errors, whole };
}

/** The unit holding every range of the finding in this file; undefined when they span units. */
function unitOfFinding(env: Env, f: Finding): number | undefined {
  const offsets = [f.range.start, f.range.end, ...f.related.filter((r) => r.path === f.path).flatMap((r) => [r.range.start, r.range.end])].map((p) => env.lines.offsetAt(p));
  const j = unitAt(env.units, offsets[0]!);
  const u = env.units[j]!;
  return offsets.every((o) => o >= u.start && o <= u.end) ? j : undefined;
}

/** An unchanged unit's record with its findings moved by `delta` characters. */
function shifted(env: Env, old: IncrementalState, record: UnitRecord, delta: number): UnitRecord {
  if (record.findings.length === 0) return record;
  const move = (p: Position): Position => env.lines.positionAt(old.lines.offsetAt(p) + delta);
  return {
    facts: record.facts,
    findings: record.findings.map(({ rule, finding }) => ({
      rule,
      finding: {
        ...finding,
        range: { start: move(finding.range.start), end: move(finding.range.end) },
        related: finding.related.map((r) => (r.path === finding.path ? { ...r, range: { start: move(r.range.start), end: move(r.range.end) } } : r)),
      },
    })),
  };
}

function stateOf(env: Env, records: UnitRecord[]): IncrementalState {
  return { path: env.file.path, text: env.file.text, lines: env.lines, rules: env.ruleKey, settings: env.settings, units: env.units, records };
}

/** The findings in the order a full analysis gives: by position, ties by rule order, then report order. */
function resultOf(env: Env, records: readonly UnitRecord[], errors: string[]): FileResult {
  const all = records.flatMap((r) => r.findings);
  all.sort((x, y) => x.finding.range.start.line - y.finding.range.start.line || x.finding.range.start.character - y.finding.range.start.character || x.rule - y.rule);
  return sortFindings({ path: env.file.path, findings: all.map((x) => x.finding), parsed: true, syntaxErrors: false, errors });
}

/** Rows from the line index when the text has no "\r" (then its lines and tree-sitter's rows agree), else by counting "\n". */
function rowsOf(text: string, lines: LineIndex): (offset: number) => number {
  if (!text.includes('\r')) return (offset) => lines.positionAt(offset).line;
  let newlines: number[] | undefined;
  return (offset) => rowOf((newlines ??= newlineOffsets(text)), offset);
}

function newlineOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** The tree-sitter row of an offset: how many "\n" come before it. */
function rowOf(newlines: readonly number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
