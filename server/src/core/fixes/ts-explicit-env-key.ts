// "Use an explicit env key" for TypeScript/JavaScript: the forked value becomes
// `process.env.NAME ?? <production lookup>` in every environment, and the project's test setup
// file gets `process.env.NAME ??= <dummy>`. Offered for value forks and unwrappable `if` guards.

import { join } from 'node:path';
import type { ForkedSetting } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import type { SecretProfile } from '../secrets/profiles';
import { envVarName, words } from '../secrets/vocabulary';
import { detectEol, type LineIndex } from '../text';
import { field, lastToken, namedChildren } from '../tree';
import { envKeyOf } from '../typescript/env-conditions';
import type { FileChange, Fix } from '../types';
import { jsProjectRoot, preferredJsQuote, setupDummyChange, setupTarget, usesSemicolons } from './js-test-setup';
import { mergeFileChange, viewWithCreated } from './changes';
import { applySpans, toEdits, TS_OPAQUE, unwrapSpans, type FixInput, type Span, type ValueRewrite } from './rewrite';


/** An existing process.env operand, the library's own variable, the lookup path, or the setting name. */
export function tsEnvVarFor(s: ForkedSetting, profile: SecretProfile): string {
  const operand = s.envOperand ? envKeyOf(s.envOperand) : undefined;
  if (operand) return operand;
  const lookup = s.real.lookup;
  if (lookup?.source === 'env' && lookup.path[0]) return lookup.path[0];
  if (profile.envVar) return profile.envVar;
  const settingWords = words(s.name.split('.').pop() ?? s.name);
  if (lookup && lookup.path.length >= 2) return envVarName(lookup.path);
  const prefix = lookup?.path[0] ? words(lookup.path[0]) : [];
  const merged = prefix.every((w) => settingWords.includes(w)) ? settingWords : [...prefix, ...settingWords];
  return envVarName(merged);
}

const LOW_PRECEDENCE = new Set(['ternary_expression', 'arrow_function', 'assignment_expression', 'augmented_assignment_expression', 'sequence_expression', 'yield_expression']);

function needsParens(n: SyntaxNode): boolean {
  if (LOW_PRECEDENCE.has(n.type)) return true;
  // `a ?? b || c` does not parse: ?? cannot mix with || or && unparenthesised.
  return n.type === 'binary_expression' && ['||', '&&'].includes(field(n, 'operator')?.type ?? '');
}

function newValue(s: ForkedSetting, envVar: string): string {
  const real = s.real.node;
  if (!real) return `process.env.${envVar}`;
  if (s.real.lookup?.source === 'env') return real.text;
  const envRead = s.envOperand?.text ?? `process.env.${envVar}`;
  return `${envRead} ?? ${needsParens(real) ? `(${real.text})` : real.text}`;
}

export function tsExplicitEnvKeyFix(input: FixInput): Fix | undefined {
  const { settings, text, lines, path, workspace } = input;
  const first = settings[0];
  if (!first) return undefined;
  const rewrites = settings.map((s) => {
    const profile = input.profileOf(s);
    const envVar = tsEnvVarFor(s, profile);
    return { s, profile, envVar, value: newValue(s, envVar) };
  });
  const eol = detectEol(text);
  let spans: Span[];
  if (first.forkKind === 'value') {
    spans = [{ start: first.valueNode.startIndex, end: first.valueNode.endIndex, text: rewrites[0]!.value }];
  } else if (first.forkKind === 'guard' && first.fork.type === 'if_statement' && !field(first.fork, 'alternative')) {
    const unwrapped = unwrapIf(first.fork, rewrites, text, lines);
    if (!unwrapped) return undefined;
    spans = unwrapped;
  } else {
    return undefined;
  }
  const edits = toEdits(spans, lines);
  // `const isTest = …` that only the fork used would now fail noUnusedLocals: remove it too.
  const after = applySpans(text, spans);
  for (const decl of orphanedFlags(first.fork, text, after)) {
    const from = lines.positionAt(decl.startIndex).line;
    let to = lines.positionAt(decl.endIndex).line + 1;
    // Do not leave two blank lines (or a leading one) where the declaration stood.
    const blank = (l: number) => l >= 0 && l < lines.lineCount && lines.lineText(l).trim() === '';
    if ((from === 0 || blank(from - 1)) && blank(to) && to < lines.lineCount - 1) to++;
    edits.push({ range: { start: { line: from, character: 0 }, end: { line: to, character: 0 } }, newText: '' });
  }
  const changes: FileChange[] = [{ kind: 'edit', path, edits }];
  // A test file fixes itself; its project's setup file is for everything else. A file in no
  // project (no package.json above it, opened on its own) gets only its own rewrite.
  const target = workspace.fileExists(join(jsProjectRoot(workspace, path), 'package.json')) ? setupTarget(workspace, path) : undefined;
  const quote = preferredJsQuote(text);
  const semi = usesSemicolons(text);
  let created = false;
  for (const r of rewrites) {
    const change = target && setupDummyChange(viewWithCreated(workspace, changes), target.path, r.envVar, r.profile.dummy.js, quote, semi, eol);
    if (!change) continue;
    if (change.kind === 'create') created = true;
    mergeFileChange(changes, change);
  }
  if (created && target?.register) changes.push(target.register);
  const names = rewrites.map((r) => `process.env.${r.envVar}`).join(', ');
  return {
    title: `Use an explicit env key (${names})`,
    isPreferred: true,
    changes,
    ...(created && target?.note ? { note: target.note } : {}),
  };
}

/** `if (cond) { … }` or `if (cond) stmt;` → the body where the guard stood; only `if (cond)` and the braces go. */
function unwrapIf(guard: SyntaxNode, rewrites: readonly ValueRewrite[], text: string, lines: LineIndex): Span[] | undefined {
  const condition = field(guard, 'condition');
  const cons = field(guard, 'consequence');
  if (!condition || !cons) return undefined;
  if (cons.type !== 'statement_block') {
    return unwrapSpans({ guard, openEnd: condition.endIndex, firstStmt: cons, opaque: TS_OPAQUE }, rewrites, text, lines);
  }
  const open = cons.firstChild;
  // A comment after the `}` may belong to the block.
  const close = lastToken(cons, '}');
  const firstStmt = namedChildren(cons)[0];
  if (open?.type !== '{' || close?.type !== '}' || !firstStmt) return undefined;
  return unwrapSpans({ guard, openEnd: open.endIndex, close: { start: close.startIndex, end: close.endIndex }, firstStmt, opaque: TS_OPAQUE }, rewrites, text, lines);
}

/**
 * Top-level `const x = <env check>` declarations whose only use was the fork's condition:
 * after the rewrite nothing reads them. Only whole-line, unexported, single-declarator consts.
 */
function orphanedFlags(fork: SyntaxNode, text: string, after: string): SyntaxNode[] {
  const cond = field(fork, 'condition');
  if (!cond) return [];
  const names = new Set(cond.text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const out: SyntaxNode[] = [];
  for (const stmt of namedChildren(fork.tree.rootNode)) {
    if (stmt.type !== 'lexical_declaration' || !stmt.text.startsWith('const')) continue;
    const decls = namedChildren(stmt).filter((c) => c.type === 'variable_declarator');
    const name = decls.length === 1 ? field(decls[0]!, 'name') : undefined;
    if (name?.type !== 'identifier' || !names.has(name.text)) continue;
    const uses = after.match(new RegExp(`(?<![\\w$.])${name.text.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
    if (uses !== 1) continue;
    const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
    const lineEnd = text.indexOf('\n', stmt.endIndex);
    if (text.slice(lineStart, stmt.startIndex).trim() || text.slice(stmt.endIndex, lineEnd < 0 ? undefined : lineEnd).trim()) continue;
    out.push(stmt);
  }
  return out;
}
