// credentials-file-missing: code reads Rails credentials, but the environment it runs in has no
// credentials file. Rails rescues the missing file, so `dig` and single reads return nil silently
// (chained reads then fail on nil). Covers Ruby and ERB inside config/*.yml and config/storage/*.yml.
// See docs/rules/credentials-file-missing.md.

import { relative } from 'node:path';
import { railsAppOf, type RailsApp } from '../rails/app-model';
import { erbCredentialsReads, rubyCredentialsReads, type CredentialsRead } from '../rails/credentials-reads';
import { docsUrl, type Rule, type RuleContext, type TextRuleContext } from '../rule';

const ID = 'credentials-file-missing';

export const credentialsFileMissing: Rule = {
  meta: {
    id: ID,
    title: 'Credentials read with no credentials file',
    defaultSeverity: 'error',
    description:
      'Code reads Rails.application.credentials, but the app has no credentials file for the environment the code runs in. ' +
      'Rails rescues the missing file, so dig and single reads return nil silently instead of failing.',
    docsUrl: docsUrl(ID),
  },
  languages: ['ruby', 'yaml'],
  triggers: { ruby: ['credentials'], yaml: ['credentials'] },
  appliesTo: (path) => {
    const p = path.split('\\').join('/');
    return p.endsWith('.rb') || p.endsWith('.rake') || /\/config\/(storage\/)?[^/]+\.ya?ml$/.test(p);
  },
  nodeTypes: [],
  create(ctx) {
    return { enter: () => undefined, finish: () => report(ctx, (text) => rubyCredentialsReads(text, ctx.tree)) };
  },
  scanText(ctx) {
    report(ctx, erbCredentialsReads);
  },
};

function report(ctx: RuleContext | TextRuleContext, find: (text: string) => CredentialsRead[]): void {
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  if (!app) return;
  const env = environmentOf(app, ctx.file.path);
  const files = credentialsFilesFor(app, env);
  if (files.length > 0) return;
  for (const read of find(ctx.file.text)) {
    ctx.report({ range: { start: ctx.lines.positionAt(read.startIndex), end: ctx.lines.positionAt(read.endIndex) }, message: message(read, app, env) });
  }
}

/** config/environments/<env>.rb and config/storage/<env>.yml run in one environment; everything else in production too. */
function environmentOf(app: RailsApp, path: string): string {
  const rel = relative(app.root, path).split('\\').join('/');
  return /^config\/(?:environments\/(\w+)\.rb|storage\/(\w+)\.ya?ml)$/.exec(rel)?.slice(1).find(Boolean) ?? 'production';
}

/** Rails reads config/credentials/<env>.yml.enc, else config/credentials.yml.enc. */
function credentialsFilesFor(app: RailsApp, env: string): string[] {
  return app.credentialsFiles.filter((f) => f === 'config/credentials.yml.enc' || f === `config/credentials/${env}.yml.enc`);
}

function message(read: CredentialsRead, app: RailsApp, env: string): string {
  const missing = `config/credentials/${env}.yml.enc nor config/credentials.yml.enc exists`;
  const others = app.credentialsFiles.length ? ` (only ${app.credentialsFiles.join(', ')} ${app.credentialsFiles.length === 1 ? 'exists' : 'exist'})` : '';
  const why = `neither ${missing}${others}, and Rails rescues the missing file (EncryptedConfiguration#read returns "")`;
  switch (read.whenMissing) {
    case 'no-method-error':
      return `\`${read.written}\` fails in ${env}: ${why}, so the first accessor returns nil and the next one raises NoMethodError.`;
    case 'key-error':
      return `\`${read.written}\` raises KeyError in ${env}: ${why}.`;
    default:
      return `\`${read.written}\` returns nil silently in ${env}: ${why}.`;
  }
}
