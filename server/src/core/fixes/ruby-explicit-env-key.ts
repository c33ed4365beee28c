// "Use an explicit env key" for Ruby: the forked value becomes `ENV["NAME"] || <production lookup>`
// in every environment, and config/environments/test.rb (or the test helper) gets the dummy.
// Offered only where the rewrite is certain: value forks, modifiers, and guards that can be unwrapped.

import type { ForkedSetting } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { field, namedChildren, same } from '../ruby/syntax';
import type { SecretProfile } from '../secrets/profiles';
import { envVarName, words } from '../secrets/vocabulary';
import { detectEol, type LineIndex } from '../text';
import type { FileChange, Fix } from '../types';
import { mergeFileChange, viewWithCreated } from './changes';
import { dummyTarget, preferredQuote, testDummyChange } from './rails-test-dummy';
import { spliceValues, unwrappedBody, type FixInput, type ValueRewrite } from './rewrite';


/** The env var the fix reads: an existing ENV operand, the lookup path, the gem's own variable, or the setting name. */
export function rubyEnvVarFor(s: ForkedSetting, profile: SecretProfile): string {
  const operand = s.envOperand ? /ENV(?:\.fetch\(|\[)\s*["']([^"']+)["']/.exec(s.envOperand.text)?.[1] : undefined;
  if (operand) return operand;
  const lookup = s.real.lookup;
  if (lookup && lookup.path.length) return envVarName(lookup.path);
  if (profile.envVar) return profile.envVar;
  const w = words(s.qualified).filter((x) => x !== 'config');
  return envVarName(w.slice(-3));
}

/** `ENV["X"] || Chamber.dig(...)`, or just the ENV read when production already reads ENV. */
function newValue(s: ForkedSetting, envVar: string, quote: string): string {
  const real = s.real.node;
  if (!real) return `ENV[${quote}${envVar}${quote}]`;
  if (s.real.lookup?.source === 'env') return real.text;
  const envRead = s.envOperand?.text ?? `ENV[${quote}${envVar}${quote}]`;
  return `${envRead} || ${needsParens(real) ? `(${real.text})` : real.text}`;
}

function needsParens(n: SyntaxNode): boolean {
  if (['conditional', 'if_modifier', 'unless_modifier', 'rescue_modifier', 'assignment'].includes(n.type)) return true;
  if (n.type === 'binary') return ['and', 'or', '?', '..', '...'].includes(field(n, 'operator')?.type ?? '');
  if (n.type === 'unary') return field(n, 'operator')?.type === 'not';
  return false;
}

/** One fix for all settings sharing a fork (a guard around two Twilio keys is unwrapped once). */
export function rubyExplicitEnvKeyFix(input: FixInput): Fix | undefined {
  const { settings, text, lines, path, workspace } = input;
  const first = settings[0];
  if (!first) return undefined;
  const quote = preferredQuote(text);
  const eol = detectEol(text);
  const rewrites = settings.map((s) => {
    const profile = input.profileOf(s);
    const envVar = rubyEnvVarFor(s, profile);
    return { s, profile, envVar, value: newValue(s, envVar, quote) };
  });

  let start: number;
  let end: number;
  let replacement: string;
  const fork = first.fork;
  if (first.forkKind === 'value') {
    start = first.valueNode.startIndex;
    end = first.valueNode.endIndex;
    replacement = rewrites[0]!.value;
  } else if (first.forkKind === 'modifier') {
    const body = field(fork, 'body');
    if (!body || !same(body, first.realAssignment)) return undefined;
    start = fork.startIndex;
    end = fork.endIndex;
    replacement = spliceValues(body.startIndex, body.endIndex, rewrites, text);
  } else if (first.forkKind === 'guard') {
    const unwrapped = unwrapGuard(fork, first, rewrites, text, lines, eol);
    if (unwrapped === undefined) return undefined;
    start = fork.startIndex;
    end = fork.endIndex;
    replacement = unwrapped;
  } else {
    // An early return also skips whatever else the file does; removing it is a judgement call.
    return undefined;
  }

  const changes: FileChange[] = [
    { kind: 'edit', path, edits: [{ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, newText: replacement }] },
  ];
  const target = dummyTarget(workspace, path);
  const created: string[] = [];
  // A file in no app (opened on its own) gets only its own rewrite.
  for (const r of rewrites) {
    const change = target && testDummyChange(viewWithCreated(workspace, changes), target, r.envVar, r.profile.dummy.ruby, quote, eol);
    if (!change) continue;
    if (change.kind === 'create') created.push(change.path);
    mergeFileChange(changes, change);
  }
  const names = rewrites.map((r) => `ENV[${quote}${r.envVar}${quote}]`).join(', ');
  return {
    title: `Use an explicit env key (${names})`,
    isPreferred: true,
    changes,
    // config/application.rb runs before config/environments/test.rb; the helper is the earliest test-only file,
    // but `bin/rails test` (test:prepare, Rails 7.1+) and `rake` load the app before it.
    ...(target?.beforeEnvironment && changes.some((c) => c.path === target.path)
      ? {
          note:
            `${created.length ? 'created' : 'edited'} ${target.path.slice(workspace.root.length + 1) || target.path}: it must run before config/application.rb; ` +
            'if your test command loads the app first (bin/rails test, rake), export the variable in CI instead',
        }
      : {}),
  };
}

/**
 * `if Rails.env.production? … end` with no else → its body, dedented, with the values rewritten.
 * `if Rails.env.test? then X = nil else X = lookup end` → the real assignment alone.
 */
function unwrapGuard(
  guard: SyntaxNode,
  first: ForkedSetting,
  rewrites: ValueRewrite[],
  text: string,
  lines: LineIndex,
  eol: string,
): string | undefined {
  if (guard.type !== 'if' && guard.type !== 'unless') return undefined;
  const consequence = field(guard, 'consequence');
  const alternative = field(guard, 'alternative');
  if (!consequence) return undefined;
  if (alternative) {
    // Both branches must be just the two assignments of this setting.
    if (alternative.type !== 'else') return undefined;
    const a = namedChildren(consequence);
    const b = namedChildren(alternative);
    if (a.length !== 1 || b.length !== 1) return undefined;
    const ids = new Set([first.assignment.id, first.realAssignment.id]);
    if (!ids.has(a[0]!.id) || !ids.has(b[0]!.id)) return undefined;
    return spliceValues(first.realAssignment.startIndex, first.realAssignment.endIndex, rewrites, text);
  }
  const stmts = namedChildren(consequence);
  const firstStmt = stmts[0];
  const lastStmt = stmts[stmts.length - 1];
  if (!firstStmt || !lastStmt) return undefined;
  return unwrappedBody(spliceValues(firstStmt.startIndex, lastStmt.endIndex, rewrites, text), lines, guard, firstStmt, eol);
}
