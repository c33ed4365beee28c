// The contract every rule implements. One file per rule under rules/, registered in rules/index.ts.

import type { SyntaxNode, Tree } from './parser';
import type { LineIndex } from './text';
import type { Fix, GrammarLanguage, LanguageId, Note, Range, RelatedLocation, RuleMeta, Severity, SourceFile, TextEdit, Workspace } from './types';

export interface Report {
  range: Range;
  /** One plain sentence (see `Finding.message`). */
  message: string;
  /** Markdown for the hover (see `Finding.details`). */
  details?: string;
  /** Defaults to the rule's default severity. */
  severity?: Severity;
  /** See `Finding.secondary`. */
  secondary?: true;
  related?: RelatedLocation[];
  /** A function is called only when fixes are wanted (not for keystroke diagnostics, see `withoutFixes`). */
  fixes?: Fix[] | (() => Fix[]);
}

export interface RuleContext {
  readonly file: SourceFile;
  readonly lang: LanguageId;
  readonly workspace: Workspace;
  readonly tree: Tree;
  readonly lines: LineIndex;
  report(finding: Report): void;
  /** Records a decision that produced no finding (optional: contexts built outside the engine may omit it). */
  note?(note: Omit<Note, 'ruleId' | 'path'>): void;
  /** Whether the file, with these edits applied, parses with no more syntax errors than it has now. */
  reparseHasNoNewErrors(edits: readonly TextEdit[]): boolean;
  /** The caller will not offer fixes (keystroke diagnostics): a rule may skip building them. */
  readonly withoutFixes?: boolean;
  /** Present when the engine analyses the file incrementally (the editor): where the rule records what links units. */
  readonly units?: UnitFacts;
}

/**
 * What an incremental rule records while it analyses, so the engine knows which units' findings
 * an edit can change (core/incremental/analyze.ts). Each fact is attributed to the unit holding
 * `at` (a node or an offset). Without them a rule's findings must depend on its own unit only.
 */
export interface UnitFacts {
  /** Units recording the same key are analysed together (the assignments of one setting). */
  link(at: SyntaxNode | number, key: string): void;
  /** The unit depends on a fact other units provide (a `const` flag it reads); `provide` is the other side. */
  use(at: SyntaxNode | number, key: string): void;
  provide(at: SyntaxNode | number, key: string): void;
  /** The unit's findings depend on where `word` occurs in the file's text (a local read elsewhere). */
  word(at: SyntaxNode | number, word: string): void;
  /** A file-wide fact the unit contributes (an environment name); if the set changes, the whole file is analysed. */
  global(at: SyntaxNode | number, fact: string): void;
  /** The rule used a fact it cannot attribute: analyse the whole file next time too. */
  wholeFile(): void;
  /** The `global` facts of the units not being analysed, which the rule must count as its own. */
  outside(): readonly string[];
}

/** A rule whose findings the engine may compute per group of linked units (see `UnitFacts`). */
export interface IncrementalSupport {
  /**
   * Program-level statements that can change the findings of any later statement (an early
   * `return if Rails.env.test?`): while a file has one, it is analysed whole.
   */
  barrier(type: string, node: () => SyntaxNode): boolean;
}

/** Receives the subscribed nodes of one file in pre-order, then `finish` once. */
export interface RuleVisitor {
  enter(node: SyntaxNode): void;
  finish?(): void;
}

/** What a text-scanning rule gets for a file that has no grammar (YAML, Prisma schemas, Terraform). */
export type TextRuleContext = Omit<RuleContext, 'tree' | 'reparseHasNoNewErrors'>;

export interface Rule {
  readonly meta: RuleMeta;
  readonly languages: readonly LanguageId[];
  /** Literal strings per language; a file containing none of its language's triggers is never parsed for this rule. */
  readonly triggers: Readonly<Partial<Record<LanguageId, readonly string[]>>>;
  /** Node types (of any of the rule's grammars) passed to `enter`. */
  readonly nodeTypes: readonly string[];
  create(ctx: RuleContext): RuleVisitor;
  /** Cheap path filter applied before reading triggers or parsing (e.g. only Gemfiles and models). */
  appliesTo?(path: string): boolean;
  /** For languages without a grammar (`yaml`, `prisma`, `hcl`): scans the text instead of walking a tree. */
  scanText?(ctx: TextRuleContext): void;
  /**
   * Grammars the rule parses *other* files with (through `parseSync`), loaded by `analyzeFile` before
   * the rule runs so results do not depend on which files were analysed first.
   */
  readonly readsLanguages?: readonly GrammarLanguage[];
  /** Declared by rules that record `RuleContext.units` facts; others are analysed whole on every change. */
  readonly incremental?: IncrementalSupport;
  /**
   * The rule reads files' texts at the base of a change (`Workspace.base`, core/change.ts). An audit
   * analyses the files it applies to in-process, where the base texts are; analysis workers get only
   * the base's list of deleted files.
   */
  readonly comparesWithBase?: boolean;
}

export const DOCS_BASE = 'https://github.com/initaudit/initaudit/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}
