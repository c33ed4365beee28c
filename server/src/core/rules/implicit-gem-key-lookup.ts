// implicit-gem-key-lookup: a gem is in use and nothing assigns its key, so it reads the key by
// convention (ENV, Rails credentials). Deleting the credentials file then breaks production with
// nothing to grep for. One finding per key per app, on the Gemfile `gem` line (or the first use when
// the gem is only in Gemfile.lock), with each use as a related location and an editor-only hint.
// See docs/rules/implicit-gem-key-lookup.md.

import { basename, join } from 'node:path';
import { roundTripHint } from '../fixes/encryption-roundtrip-spec';
import { explicitInitializerFix } from '../fixes/explicit-initializer';
import { citeClaims } from '../knowledge/claims';
import { holdsKnown, holdsUnlessKnownFalse, worded } from '../knowledge/versions';
import { entriesInUse, railsAppOf, type Place, type RailsApp } from '../rails/app-model';
import { credentialsEvidence, type CredentialsEvidence } from '../rails/credentials-state';
import { gemKeyById, type GemKeyEntry } from '../rails/gem-keys';
import { docsUrl, type Rule, type RuleContext } from '../rule';
import type { Fix, RelatedLocation, Severity } from '../types';
import { capitalize, code, fit, list, quote } from '../wording';

const ID = 'implicit-gem-key-lookup';

export const implicitGemKeyLookup: Rule = {
  meta: {
    id: ID,
    title: 'Gem key read by convention',
    defaultSeverity: 'warning',
    description:
      'A gem is in use and nothing assigns its key explicitly, so the gem reads it by convention (an environment variable, Rails credentials). ' +
      'Nobody can grep for that dependency: deleting the credentials file silently empties the key. Assign it explicitly in an initializer.',
    docsUrl: docsUrl(ID),
  },
  languages: ['ruby'],
  triggers: {
    // `gem "…"` lines, not the substring "gem" ("management" is in many models).
    ruby: ['gem "', "gem '", 'gem(', 'encrypt', 'blind_index', 'devise', 'has_kms_key', 'pay_customer', 'pay_merchant', 'MissionControl', 'action_mailbox', 'verify_recaptcha'],
  },
  appliesTo: (path) => {
    const p = path.split('\\').join('/');
    return basename(p) === 'Gemfile' || /\/app\/(models|uploaders|controllers)\/.*\.rb$/.test(p) || /\/config\/.*\.rb$/.test(p);
  },
  nodeTypes: [],
  create(ctx) {
    return { enter: () => undefined, finish: () => check(ctx) };
  },
};

function check(ctx: RuleContext): void {
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  if (!app) return;
  const gemfile = join(app.root, 'Gemfile');
  const evidence = credentialsEvidence(app.credentials, 'production');
  for (const entry of entriesInUse(app)) {
    if (app.explicit.has(entry.id)) continue;
    const judged = judge(entry, app, evidence);
    if (!judged) continue;
    const uses = app.uses.get(entry.id) ?? [];
    const gemLine = entry.gems.map((g) => app.gems.get(g)).find((g) => g !== undefined);
    const anchor: Place | undefined = gemLine ? { path: gemfile, range: gemLine.range, text: `gem "${gemLine.name}"` } : uses[0];
    if (!anchor) continue;
    // Built at most once per entry, and only when a finding here is reported with fixes.
    let fix: Fix | null | undefined;
    const fixes = (): Fix[] => {
      fix ??= explicitInitializerFix(ctx.workspace, app, entry, ctx.file.text) ?? null;
      return fix ? [fix] : [];
    };
    const others = uses.filter((u) => u !== anchor);
    if (ctx.file.path === anchor.path) {
      ctx.report({
        range: anchor.range,
        severity: judged.severity,
        message: judged.message,
        details: details(entry, app, judged.state, uses),
        related: others.slice(0, 20).map((u) => related(u, `Uses ${entry.setting} implicitly (${u.text})`)),
        fixes,
      });
    }
    const where = `${relativeName(app, anchor.path)}:${anchor.range.start.line + 1}`;
    for (const use of others.filter((u) => u.path === ctx.file.path)) {
      ctx.report({
        range: use.range,
        severity: 'hint',
        secondary: true,
        message: fit(`Uses ${entry.subject}, which nothing assigns: the finding is on ${where}.`),
        details: details(entry, app, judged.state, uses),
        related: [{ path: anchor.path, range: anchor.range, message: `The finding for ${entry.setting}` }],
        fixes,
      });
    }
  }
}

export type KeyState = 'present' | 'deleted' | 'missing' | 'unknown' | 'only-local' | 'borrowed' | 'no-source' | 'not-credentials';

interface Judged {
  state: KeyState;
  severity: Severity;
  message: string;
}

/** Where the key comes from in production and how sure that is; undefined when nothing is worth saying. */
function judge(entry: GemKeyEntry, app: RailsApp, evidence: CredentialsEvidence): Judged | undefined {
  const reads = readsCredentials(entry, app);
  const local = app.explicitLocal.get(entry.id)?.[0];
  const fed = entry.fedBy !== undefined && app.explicit.has(entry.fedBy.entry) && holdsUnlessKnownFalse(entry.fedBy.when, app.versions);
  if (entry.noSource) return { state: 'no-source', severity: 'error', message: implicitKeyMessage(entry, 'no-source') };
  if (entry.onlyWhenGone) {
    // A key every app reads by convention; without it production fails loudly at boot (claim skb.production-missing).
    if (!reads || evidence === 'present' || evidence === 'unknown' || explicitInSecretsYml(app)) return undefined;
    const state: KeyState = evidence === 'deleted-by-change' ? 'deleted' : 'missing';
    return { state, severity: state === 'deleted' ? 'warning' : 'info', message: implicitKeyMessage(entry, state, app) };
  }
  const state: KeyState = fed
    ? 'borrowed'
    : local
      ? 'only-local'
      : !reads
        ? 'not-credentials'
        : evidence === 'deleted-by-change'
          ? 'deleted'
          : evidence === 'absent' || evidence === 'committed-before'
            ? 'missing'
            : evidence === 'unknown'
              ? 'unknown'
              : 'present';
  return { state, severity: severityOf(entry, state), message: implicitKeyMessage(entry, state, app, local) };
}

/**
 * A deleted source is an error (a warning for a gem whose default is transient or loud, `infoWhenImplicit`);
 * otherwise a warning, but info for such a gem and for a key borrowed from an explicit one (a coupling, not a gap).
 */
function severityOf(entry: GemKeyEntry, state: KeyState): Severity {
  if (state === 'deleted') return entry.infoWhenImplicit ? 'warning' : 'error';
  return entry.infoWhenImplicit || state === 'borrowed' ? 'info' : 'warning';
}

/** Whether the gem's chain has a credentials step at these versions: Rails 5.2 brought credentials. */
function readsCredentials(entry: GemKeyEntry, app: RailsApp): boolean {
  if (app.credentials.predatesCredentials) return false;
  if (typeof entry.readsCredentials === 'string') return holdsUnlessKnownFalse(entry.readsCredentials, app.versions);
  return entry.readsCredentials;
}

/** Apps that still keep secret_key_base in config/secrets.yml (production section) set it there. */
function explicitInSecretsYml(app: RailsApp): boolean {
  return app.secretsYmlSetsSecretKeyBase;
}

function related(p: Place, message: string): RelatedLocation {
  return { path: p.path, range: p.range, message };
}

function relativeName(app: RailsApp, path: string): string {
  return path.startsWith(app.root) ? path.slice(app.root.length + 1).split('\\').join('/') : path;
}

/** One sentence: what is wrong with the key, and the consequence that matters. */
export function implicitKeyMessage(entry: GemKeyEntry, state: KeyState, app?: RailsApp, local?: Place, use?: Place): string {
  const it = entry.plural ? 'them' : 'it';
  const they = entry.plural ? 'they' : 'it';
  const is = entry.plural ? 'are' : 'is';
  const envs = entry.envVars.length ? list(entry.envVars) : undefined;
  const envsAre = entry.envVars.length > 1 ? 'are' : 'is';
  const deletedFile = app?.credentials.deleted.find((f) => f.endsWith('production.yml.enc')) ?? app?.credentials.deleted[0] ?? 'the credentials file';
  switch (state) {
    case 'no-source': {
      const subject = use ? `Declaration ${quote(use.text)}` : startSubject(entry);
      return fit(`${subject} has no key and ${entry.gemName} has no default key, so ${entry.goneConsequence}.`);
    }
    case 'deleted':
      return fit(
        envs
          ? `Nothing assigns ${entry.subject} and this change deletes ${deletedFile}, so ${they} ${is} empty in production unless ${envs} ${envsAre} set.`
          : `Nothing assigns ${entry.subject} and this change deletes ${deletedFile}, so in production ${entry.goneConsequence}.`,
        envs
          ? `Nothing assigns ${entry.subject} and this change deletes its credentials file, so ${they} ${is} empty unless ${envs} ${envsAre} set.`
          : `Nothing assigns ${entry.subject} and this change deletes its credentials file, so in production ${entry.goneConsequence}.`,
      );
    case 'missing':
      if (entry.onlyWhenGone) return fit(`Nothing assigns ${entry.subject} and the app has no production credentials file, so production needs ${envs ?? 'it'} and fails at boot without it.`);
      return fit(
        envs
          ? `Nothing assigns ${entry.subject} and the app has no production credentials file, so ${they} ${is} empty unless ${envs} ${envsAre} set.`
          : `Nothing assigns ${entry.subject} and the app has no production credentials file, so ${entry.goneConsequence.replace(/^(\w+ing) or (\w+ing) (raises)$/, '$1 or $2 may raise')} in production.`,
      );
    case 'only-local': {
      const file = local ? relativeName(app!, local.path) : 'config/environments/test.rb';
      const subject = startSubject(entry);
      // Outside an environment file the assignment sits under a development or test fork.
      const envFile = /^config\/environments\/\w+\.rb$/.test(file);
      const where = envFile ? file : `a development or test branch of ${file}`;
      return fit(
        `${subject} ${is} set only in ${where}, so production reads ${it} by convention and deleting the credentials file would silently empty ${it}.`,
        `${subject} ${is} explicit in ${envFile ? file.replace(/^config\/environments\/(\w+)\.rb$/, '$1') : 'a development or test branch'} but read by convention in production, where deleting the credentials file would empty ${it}.`,
      );
    }
    case 'borrowed': {
      const lender = entry.fedBy ? gemKeyById(entry.fedBy.entry) : undefined;
      return fit(`Nothing assigns ${entry.subject}, so it falls back to ${lender?.subject ?? 'another key'}, and changing that key would silently break its lookups.`);
    }
    case 'not-credentials':
      return fit(`Nothing assigns ${entry.subject}, so ${entry.implicitConsequence ?? `${entry.gemName} reads ${it} by convention`}.`);
    default:
      return fit(
        `Nothing assigns ${entry.subject}, so ${entry.gemName} reads ${it} by convention and deleting the credentials file would silently empty ${it}.`,
        `Nothing assigns ${entry.subject}, so ${they} ${is} read from credentials by convention and deleting that file would silently empty ${it}.`,
      );
  }
}

/** The subject opening a sentence: `Key "Lockbox.master_key"`, `The Active Record encryption keys`. */
function startSubject(entry: GemKeyEntry): string {
  return entry.subject.startsWith('"') ? `${entry.plural ? 'Keys' : 'Key'} ${entry.subject}` : capitalize(entry.subject);
}

/** Markdown for the hover: the chain, what empty means at the locked versions, the state of this app, the uses, the sources. */
function details(entry: GemKeyEntry, app: RailsApp, state: KeyState, uses: readonly Place[]): string {
  const lines = [
    `Nothing assigns ${code(entry.setting)} explicitly${state === 'only-local' ? ' outside development and test' : ''}, so it is read by convention from ${worded(entry.chain, app.versions)}.`,
    '',
    `- When it is empty, ${worded(entry.whenMissing, app.versions)}.`,
  ];
  const c = app.credentials;
  if (state === 'deleted') lines.push(`- This change deletes ${c.deleted.map(code).join(', ')}.`);
  else if (state === 'missing' && c.productionContentPath !== undefined) lines.push(`- Production reads its credentials from ${code(c.productionContentPath)} (\`config.credentials.content_path\` in \`config/environments/production.rb\`), which does not exist.`);
  else if (state === 'missing') lines.push(`- This app has no production credentials file (${c.present.length ? `only ${c.present.map(code).join(', ')}` : 'no `config/credentials.yml.enc` or `config/credentials/production.yml.enc`'})${c.committed?.length ? `; ${c.committed.map(code).join(', ')} was committed before` : ''}.`);
  else if (state === 'unknown') lines.push('- The credentials files are kept out of the repository (ignored by git, or a sample ships instead), so whether production has them cannot be seen here.');
  else if (state === 'present') lines.push(`- Production reads it from ${c.present.filter((f) => /credentials(\.yml\.enc|\/production\.yml\.enc)$/.test(f)).map(code).join(' or ')} today; deleting that file would empty it silently.`);
  if (uses.length) lines.push(`- Used in ${uses.length} place${uses.length === 1 ? '' : 's'}: ${uses.slice(0, 5).map((u) => `${code(relativeName(app, u.path))}:${u.range.start.line + 1}`).join(', ')}${uses.length > 5 ? ', …' : ''}.`);
  const fixable = entry.fix && (!entry.fix.when || holdsKnown(entry.fix.when, app.versions));
  if (fixable) lines.push(`- Quick fix: assign it in config/initializers/${entry.fix!.initializer}, reading the environment variable first.`);
  lines.push(...roundTripHint(entry.id));
  lines.push('', `Sources: ${citeClaims([...entry.claims, ...(fixable ? (entry.fix!.claims ?? []) : [])])}.`);
  return lines.join('\n');
}
