// implicit-gem-key-lookup: a gem is in use and nothing assigns its key, so it reads the key by
// convention (ENV, Rails credentials). Deleting the credentials file then breaks production with
// nothing to grep for. Reported on the Gemfile `gem` line and on each use (has_encrypted, …).
// See docs/rules/implicit-gem-key-lookup.md.

import { basename, join } from 'node:path';
import { explicitInitializerFix } from '../fixes/explicit-initializer';
import { entriesInUse, productionCredentials, railsAppOf, type Place, type RailsApp } from '../rails/app-model';
import type { GemKeyEntry } from '../rails/gem-keys';
import { docsUrl, type Rule, type RuleContext } from '../rule';
import type { Fix, RelatedLocation, Severity } from '../types';

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
    const gone = entry.noSource === true || (credentialsGone && entry.readsCredentials && !(entry.fedBy && app.explicit.has(entry.fedBy)));
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
    if (isGemfile && gemLine) {
      ctx.report({
        range: gemLine.range,
        severity,
        message: message(entry, app, gone, `the \`${gemLine.name}\` gem`),
        related: uses.slice(0, 20).map((u) => related(u, `uses ${entry.setting} implicitly (\`${u.text}\`)`)),
        fixes,
      });
    }
    for (const use of uses.filter((u) => u.path === ctx.file.path)) {
      ctx.report({
        range: use.range,
        severity,
        message: message(entry, app, gone, `\`${use.text}\``),
        related: gemLine ? [{ path: gemfile, range: gemLine.range, message: `the \`${gemLine.name}\` gem is declared here` }] : [],
        fixes,
      });
    }
  }
}

function related(p: Place, message: string): RelatedLocation {
  return { path: p.path, range: p.range, message };
}

function message(entry: GemKeyEntry, app: RailsApp, gone: boolean, subject: string): string {
  const where = gone
    ? `this app has no production credentials file (${credentialsNames(app)}), so ${entry.envFallback ? 'only the environment variable is left' : 'nothing is left to read'}`
    : entry.readsCredentials
      ? 'deleting the credentials file would empty it silently'
      : 'nothing in the app says where it comes from';
  if (entry.noSource) return `${subject} has no \`key:\` and nothing sets a default key: ${entry.chain}, so ${entry.whenMissing}.`;
  return `${subject} depends on ${entry.setting}, which nothing assigns explicitly: it is read by convention from ${entry.chain}; ${where}. When it is empty, ${entry.whenMissing}.`;
}

function credentialsNames(app: RailsApp): string {
  const found = app.credentialsFiles;
  return found.length ? `only ${found.join(', ')}` : 'no config/credentials.yml.enc or config/credentials/production.yml.enc';
}
