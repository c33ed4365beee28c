// The analysis entry point: prefilter by literal triggers, parse once, walk once,
// dispatch each node to the rules subscribed to its type.

import { hasGrammar, isLoaded, languageOf, loadLanguage, parserBackend, parseSync, type SyntaxNode, type Tree } from './parser';
import { RULES } from './rules';
import type { Rule, RuleContext, RuleVisitor } from './rule';
import type { Policy } from './policy';
import { escapeRegExp, LineIndex } from './text';
import { reparseWithEdits } from './reparse';
import { offerableFixes } from './fixes/guard';
import type { FileResult, LanguageId, SourceFile, Workspace } from './types';

export type { FileResult } from './types';

export interface AnalyzeOptions {
  rules?: readonly Rule[];
  /** A tree the caller keeps for incremental reparsing (the editor); the engine does not delete it. */
  tree?: Tree;
  /** Configuration, suppressions and baseline, applied to the result (core/policy.ts). */
  policy?: Pick<Policy, 'apply'>;
  /**
   * The caller shows the findings but not their fixes (the editor's diagnostics, on every keystroke):
   * fixes are not offered, so none is checked by a reparse, the costly part of analysing a large file
   * with many findings. Code actions and --fix analyse again without this.
   */
  withoutFixes?: boolean;
}

/**
 * Fixes checked by a reparse per file analysis: at most 100, and fewer in large files, about 8 MB of
 * reparsed text in all. Beyond it no fix is offered: each check reparses the file (tree-sitter-ruby
 * barely reuses the old tree), so a generated file with thousands of findings would otherwise take
 * minutes. --fix re-analyses after each fix, so it still reaches them all.
 */
export function maxFixChecks(textLength: number): number {
  return Math.max(1, Math.min(100, Math.floor(8_000_000 / Math.max(1, textLength))));
}

/**
 * The prefilter of one language and one set of candidate rules (those whose `appliesTo` takes the
 * path): one regular expression that finds whether any trigger is in a text at all, which is one
 * pass where testing each trigger in turn is one pass per trigger. Most files hold none.
 */
interface TriggerPlan {
  candidates: Rule[];
  any: RegExp;
  /** Every trigger is printable ASCII, so the bytes can be searched before they are decoded. */
  ascii: boolean;
}

const plans = new WeakMap<readonly Rule[], Map<string, TriggerPlan>>();

function triggerPlan(lang: LanguageId, rules: readonly Rule[], path: string | undefined): TriggerPlan {
  let byKey = plans.get(rules);
  if (!byKey) plans.set(rules, (byKey = new Map()));
  // Which rules take the file, one character per rule: the key of the plan.
  let key = lang;
  for (const r of rules) key += r.languages.includes(lang) && (path === undefined || (r.appliesTo?.(path) ?? true)) ? '1' : '0';
  let plan = byKey.get(key);
  if (!plan) {
    const taken = key.slice(lang.length);
    const candidates = rules.filter((_, i) => taken[i] === '1');
    const triggers = [...new Set(candidates.flatMap((r) => r.triggers[lang] ?? []))];
    // No trigger: a pattern that matches nothing.
    const any = new RegExp(triggers.length > 0 ? triggers.map(escapeRegExp).join('|') : '[^\\s\\S]');
    byKey.set(key, (plan = { candidates, any, ascii: triggers.every((t) => ASCII.test(t)) }));
  }
  return plan;
}

/** Rules that would look at a file of this language with this text (and, when given, this path). */
export function applicableRules(lang: LanguageId, text: string, rules: readonly Rule[] = RULES, path?: string): Rule[] {
  // The editor asks several times about one keystroke's text (validation, then its analysis), and
  // each time is a search of the whole text for every absent trigger.
  const last = lastApplicable;
  if (last && last.lang === lang && last.rules === rules && last.path === path && last.text === text) return [...last.result];
  const plan = triggerPlan(lang, rules, path);
  const result = plan.candidates.length === 0 || !plan.any.test(text) ? [] : plan.candidates.filter((r) => (r.triggers[lang] ?? []).some((t) => text.includes(t)));
  lastApplicable = { lang, rules, path, text, result };
  return [...result];
}

let lastApplicable: { lang: LanguageId; rules: readonly Rule[]; path: string | undefined; text: string; result: readonly Rule[] } | undefined;

const ASCII = /^[\x20-\x7e]*$/;

/**
 * `applicableRules` on a file's UTF-8 bytes, before they are decoded: an ASCII trigger is in the
 * text exactly when its bytes are in the file (UTF-8 keeps ASCII as is, and a replacement character
 * for invalid bytes is never ASCII), hence exactly when it is in the bytes read as Latin-1, one
 * character per byte. Undefined when some trigger is not ASCII: decode and ask `applicableRules`.
 */
export function applicableRulesForBytes(lang: LanguageId, bytes: Buffer, rules: readonly Rule[] = RULES, path?: string): Rule[] | undefined {
  const plan = triggerPlan(lang, rules, path);
  if (!plan.ascii) return undefined;
  if (plan.candidates.length === 0) return [];
  const chars = bytes.toString('latin1');
  if (!plan.any.test(chars)) return [];
  return plan.candidates.filter((r) => (r.triggers[lang] ?? []).some((t) => chars.includes(t)));
}

/** Analyzes one file. Never throws for anything about the file's content. */
export async function analyzeFile(file: SourceFile, workspace: Workspace, options: AnalyzeOptions = {}): Promise<FileResult> {
  const result = await analyzeUnfiltered(file, workspace, options);
  return options.policy ? options.policy.apply(file, result) : result;
}

/** Synchronous variant for callers that have already loaded the grammar (the editor's hot path). */
export function analyzeFileSync(file: SourceFile, workspace: Workspace, options: AnalyzeOptions = {}): FileResult {
  const result = analyzeUnfilteredSync(file, workspace, options);
  return options.policy ? options.policy.apply(file, result) : result;
}

async function analyzeUnfiltered(file: SourceFile, workspace: Workspace, options: AnalyzeOptions): Promise<FileResult> {
  const lang = languageOf(file.path);
  const result: FileResult = { path: file.path, findings: [], parsed: false, syntaxErrors: false, errors: [] };
  if (!lang) return result;
  const rules = applicableRules(lang, file.text, options.rules, file.path);
  if (rules.length === 0) return result;
  if (!isLoaded(lang)) await loadLanguage(lang);
  // Grammars rules read other files with; one that fails to load leaves those files unknown to the rule.
  for (const other of new Set(rules.flatMap((r) => r.readsLanguages ?? []))) if (!isLoaded(other)) await loadLanguage(other).catch(() => undefined);
  return analyzeLoaded(file, lang, workspace, rules, options.tree, result, options.withoutFixes === true);
}

function analyzeUnfilteredSync(file: SourceFile, workspace: Workspace, options: AnalyzeOptions): FileResult {
  const lang = languageOf(file.path);
  const result: FileResult = { path: file.path, findings: [], parsed: false, syntaxErrors: false, errors: [] };
  if (!lang) return result;
  const rules = applicableRules(lang, file.text, options.rules, file.path);
  if (rules.length === 0) return result;
  if (!isLoaded(lang)) {
    result.errors.push(`${file.path}: the ${lang} grammar is not loaded`);
    return result;
  }
  return analyzeLoaded(file, lang, workspace, rules, options.tree, result, options.withoutFixes === true);
}

function analyzeLoaded(
  file: SourceFile,
  lang: LanguageId,
  workspace: Workspace,
  rules: readonly Rule[],
  given: Tree | undefined,
  result: FileResult,
  withoutFixes: boolean,
): FileResult {
  if (!hasGrammar(lang)) return scanText(file, lang, workspace, rules, result, withoutFixes);
  const tree = given ?? parseSync(lang, file.text);
  if (!tree) {
    result.errors.push(`${file.path}: the parser failed on this file`);
    return result;
  }
  try {
    result.parsed = true;
    result.syntaxErrors = tree.rootNode.hasError;
    const lines = new LineIndex(file.text);
    let fixChecks = 0;
    const fixCheckBudget = maxFixChecks(file.text.length);
    const visitors: { rule: Rule; visitor: RuleVisitor }[] = [];
    for (const rule of rules) {
      const ctx: RuleContext = {
        file,
        lang,
        workspace,
        tree,
        lines,
        report: reporter(rule, file, workspace, result, withoutFixes),
        note: (n) => (result.notes ??= []).push({ ...n, ruleId: rule.meta.id, path: file.path }),
        ...(withoutFixes ? { withoutFixes } : {}),
        reparseHasNoNewErrors: (edits) => {
          if (withoutFixes || ++fixChecks > fixCheckBudget) return false;
          const after = reparseWithEdits(lang, file.text, lines, tree, edits);
          if (!after) return false;
          try {
            return errorCount(after) <= errorCount(tree);
          } finally {
            after.delete();
          }
        },
      };
      try {
        visitors.push({ rule, visitor: rule.create(ctx) });
      } catch (e) {
        result.errors.push(`${file.path}: rule ${rule.meta.id} failed: ${describe(e)}`);
      }
    }
    walk(tree, visitors, result, file.path);
    for (const { rule, visitor } of visitors) {
      try {
        visitor.finish?.();
      } catch (e) {
        result.errors.push(`${file.path}: rule ${rule.meta.id} failed: ${describe(e)}`);
      }
    }
  } finally {
    if (!given) tree.delete();
  }
  return sortFindings(result);
}

/** Files without a grammar: each rule scans the text once. */
function scanText(file: SourceFile, lang: LanguageId, workspace: Workspace, rules: readonly Rule[], result: FileResult, withoutFixes: boolean): FileResult {
  const lines = new LineIndex(file.text);
  for (const rule of rules) {
    if (!rule.scanText) continue;
    try {
      rule.scanText({
        file,
        lang,
        workspace,
        lines,
        report: reporter(rule, file, workspace, result, withoutFixes),
        note: (n) => (result.notes ??= []).push({ ...n, ruleId: rule.meta.id, path: file.path }),
        ...(withoutFixes ? { withoutFixes } : {}),
      });
    } catch (e) {
      result.errors.push(`${file.path}: rule ${rule.meta.id} failed: ${describe(e)}`);
    }
  }
  return sortFindings(result);
}

/** Collects one rule's reports into `result` (also used by incremental analysis). */
export function reporter(rule: Rule, file: SourceFile, workspace: Workspace, result: FileResult, withoutFixes: boolean): RuleContext['report'] {
  return (f) =>
    result.findings.push({
      ruleId: rule.meta.id,
      severity: f.severity ?? rule.meta.defaultSeverity,
      path: file.path,
      range: f.range,
      message: f.message,
      ...(f.details ? { details: f.details } : {}),
      ...(f.secondary ? { secondary: true as const } : {}),
      related: f.related ?? [],
      fixes: withoutFixes || !f.fixes ? [] : offerableFixes(typeof f.fixes === 'function' ? f.fixes() : f.fixes, workspace),
    });
}

export function sortFindings(result: FileResult): FileResult {
  result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return result;
}

/**
 * One pass over the tree, in document order, handing each node of a subscribed type to its rules.
 * The pass is a tree-sitter query over the union of subscribed types (the binding's `nodesOfTypes`):
 * the traversal runs inside the binding instead of one call per cursor step, which halves it on
 * large files.
 */
function walk(tree: Tree, visitors: { rule: Rule; visitor: RuleVisitor }[], result: FileResult, path: string): void {
  const { types, visit } = dispatcher(visitors, result.errors, path);
  visitAll(tree, types, visit);
}

/**
 * Every node of the given types, in document order: the backend's query, or a cursor walk, which
 * visits the same nodes in the same order, while the query is not built (also used by the editor's
 * incremental analysis for its first, whole-file pass).
 */
export function visitAll(tree: Tree, types: readonly string[], visit: (node: SyntaxNode) => void): void {
  if (types.length === 0) return;
  const nodes = parserBackend().nodesOfTypes(tree, types);
  if (nodes) {
    for (const node of nodes) visit(node);
    return;
  }
  const subscribed = new Set(types);
  const cursor = tree.walk();
  try {
    for (;;) {
      if (subscribed.has(cursor.nodeType)) visit(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/**
 * The node types the visitors subscribe to, and a `visit` that hands a node to each of them; a rule
 * that throws is reported once in `errors` and visited no more. Shared by the full walk and the
 * editor's incremental one.
 */
export function dispatcher(visitors: readonly { rule: Rule; visitor: RuleVisitor }[], errors: string[], path: string): { types: string[]; visit: (node: SyntaxNode) => void } {
  const byType = new Map<string, { rule: Rule; visitor: RuleVisitor }[]>();
  for (const v of visitors) {
    for (const t of v.rule.nodeTypes) {
      let list = byType.get(t);
      if (!list) byType.set(t, (list = []));
      list.push(v);
    }
  }
  const failed = new Set<Rule>();
  const visit = (node: SyntaxNode): void => {
    for (const v of byType.get(node.type) ?? []) {
      if (failed.has(v.rule)) continue;
      try {
        v.visitor.enter(node);
      } catch (e) {
        failed.add(v.rule);
        errors.push(`${path}: rule ${v.rule.meta.id} failed: ${describe(e)}`);
      }
    }
  };
  return { types: [...byType.keys()], visit };
}

/** ERROR and MISSING nodes in a tree; 0 without a walk when the root reports none. */
export function errorCount(tree: Tree): number {
  if (!tree.rootNode.hasError) return 0;
  let count = 0;
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

export function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
