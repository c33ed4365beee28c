// env-forked-nil-secret: a secret-bearing setting is nil, or never assigned, in some environment
// through an env fork, so CI never runs the production lookup (and, for encryption keys, the code
// under test behaves differently). See docs/rules/env-forked-nil-secret.md.

import { join } from 'node:path';
import { forkWording, type NilWord } from '../envfork/messages';
import { formatEnvList, type ForkedSetting } from '../envfork/model';
import type { Versions } from '../knowledge/versions';
import { lockedVersions } from '../rails/app-model';
import { railsRoot } from '../fixes/rails-test-dummy';
import { rubyExplicitEnvKeyFix } from '../fixes/ruby-explicit-env-key';
import { tsExplicitEnvKeyFix } from '../fixes/ts-explicit-env-key';
import type { SyntaxNode } from '../parser';
import { docsUrl, type Rule, type RuleContext, type RuleVisitor } from '../rule';
import { RubyEnvForkScan } from '../ruby/env-fork-scan';
import { field } from '../ruby/syntax';
import { profileFor, type SecretProfile } from '../secrets/profiles';
import { TsEnvForkScan } from '../typescript/env-fork-scan';
import type { Fix, Range } from '../types';

const ID = 'env-forked-nil-secret';

export const envForkedNilSecret: Rule = {
  meta: {
    id: ID,
    title: 'Secret forked to nil by environment',
    defaultSeverity: 'warning',
    description:
      'A secret-bearing setting is nil, or never assigned, in some environment through an env fork (Rails.env, NODE_ENV). ' +
      'CI then never runs the production lookup, and for encryption keys the code under test behaves differently. ' +
      'Use an explicit env key in every environment and a valid dummy in test.',
    docsUrl: docsUrl(ID),
  },
  languages: ['ruby', 'typescript', 'tsx'],
  triggers: {
    ruby: ['Rails.env', 'RAILS_ENV', 'RACK_ENV'],
    typescript: TS_TRIGGERS(),
    tsx: TS_TRIGGERS(),
  },
  nodeTypes: ['assignment', 'operator_assignment', 'pair', 'variable_declarator', 'assignment_expression', 'augmented_assignment_expression'],
  create(ctx) {
    return ctx.lang === 'ruby' ? rubyVisitor(ctx) : tsVisitor(ctx);
  },
};

function TS_TRIGGERS(): string[] {
  return ['NODE_ENV', 'APP_ENV', 'isTest', 'isProd', 'isDev', 'IS_TEST', 'IS_PROD', 'IS_DEV', 'VITEST', 'JEST_WORKER_ID', 'import.meta.env', '"production"', "'production'", '"test"', "'test'"];
}

function rubyVisitor(ctx: RuleContext): RuleVisitor {
  const scan = new RubyEnvForkScan();
  return {
    enter: (node) => scan.add(node),
    finish: () => {
      const settings = scan.finish((qualified, env) => assignedInEnvFile(ctx, qualified, env));
      report(ctx, settings, (group, profileOf) =>
        rubyExplicitEnvKeyFix({ settings: group, profileOf, text: ctx.file.text, lines: ctx.lines, path: ctx.file.path, workspace: ctx.workspace }),
      );
    },
  };
}

function tsVisitor(ctx: RuleContext): RuleVisitor {
  const scan = new TsEnvForkScan();
  return {
    enter: (node) => scan.add(node),
    finish: () => {
      const settings = scan.finish();
      report(ctx, settings, (group, profileOf) =>
        tsExplicitEnvKeyFix({ settings: group, profileOf, text: ctx.file.text, lines: ctx.lines, path: ctx.file.path, workspace: ctx.workspace }),
      );
    },
  };
}

type FixBuilder = (group: ForkedSetting[], profileOf: (s: ForkedSetting) => SecretProfile) => Fix | undefined;

function report(ctx: RuleContext, settings: ForkedSetting[], buildFix: FixBuilder): void {
  const profiles = new Map<ForkedSetting, SecretProfile>();
  const profileOf = (s: ForkedSetting): SecretProfile => {
    let p = profiles.get(s);
    if (!p) profiles.set(s, (p = profileFor(s.qualified, s.real.lookup?.path ?? [])));
    return p;
  };
  const reported = settings.filter((s) => profileOf(s).severity !== 'none' && !s.doubledInNilBranch);
  for (const s of settings) {
    const reason = benignReason(s, profileOf(s));
    if (reason) ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason });
  }
  // Settings under one guard share one fix, so unwrapping it rewrites all of them at once.
  const byFork = new Map<number, ForkedSetting[]>();
  for (const s of reported) {
    const key = s.forkKind === 'value' ? s.assignment.id : s.fork.id;
    byFork.set(key, [...(byFork.get(key) ?? []), s]);
  }
  const fixes = new Map<ForkedSetting, Fix>();
  for (const group of byFork.values()) {
    const fix = safeFix(ctx, () => buildFix(group, profileOf));
    if (fix) for (const s of group) fixes.set(s, fix);
  }
  const versions = reported.length ? versionsOf(ctx) : new Map<string, string>();
  for (const s of reported) {
    const profile = profileOf(s);
    const severity = profile.severity === 'none' ? 'warning' : profile.severity;
    const fix = fixes.get(s);
    const { message, details } = forkWording(s, profile, conditionText(s.fork, ctx.lang === 'ruby'), nilWordOf(ctx, s), versions);
    ctx.report({
      range: rangeOf(ctx, s.target),
      severity,
      message,
      details,
      related: [
        {
          path: ctx.file.path,
          range: rangeOf(ctx, s.fork),
          message: relatedMessage(s, nilWordOf(ctx, s)),
        },
      ],
      fixes: fix ? [fix] : [],
    });
  }
}

/** Why a forked setting is not reported, for the audit report's classification table; undefined when it is reported. */
function benignReason(s: ForkedSetting, profile: SecretProfile): string | undefined {
  if (profile.severity === 'none') {
    if (profile.id === 'error_reporter') return 'error reporter: without a key it only drops events';
    if (profile.id === 'infrastructure_credential') return 'connection credential: the fork points at another backend';
    return `${profile.id}: a fork of this setting is benign`;
  }
  if (s.doubledInNilBranch) return 'the nil branch sets up a test double';
  return undefined;
}

/** A fix that breaks the file is worse than none: drop it if the rewrite does not parse as cleanly as before. */
function safeFix(ctx: RuleContext, build: () => Fix | undefined): Fix | undefined {
  if (ctx.withoutFixes) return undefined;
  const fix = build();
  if (!fix) return undefined;
  return verifyFixParses(ctx, fix) ? fix : undefined;
}

function verifyFixParses(ctx: RuleContext, fix: Fix): boolean {
  const own = fix.changes.find((c) => c.path === ctx.file.path && c.kind === 'edit');
  if (!own || own.kind !== 'edit') return true;
  return ctx.reparseHasNoNewErrors(own.edits);
}

function conditionText(fork: SyntaxNode, ruby: boolean): string | undefined {
  const cond = field(fork, 'condition') ?? (ruby && fork.type === 'case' ? field(fork, 'value') : undefined);
  if (cond) return cond.text.replace(/^\((.*)\)$/s, '$1');
  return undefined;
}

function relatedMessage(s: ForkedSetting, nilWord: string): string {
  const parts: string[] = [];
  if (s.nilEnvs.length) parts.push(`${nilWord} in ${formatEnvList(s.nilEnvs)}`);
  if (s.unassignedEnvs.length) parts.push(`unassigned in ${formatEnvList(s.unassignedEnvs)}`);
  return `This fork leaves it ${parts.join(' and ')}`;
}

/** The versions Gemfile.lock resolved for a Ruby file's app; JS wording holds for every version. */
function versionsOf(ctx: RuleContext): Versions {
  return ctx.lang === 'ruby' ? lockedVersions(ctx.workspace, ctx.file.path) : new Map();
}

/** How the language spells the missing value: nil in Ruby, null or undefined as written in JS. */
function nilWordOf(ctx: RuleContext, s: ForkedSetting): NilWord {
  if (ctx.lang === 'ruby') return 'nil';
  return s.nilNode?.type === 'null' ? 'null' : 'undefined';
}

function rangeOf(ctx: RuleContext, node: SyntaxNode): Range {
  return { start: ctx.lines.positionAt(node.startIndex), end: ctx.lines.positionAt(node.endIndex) };
}

/** `Stripe.api_key = …` in config/environments/<env>.rb assigns it for that environment. */
function assignedInEnvFile(ctx: RuleContext, qualified: string, env: string): boolean {
  const root = railsRoot(ctx.workspace, ctx.file.path);
  const envFile = join(root, 'config', 'environments', `${env}.rb`);
  if (envFile === ctx.file.path) return false;
  const text = ctx.workspace.readFile(envFile);
  if (!text) return false;
  const escaped = qualified.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.])${escaped}\\s*(\\|\\|)?=[^=]`, 'm').test(text);
}
