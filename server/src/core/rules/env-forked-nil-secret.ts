// env-forked-nil-secret: a secret-bearing setting is nil, or never assigned, in some environment
// through an env fork, so CI never runs the production lookup (and, for encryption keys, the code
// under test behaves differently). See docs/rules/env-forked-nil-secret.md.

import { join, relative } from 'node:path';
import { forkWording, type NilWord } from '../envfork/messages';
import { formatEnvList, type ForkedSetting } from '../envfork/model';
import { holdsUnlessKnownFalse, type Versions } from '../knowledge/versions';
import { lockedVersions, railsAppOf } from '../rails/app-model';
import { assignedElsewhere, initializerFiles, settingKey } from '../rails/assigned-elsewhere';
import { railsRoot } from '../fixes/rails-test-dummy';
import { rubyExplicitEnvKeyFix } from '../fixes/ruby-explicit-env-key';
import { tsExplicitEnvKeyFix } from '../fixes/ts-explicit-env-key';
import type { SyntaxNode } from '../parser';
import { docsUrl, type Rule, type RuleContext, type RuleVisitor } from '../rule';
import { rubyBarrier, RubyEnvForkScan, TEST_DOUBLE, type CredentialRead } from '../ruby/env-fork-scan';
import { credentialsEvidence, credentialsFilesFor, credentialsState } from '../rails/credentials-state';
import { field } from '../ruby/syntax';
import { profileFor, type SecretProfile } from '../secrets/profiles';
import { tsBarrier, TsEnvForkScan } from '../typescript/env-fork-scan';
import type { Fix, Range, Workspace } from '../types';
import { escapeRegExp } from '../text';
import { encryptionEnvSwitch } from '../rails/encryption-env-switch';
import { accessControlEnvSwitch } from '../rails/access-control-env-switch';
import { testSkippedCheck } from '../rails/test-skipped-check';
import { code, fit, quotable, quote } from '../wording';
import { citeClaims } from '../knowledge/claims';
import { calleeOf, isKnownSecretCall } from '../secrets/known-calls';

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
    // `Rails.application.configure`: an environment file is a fork without any Rails.env in it.
    // `Rails.application.credentials`: a read that test, with no credentials file, sees as nil.
    ruby: ['Rails.env', 'RAILS_ENV', 'RACK_ENV', 'Rails.application.configure', 'Rails.application.credentials'],
    typescript: TS_TRIGGERS(),
    tsx: TS_TRIGGERS(),
  },
  // `if`/`unless` (and their modifiers): a controller method that skips its check in test.
  nodeTypes: ['assignment', 'operator_assignment', 'pair', 'call', 'variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'if', 'unless', 'if_modifier', 'unless_modifier'],
  // Settings are judged per group of assignments; the scans record what links them (RuleContext.units).
  incremental: { barrier: (type, node) => rubyBarrier(type, node) || tsBarrier(type, node) },
  create(ctx) {
    // Seeds, specs, tests and hand-run tasks never run in a deployed environment.
    if (notDeployed(ctx)) return { enter: () => undefined };
    return ctx.lang === 'ruby' ? rubyVisitor(ctx) : tsVisitor(ctx);
  },
};

function TS_TRIGGERS(): string[] {
  return ['NODE_ENV', 'APP_ENV', 'isTest', 'isProd', 'isDev', 'IS_TEST', 'IS_PROD', 'IS_DEV', 'VITEST', 'JEST_WORKER_ID', 'import.meta.env', '"production"', "'production'", '"test"', "'test'"];
}

const NOT_DEPLOYED = /^(db\/seeds(\.rb$|\/)|spec\/|test\/|tests\/|features\/|lib\/tasks\/|script\/)|(^|\/)__tests__\/|\.rake$|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Judged relative to the app (Ruby: the Rails root; TypeScript: the workspace), so a checkout under a folder named test/ still counts. */
function notDeployed(ctx: RuleContext): boolean {
  const base = ctx.lang === 'ruby' ? railsRoot(ctx.workspace, ctx.file.path) : ctx.workspace.root;
  const rel = relative(base, ctx.file.path).split('\\').join('/');
  return !rel.startsWith('..') && NOT_DEPLOYED.test(rel);
}

function rubyVisitor(ctx: RuleContext): RuleVisitor {
  const fileEnv = deployedEnvFile(ctx);
  const rel = relative(railsRoot(ctx.workspace, ctx.file.path), ctx.file.path).split('\\').join('/');
  const inConfig = /^config\//.test(rel);
  const inModels = /^app\/models\//.test(rel);
  const inControllers = /^app\/controllers\//.test(rel);
  const scan = new RubyEnvForkScan(fileEnv, inConfig, ctx.units);
  return {
    enter: (node) => {
      if (FORK_NODES.has(node.type)) {
        if (inControllers) reportTestSkippedCheck(ctx, node);
        return;
      }
      scan.add(node);
      if (inModels && node.type === 'call') reportEncryptionSwitch(ctx, node);
      if (inControllers && node.type === 'call') reportAccessControlSwitch(ctx, node);
    },
    finish: () => {
      const settings = scan
        .finish((qualified, env) => assignedElsewhere(ctx, qualified, env))
        .filter((s) => keep(ctx, s));
      report(ctx, settings, (group, profileOf) =>
        rubyExplicitEnvKeyFix({ settings: group, profileOf, text: ctx.file.text, lines: ctx.lines, path: ctx.file.path, workspace: ctx.workspace }),
      );
      if (/^config\/(application\.rb$|initializers\/)/.test(rel)) reportCredentialsOnlyInProduction(ctx, scan.credentialReads());
    },
  };
}

/**
 * `config.pepper = Rails.application.credentials.dig(:devise, :pepper)` in an app whose credentials
 * are per environment, with a production file and none for test: test reads an empty store, so the
 * setting is nil in CI (claims rails.credentials-per-env, rails.missing-credentials).
 */
function reportCredentialsOnlyInProduction(ctx: RuleContext, reads: CredentialRead[]): void {
  if (reads.length === 0) return;
  // The app model credentials-file-missing builds for the same file (memoised per workspace version)
  // already holds its versions and credentials state; a folder that is no app gets them read here.
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  const versions = app?.versions ?? lockedVersions(ctx.workspace, ctx.file.path);
  // Files per environment arrived in Rails 6.0 (a locked 5.2 reads config/credentials.yml.enc alone),
  // and that a missing file reads as empty is verified from 6.1: both claims must hold.
  if (!holdsUnlessKnownFalse('rails >= 6.1', versions)) return;
  const state = app?.credentials ?? credentialsState(ctx.workspace, railsRoot(ctx.workspace, ctx.file.path), versions);
  if (credentialsEvidence(state, 'test') !== 'absent' || credentialsEvidence(state, 'production') !== 'present') return;
  const productionFile = state.productionContentPath ?? credentialsFilesFor('production').find((f) => state.present.includes(f)) ?? 'config/credentials/production.yml.enc';
  for (const r of reads) {
    const profile = profileFor(r.qualified, r.lookup.path);
    // Sinks and connection credentials route around infrastructure; Rails generates secret_key_base for test.
    if (profile.severity === 'none' || profile.id === 'secret_key_base') continue;
    const name = quote(r.name);
    ctx.report({
      range: rangeOf(ctx, r.target),
      severity: profile.id === 'credential' ? 'info' : 'warning',
      message: fit(
        `Secret ${name} is nil in test, which has no credentials file while production reads ${productionFile.split('/').pop()}, so CI never runs with the production key.`,
        `Secret ${name} is nil in test, which has no credentials file while production has one, so CI never runs with the production key.`,
      ),
      details: [
        `${code(r.name)} reads ${code(r.lookup.display)} in every environment, but only production has a credentials file (${code(productionFile)}).`,
        '',
        '- Rails reads `config/credentials/<env>.yml.enc`, else `config/credentials.yml.enc`; test has neither, and a missing file reads as empty, so the lookup gives nil in test.',
        `- In test: ${profile.nilEffect}.`,
        '- A missing or wrong production key is not caught by the tests.',
        '- Give test its own credentials (`bin/rails credentials:edit --environment test`) with dummy values, or read the key through an explicit env key with a dummy in `config/environments/test.rb`.',
        '',
        `Sources: ${citeClaims(['rails.credentials-per-env', 'rails.missing-credentials', ...profile.claims])}.`,
      ].join('\n'),
      related: [],
      fixes: [],
    });
  }
}

function tsVisitor(ctx: RuleContext): RuleVisitor {
  const scan = new TsEnvForkScan(ctx.units);
  return {
    enter: (node) => scan.add(node),
    finish: () => {
      const settings = scan.finish().filter((s) => keep(ctx, s));
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
  const reported = settings.filter((s) => profileOf(s).severity !== 'none' && !s.doubledInNilBranch && !s.keepsLocalDefault);
  for (const s of settings) {
    const reason = benignReason(s, profileOf(s));
    if (reason) ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason });
  }
  // Settings under one guard share one fix, so unwrapping it rewrites all of them at once. Calls, built
  // values and environment files have no certain rewrite.
  const byFork = new Map<number, ForkedSetting[]>();
  for (const s of reported.filter((r) => r.kind === 'setting' && r.forkKind !== 'env-file')) {
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
    const known = knownHandle(s, profile);
    const severity = !known ? 'info' : profile.severity === 'none' ? 'warning' : profile.severity;
    const fix = fixes.get(s);
    const envFile = s.forkKind === 'env-file' ? relative(railsRoot(ctx.workspace, ctx.file.path), ctx.file.path).split('\\').join('/') : undefined;
    const { message, details } = forkWording(s, profile, conditionText(s.fork, ctx.lang === 'ruby'), nilWordOf(ctx, s), versions, envFile);
    ctx.report({
      range: rangeOf(ctx, s.target),
      severity,
      message,
      details: known ? details : `${details}\n\n${UNKNOWN_HANDLE}`,
      // An environment file is its own fork: there is no narrower place to point at.
      related: s.forkKind === 'env-file' ? [] : [{ path: ctx.file.path, range: rangeOf(ctx, s.fork), message: relatedMessage(s, nilWordOf(ctx, s)) }],
      fixes: fix ? [fix] : [],
    });
  }
}

const UNKNOWN_HANDLE =
  'Reported as info: initaudit does not know this library, so it cannot tell whether skipping the call in test hides a gap or routes around infrastructure (a local default, a credential chain).';

/**
 * Whether the finding is about something initaudit knows: a setting, a profile of a known library or
 * secret family, or a known secret-bearing call. A call or built value on an unknown library is info.
 */
function knownHandle(s: ForkedSetting, profile: SecretProfile): boolean {
  if (s.kind === 'setting' || profile.id !== 'credential') return true;
  const callee = s.kind === 'call' ? s.name : calleeOf(s.valueNode.text);
  return callee !== undefined && isKnownSecretCall(callee);
}

/** `attr_encrypted :ssn, …, unless: Rails.env.test?`: test stores the plaintext, so the key is never used in CI. */
function reportEncryptionSwitch(ctx: RuleContext, node: SyntaxNode): void {
  const sw = encryptionEnvSwitch(node);
  if (!sw) return;
  const option = sw.option.text.replace(/\s+/g, ' ');
  const attr = quote(sw.attribute);
  // A condition with a string literal (`Rails.env != "test"`) is not quoted in the message.
  const shown = quotable(option);
  ctx.report({
    range: rangeOf(ctx, sw.option),
    severity: 'warning',
    message: fit(
      shown ? `Encryption of ${attr} is off in test through ${quote(shown)}, so CI stores it in plaintext and never uses the production key.` : undefined,
      `Encryption of ${attr} is off in test through an environment condition, so CI stores it in plaintext and never uses the production key.`,
    ),
    details: [
      `${code(sw.attribute)} is encrypted only where ${code(option)} lets it: attr_encrypted stores the plaintext where the condition switches encryption off.`,
      '',
      '- In test the value is stored and read as plaintext, so the tests never encrypt or decrypt with a key.',
      '- A missing or wrong production key is not caught by the tests, and the code under test does not behave as production does.',
      '- Remove the condition and give test a dummy key of the right length (for example in `config/environments/test.rb`).',
      '',
      citeClaims(['attr_encrypted.if-false']),
    ].join('\n'),
    related: [{ path: ctx.file.path, range: rangeOf(ctx, sw.call), message: `The declaration of ${sw.attribute}` }],
    fixes: [],
  });
}

const FORK_NODES = new Set(['if', 'unless', 'if_modifier', 'unless_modifier']);

/** `return true if Rails.env.test?` before a controller method's token or captcha check: CI never runs the check. */
function reportTestSkippedCheck(ctx: RuleContext, node: SyntaxNode): void {
  const sk = testSkippedCheck(node);
  if (!sk) return;
  reportCheckSkippedInTest(ctx, {
    target: field(sk.method, 'name') ?? sk.method,
    fork: sk.fork,
    condition: sk.condition,
    subject: `Method ${quote(sk.name)} skips its access check`,
    lead: (condition) => `${code(sk.name)} returns before its check (a secret comparison, HTTP authentication, a captcha or a token check) where ${code(condition)} holds: in test, and not in production.`,
    advice: ['- Run the check in test too, with test credentials or a stubbed verifier, so the tests cover both outcomes.'],
  });
}

/** `authenticate_or_request_with_http_token … if Rails.env.production?` in a controller: CI never runs the check. */
function reportAccessControlSwitch(ctx: RuleContext, node: SyntaxNode): void {
  const sw = accessControlEnvSwitch(node);
  if (!sw) return;
  reportCheckSkippedInTest(ctx, {
    target: field(sw.call, 'method') ?? sw.call,
    fork: sw.fork,
    condition: sw.condition,
    subject: `Access check ${quote(sw.method)} is skipped`,
    lead: (condition) => `${code(sw.method)} runs only where ${code(condition)} lets it: in production, and not in test.`,
    advice: [
      '- Any other environment (staging, a review app) skips the check as well.',
      '- Run the check in every environment and give test the credentials it needs (a fixture token, a test password).',
    ],
  });
}

interface SkippedCheck {
  target: SyntaxNode;
  fork: SyntaxNode;
  condition: SyntaxNode;
  /** The sentence's start, up to "in test" (`Access check "x" is skipped`). */
  subject: string;
  lead: (condition: string) => string;
  advice: string[];
}

/** One finding for an access check that an environment fork keeps out of the tests. */
function reportCheckSkippedInTest(ctx: RuleContext, c: SkippedCheck): void {
  const condition = c.condition.text.replace(/^\((.*)\)$/s, '$1').replace(/\s+/g, ' ');
  const shown = quotable(condition, 40);
  ctx.report({
    range: rangeOf(ctx, c.target),
    severity: 'warning',
    message: fit(
      shown ? `${c.subject} in test through the ${quote(shown)} fork, so the tests never exercise it.` : undefined,
      `${c.subject} in test through an environment fork, so the tests never exercise it.`,
    ),
    details: [
      c.lead(condition),
      '',
      '- The tests never send a request through the check, so a broken check or a missing production credential is not caught in CI.',
      ...c.advice,
    ].join('\n'),
    related: [{ path: ctx.file.path, range: rangeOf(ctx, c.fork), message: 'This fork skips the check in test' }],
    fixes: [],
  });
}

/** Why a forked setting is not reported, for the audit report's classification table; undefined when it is reported. */
function benignReason(s: ForkedSetting, profile: SecretProfile): string | undefined {
  if (profile.severity === 'none') {
    if (profile.id === 'error_reporter') return 'error reporter: without a key it only drops events';
    if (profile.id === 'infrastructure_credential') return 'connection credential: the fork points at another backend';
    return `${profile.id}: a fork of this setting is benign`;
  }
  if (s.doubledInNilBranch) return 'the nil branch sets up a test double';
  if (s.keepsLocalDefault) return 'the call switches to a remote backend; where it is skipped, the library keeps its local default';
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

/** The environment a config/environments/<env>.rb file runs in, when it is a deployed one (not development or test). */
function deployedEnvFile(ctx: RuleContext): string | undefined {
  const m = /[\\/]config[\\/]environments[\\/](\w+)\.rb$/.exec(ctx.file.path);
  const env = m?.[1];
  return env && env !== 'development' && env !== 'test' ? env : undefined;
}

/**
 * Findings that survive the file-level judgement:
 * - from an environment file, only a secret that test never gets while production does (test-only
 *   or development-only keys are the implicit-key rule's business), and not secret_key_base, which
 *   Rails generates for test by design;
 * - a local variable only when something outside its own branch reads it;
 * - a call or built value whose test environment sets up a double for the same library is benign.
 */
function keep(ctx: RuleContext, s: ForkedSetting): boolean {
  // A key only development (or test) assigns is a local convenience: production, which never assigns
  // it, has nothing to lose. An explicit nil in production is another matter, and so is `ENV["A"] || <fork>`.
  if (s.realEnvs.length && !s.realEnvs.some((e) => e !== 'development' && e !== 'test') && !s.nilEnvs.includes('production')) return false;
  // The production lookup that CI never runs here runs somewhere else in every environment: no gap.
  const productionMissing = s.nilEnvs.includes('production') || s.unassignedEnvs.includes('production');
  if (!productionMissing && lookupRunsEverywhere(ctx, s)) {
    ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason: 'the same lookup runs in every environment elsewhere' });
    return false;
  }
  // TypeScript: a production value that is a call (a credentials provider, a client) is not a secret read.
  if (ctx.lang !== 'ruby' && s.real.kind !== 'lookup' && s.real.node?.type === 'call_expression') return false;
  // A call that runs only in development or test (writing a local secret file) leaves production nothing to miss.
  if (s.kind === 'call' && !((s.nilEnvs.includes('test') || s.unassignedEnvs.includes('test')) && s.realEnvs.includes('production'))) return false;
  if (s.forkKind === 'env-file') {
    const missingInTest = s.nilEnvs.includes('test') || s.unassignedEnvs.includes('test');
    if (!missingInTest || !s.realEnvs.length) return false;
    if (profileFor(s.qualified, s.real.lookup?.path ?? []).id === 'secret_key_base') return false;
  }
  if (s.forkKind === 'env-file' && isCustomSetting(s.qualified) && !readElsewhere(ctx, s.qualified)) return false;
  // Whether a local is read outside its branch depends on the text of its whole scope.
  // A local (a setting or a value built from secrets, `creds = Aws::Credentials.new(…)`) matters only
  // where something outside its own branch reads it.
  const local = (s.kind === 'setting' || s.kind === 'built') && s.target.type === 'identifier';
  if (local) ctx.units?.word(s.target, s.target.text);
  if (local && !readOutside(ctx.file.text, s.target.text, s.fork)) {
    ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason: 'a local used only inside its own branch' });
    return false;
  }
  if (s.kind === 'call' && MAIL_TRANSPORT.test(s.name) && testDeliversToTest(ctx)) {
    ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason: 'test delivers mail with the :test delivery method' });
    return false;
  }
  if (s.kind !== 'setting' && doubledInTestSetup(ctx, s.name, s.kind === 'built')) {
    ctx.note?.({ kind: 'benign', range: rangeOf(ctx, s.target), subject: s.name, reason: 'the test environment sets up a double for it' });
    return false;
  }
  return true;
}

/**
 * Whether the value's environment variable is read in every environment anyway: by Rails itself
 * (`SECRET_KEY_BASE`), or in config/application.rb or an initializer with no environment fork.
 */
function lookupRunsEverywhere(ctx: RuleContext, s: ForkedSetting): boolean {
  const lookup = s.real.lookup;
  if (ctx.lang !== 'ruby' || lookup?.source !== 'env') return false;
  const name = lookup.path[0];
  if (!name) return false;
  if (name === 'SECRET_KEY_BASE' && /(^|\.)secret_key_base$/.test(s.qualified)) return true;
  const root = railsRoot(ctx.workspace, ctx.file.path);
  const read = new RegExp(`ENV(\\[\\s*|\\.fetch\\(\\s*)["']${name}["']`);
  const files = [join(root, 'config', 'application.rb'), ...initializerFiles(ctx, root)].filter((f) => f !== ctx.file.path);
  return files.some((f) => {
    const text = ctx.workspace.readFile(f) ?? '';
    return read.test(text) && !/Rails\.env|RAILS_ENV/.test(text);
  });
}

/** Whether `name` is read in the fork's scope (its method, function, block or file) outside the fork itself. */
function readOutside(text: string, name: string, fork: SyntaxNode): boolean {
  const scope = scopeOf(fork);
  const re = new RegExp(`(?<![\\w@$:.])${name.replace(/[^\w$]/g, '')}(?![\\w?!:$])`, 'g');
  for (const m of text.slice(scope.startIndex, scope.endIndex).matchAll(re)) {
    const at = scope.startIndex + m.index;
    if (at < fork.startIndex || at >= fork.endIndex) return true;
  }
  return false;
}

const SCOPES = new Set(['method', 'singleton_method', 'do_block', 'block', 'lambda', 'class', 'module', 'program', 'function_declaration', 'function_expression', 'arrow_function', 'method_definition', 'generator_function_declaration']);

function scopeOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (let p = node.parent, depth = 0; p && depth < 256; p = p.parent, depth++) {
    n = p;
    if (SCOPES.has(p.type)) return p;
  }
  return n;
}

/** An app's own setting (`config.x.partner_api_key`, `config.partner_token`), not a framework's (`config.action_mailer.…`). */
function isCustomSetting(qualified: string): boolean {
  const key = settingKey(qualified);
  return /^x\./.test(key) || !key.includes('.');
}

/** Whether another Ruby file of the app reads the setting (`Rails.configuration.x.partner_api_key`): dead configuration is no gap. */
function readElsewhere(ctx: RuleContext, qualified: string): boolean {
  const name = settingKey(qualified).split('.').pop() ?? '';
  if (!name) return true;
  const root = railsRoot(ctx.workspace, ctx.file.path);
  const re = new RegExp(`\\.${name.replace(/[^\w]/g, '')}(?![\\w=])(?!\\s*=[^=])`);
  for (const path of filesUnder(ctx.workspace, ['app', 'lib', 'config'].map((d) => join(root, d)), /\.(rb|erb|rake)$/, MAX_READER_FILES)) {
    if (path !== ctx.file.path && re.test(ctx.workspace.readFile(path) ?? '')) return true;
  }
  return false;
}

/** Test setup files that stub a library (`Geocoder.configure(lookup: :test)`, `Aws.config[:stub_responses] = true`). */
const TEST_SETUP_FILES = ['config/environments/test.rb', 'spec/rails_helper.rb', 'spec/spec_helper.rb', 'test/test_helper.rb'];

function doubledInTestSetup(ctx: RuleContext, name: string, assigned: boolean): boolean {
  // The receiver, not just the library: Sidekiq::Testing stubs jobs, not Sidekiq::Web's basic auth.
  // A value built and assigned (`Client.master = …`) is doubled only by assigning that same name:
  // a fake for `Client.client` leaves `Client.master` nil.
  const library = assigned ? name : /^::?([A-Z][\w:]*(?:\.\w+)*)\.\w+$/.exec(name)?.[1] ?? /^([A-Z][\w:]*)/.exec(name)?.[1];
  if (!library) return false;
  const root = railsRoot(ctx.workspace, ctx.file.path);
  for (const file of [...TEST_SETUP_FILES.map((rel) => join(root, rel)), ...supportFiles(ctx, root)]) {
    const text = ctx.workspace.readFile(file);
    if (!text?.includes(library)) continue;
    const own = assigned ? new RegExp(`${escapeRegExp(library)}\\s*=[^=]`) : undefined;
    for (const line of text.split(/\r?\n/)) if (line.includes(library) && (!own || own.test(line)) && TEST_DOUBLE.test(line)) return true;
  }
  return false;
}

/** A call that installs a mail transport (`Aws::Rails.add_action_mailer_delivery_method(:ses, …)`). */
const MAIL_TRANSPORT = /delivery_method/i;

/** config/environments/test.rb sends mail to ActionMailer's :test method: a transport skipped there is not missed. */
function testDeliversToTest(ctx: RuleContext): boolean {
  const text = ctx.workspace.readFile(join(railsRoot(ctx.workspace, ctx.file.path), 'config', 'environments', 'test.rb')) ?? '';
  return /^[ \t]*config\.action_mailer\.delivery_method\s*=\s*:test\b/m.test(text);
}

/** How many files of spec/support and test/support are read for doubles: they are loaded for every spec. */
const MAX_SUPPORT_FILES = 200;
/** How many of the app's Ruby files are searched for a reader of a setting. */
const MAX_READER_FILES = 3000;
/** How many support folders are listed at most. */
const MAX_SUPPORT_DIRS = 50;

/** Listed once per workspace view (an analysis), not once per setting that asks. */
const supportCache = new WeakMap<Workspace, Map<string, string[]>>();

function supportFiles(ctx: RuleContext, root: string): string[] {
  let byRoot = supportCache.get(ctx.workspace);
  if (!byRoot) supportCache.set(ctx.workspace, (byRoot = new Map()));
  let files = byRoot.get(root);
  if (!files) byRoot.set(root, (files = [...filesUnder(ctx.workspace, [join(root, 'spec', 'support'), join(root, 'test', 'support')], /\.rb$/, MAX_SUPPORT_FILES, MAX_SUPPORT_DIRS)]));
  return files;
}

/** Files under `dirs` whose names match, depth first, at most `max` of them from at most `maxDirs` folders, through the workspace's listing. */
function* filesUnder(ws: Workspace, dirs: readonly string[], name: RegExp, max: number, maxDirs = Infinity): Generator<string> {
  const pending = [...dirs];
  let found = 0;
  for (let listed = 0; pending.length && listed < maxDirs; listed++) {
    const dir = pending.pop()!;
    for (const n of ws.listDir?.(dir) ?? []) {
      if (n.endsWith('/')) pending.push(join(dir, n.slice(0, -1)));
      else if (name.test(n)) {
        yield join(dir, n);
        if (++found >= max) return;
      }
    }
  }
}
