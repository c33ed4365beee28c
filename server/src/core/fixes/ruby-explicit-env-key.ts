// "Use an explicit env key" for Ruby: the forked value becomes `ENV["NAME"] || <production lookup>`
// in every environment, and config/environments/test.rb (or the test helper) gets the dummy.
// Offered only where the rewrite is certain: value forks, modifiers, and guards that can be unwrapped.

import type { ForkedSetting } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { field, namedChildren, same } from '../ruby/syntax';
import { lastToken } from '../tree';
import type { SecretProfile } from '../secrets/profiles';
import { envVarName, words } from '../secrets/vocabulary';
import { detectEol, type LineIndex } from '../text';
import type { FileChange, Fix } from '../types';
import { mergeFileChange, viewWithCreated } from './changes';
import { dummyTarget, preferredQuote, testDummyChange } from './rails-test-dummy';
import { RUBY_OPAQUE, spliceValues, toEdits, unwrapSpans, type FixInput, type Span, type ValueRewrite } from './rewrite';


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

  let spans: Span[];
  const fork = first.fork;
  if (first.forkKind === 'value') {
    spans = [{ start: first.valueNode.startIndex, end: first.valueNode.endIndex, text: rewrites[0]!.value }];
  } else if (first.forkKind === 'modifier') {
    const body = field(fork, 'body');
    if (!body || !same(body, first.realAssignment)) return undefined;
    spans = [{ start: fork.startIndex, end: fork.endIndex, text: spliceValues(body.startIndex, body.endIndex, rewrites, text) }];
  } else if (first.forkKind === 'guard') {
    const unwrapped = unwrapGuard(fork, first, rewrites, text, lines);
    if (unwrapped === undefined) return undefined;
    spans = unwrapped;
  } else {
    // An early return also skips whatever else the file does; removing it is a judgement call.
    return undefined;
  }

  const changes: FileChange[] = [{ kind: 'edit', path, edits: toEdits(spans, lines) }];
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
 * `if Rails.env.production? … end` with no else → its body, one level less indented, values rewritten.
 * `if Rails.env.test? then X = nil else X = lookup end` → the real branch alone, unwrapped the same way.
 * Only the guard's syntax (and the nil branch) goes; comments and heredocs in the kept body stay.
 */
function unwrapGuard(guard: SyntaxNode, first: ForkedSetting, rewrites: ValueRewrite[], text: string, lines: LineIndex): Span[] | undefined {
  if (guard.type !== 'if' && guard.type !== 'unless') return undefined;
  const condition = field(guard, 'condition');
  const consequence = field(guard, 'consequence');
  const alternative = field(guard, 'alternative');
  const endKw = lastToken(guard, 'end');
  if (!condition || !consequence || !endKw) return undefined;
  // `then` keyword, when written, is the header's last word.
  const thenKw = consequence.firstChild?.type === 'then' && !consequence.firstChild.isNamed ? consequence.firstChild : undefined;
  const headerEnd = (thenKw ?? condition).endIndex;
  const shape = { guard, opaque: RUBY_OPAQUE, headerEnd: ';' };
  if (!alternative) {
    const firstStmt = namedChildren(consequence)[0];
    if (!firstStmt) return undefined;
    return unwrapSpans({ ...shape, openEnd: headerEnd, close: { start: endKw.startIndex, end: endKw.endIndex }, firstStmt }, rewrites, text, lines);
  }
  // Both branches must be just the two assignments of this setting (comments aside).
  if (alternative.type !== 'else') return undefined;
  const a = statements(consequence);
  const b = statements(alternative);
  if (a.length !== 1 || b.length !== 1) return undefined;
  const ids = new Set([first.assignment.id, first.realAssignment.id]);
  if (!ids.has(a[0]!.id) || !ids.has(b[0]!.id)) return undefined;
  const elseKw = alternative.firstChild;
  if (elseKw?.type !== 'else') return undefined;
  if (same(b[0], first.realAssignment)) {
    // The nil branch comes first: it goes with the header, up to `else`.
    const dropped = { start: headerEnd, end: elseKw.endIndex };
    return unwrapSpans({ ...shape, openEnd: elseKw.endIndex, close: { start: endKw.startIndex, end: endKw.endIndex }, dropped, firstStmt: b[0]! }, rewrites, text, lines);
  }
  const dropped = { start: alternative.startIndex, end: endKw.endIndex };
  return unwrapSpans({ ...shape, openEnd: headerEnd, close: dropped, dropped, firstStmt: a[0]! }, rewrites, text, lines);
}

/** A branch's statements; a heredoc's body is part of the statement that starts it. */
function statements(branch: SyntaxNode): SyntaxNode[] {
  return namedChildren(branch).filter((c) => c.type !== 'heredoc_body');
}
