// implicit-gem-key-lookup: a gem is in use and nothing assigns its key, so it reads the key by
// convention (ENV, Rails credentials). Deleting the credentials file then breaks production with
// nothing to grep for. Reported on the Gemfile `gem` line and on each use (has_encrypted, …).
// See docs/rules/implicit-gem-key-lookup.md.

import { basename, join } from 'node:path';
import { explicitInitializerFix } from '../fixes/explicit-initializer';
import { citeClaims } from '../knowledge/claims';
import { holdsKnown, holdsUnlessKnownFalse, worded } from '../knowledge/versions';
import { entriesInUse, productionCredentials, railsAppOf, type Place, type RailsApp } from '../rails/app-model';
import type { GemKeyEntry } from '../rails/gem-keys';
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
    ruby: ['gem "', "gem '", 'gem(', 'encrypt', 'blind_index', 'devise', 'has_kms_key', 'pay_customer', 'pay_merchant', 'MissionControl', 'action_mailbox'],
  },
  appliesTo: (path) => {
    const p = path.split('\\').join('/');
    return basename(p) === 'Gemfile' || /\/app\/(models|uploaders)\/.*\.rb$/.test(p) || /\/config\/.*\.rb$/.test(p);
  },
  nodeTypes: [],
  create(ctx) {
    return { enter: () => undefined, finish: () => check(ctx) };
  },
};

function check(ctx: RuleContext): void {
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  if (!app) return;
  const isGemfile = ctx.file.path === join(app.root, 'Gemfile');
  const credentialsGone = !productionCredentials(app);
  for (const entry of entriesInUse(app)) {
    if (app.explicit.has(entry.id)) continue;
    const readsCredentials = typeof entry.readsCredentials === 'string' ? holdsUnlessKnownFalse(entry.readsCredentials, app.versions) : entry.readsCredentials;
    const fed = entry.fedBy !== undefined && app.explicit.has(entry.fedBy.entry) && holdsUnlessKnownFalse(entry.fedBy.when, app.versions);
    const gone = entry.noSource === true || (credentialsGone && readsCredentials && !fed);
    if (entry.onlyWhenGone && !gone) continue;
    const severity: Severity = gone ? 'error' : 'warning';
    const uses = app.uses.get(entry.id) ?? [];
    const gemLine = entry.gems.map((g) => app.gems.get(g)).find((g) => g !== undefined);
    const gemfile = join(app.root, 'Gemfile');
    // Built at most once per entry, and only when a finding here is reported with fixes.
    let fix: Fix | null | undefined;
    const fixes = (): Fix[] => {
      fix ??= explicitInitializerFix(ctx.workspace, app, entry, ctx.file.text) ?? null;
      return fix ? [fix] : [];
    };
    const wording = { message: implicitKeyMessage(entry, gone, readsCredentials, uses[0]), details: details(entry, app, gone, readsCredentials) };
    if (isGemfile && gemLine) {
      ctx.report({
        range: gemLine.range,
        severity,
        ...wording,
        related: uses.slice(0, 20).map((u) => related(u, `Uses ${entry.setting} implicitly (${u.text})`)),
        fixes,
      });
    }
    for (const use of uses.filter((u) => u.path === ctx.file.path)) {
      ctx.report({
        range: use.range,
        severity,
        message: implicitKeyMessage(entry, gone, readsCredentials, use),
        details: wording.details,
        related: gemLine ? [{ path: gemfile, range: gemLine.range, message: `The ${gemLine.name} gem is declared here` }] : [],
        fixes,
      });
    }
  }
}

function related(p: Place, message: string): RelatedLocation {
  return { path: p.path, range: p.range, message };
}

/** One sentence: nothing assigns the key, where it comes from instead, and the consequence that matters. */
export function implicitKeyMessage(entry: GemKeyEntry, gone: boolean, readsCredentials: boolean, use: Place | undefined): string {
  const it = entry.plural ? 'them' : 'it';
  const is = entry.plural ? 'are' : 'is';
  if (entry.noSource) {
    const subject = use ? `Declaration ${quote(use.text)}` : capitalize(entry.subject);
    return fit(`${subject} has no key and ${entry.gemName} has no default key, so ${entry.goneConsequence}.`);
  }
  if (gone) {
    const envs = entry.envVars.length ? list(entry.envVars) : undefined;
    return fit(
      envs
        ? `Nothing assigns ${entry.subject} and the app has no production credentials file, so ${it} ${is} empty unless ${envs} ${entry.envVars.length > 1 ? 'are' : 'is'} set.`
        : `Nothing assigns ${entry.subject} and the app has no production credentials file, so ${entry.goneConsequence}.`,
    );
  }
  if (readsCredentials) {
    return fit(
      `Nothing assigns ${entry.subject}, so ${entry.gemName} reads ${it} by convention and deleting the credentials file would silently empty ${it}.`,
      `Nothing assigns ${entry.subject}, so ${it} ${is} read from credentials by convention and deleting that file would silently empty ${it}.`,
    );
  }
  return fit(`Nothing assigns ${entry.subject}, so ${entry.implicitConsequence ?? `${entry.gemName} reads ${it} by convention`}.`);
}

/** Markdown for the hover: the chain, what empty means at the locked versions, the state of this app, the sources. */
function details(entry: GemKeyEntry, app: RailsApp, gone: boolean, readsCredentials: boolean): string {
  const lines = [
    `Nothing assigns ${code(entry.setting)} explicitly, so it is read by convention from ${worded(entry.chain, app.versions)}.`,
    '',
    `- When it is empty, ${worded(entry.whenMissing, app.versions)}.`,
  ];
  if (gone && !entry.noSource) lines.push(`- This app has no production credentials file (${credentialsNames(app)}).`);
  else if (readsCredentials) lines.push(`- Production reads it from ${app.credentialsFiles.map(code).join(' or ')} today; deleting that file would empty it silently.`);
  const fixable = entry.fix && (!entry.fix.when || holdsKnown(entry.fix.when, app.versions));
  if (fixable) lines.push(`- Quick fix: assign it in config/initializers/${entry.fix!.initializer}, reading the environment variable first.`);
  lines.push('', `Sources: ${citeClaims([...entry.claims, ...(fixable ? (entry.fix!.claims ?? []) : [])])}.`);
  return lines.join('\n');
}

function credentialsNames(app: RailsApp): string {
  const found = app.credentialsFiles;
  return found.length ? `only ${found.map(code).join(', ')}` : 'no `config/credentials.yml.enc` or `config/credentials/production.yml.enc`';
}
