// credentials-file-missing: code reads Rails credentials, but the environment it runs in has no
// credentials file. Rails rescues the missing file, so `dig` and single reads return nil silently
// (chained reads then fail on nil). Covers Ruby and ERB inside config/*.yml and config/storage/*.yml.
// See docs/rules/credentials-file-missing.md.

import { relative } from 'node:path';
import { railsAppOf, type RailsApp } from '../rails/app-model';
import { erbCredentialsReads, rubyCredentialsReads, type CredentialsRead } from '../rails/credentials-reads';
import { citeClaims, claim } from '../knowledge/claims';
import { holdsKnown } from '../knowledge/versions';
import { docsUrl, type Rule, type RuleContext, type TextRuleContext } from '../rule';
import { code, fit, quotable, quote } from '../wording';

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
    ctx.report({ range: { start: ctx.lines.positionAt(read.startIndex), end: ctx.lines.positionAt(read.endIndex) }, ...wording(read, app, env) });
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

/** What the read does with no file: certain for the versions whose source was read, "may" otherwise. */
function wording(read: CredentialsRead, app: RailsApp, env: string): { message: string; details: string } {
  const known = holdsKnown(claim('rails.missing-credentials').holds, app.versions);
  const written = quotable(read.written, 70);
  const subject = written ? `Credentials read ${quote(written)}` : 'This credentials read';
  const effect =
    read.whenMissing === 'no-method-error' ? (known ? 'raises NoMethodError' : 'may raise NoMethodError') : read.whenMissing === 'key-error' ? (known ? 'raises KeyError' : 'may raise KeyError') : known ? 'returns nil' : 'may return nil';
  const message = fit(`${subject} ${effect} in ${env}, where the app has no credentials file to read.`);
  const others = app.credentialsFiles.length ? ` Only ${app.credentialsFiles.map(code).join(', ')} ${app.credentialsFiles.length === 1 ? 'exists' : 'exist'}.` : '';
  const details = [
    `${code(read.written)} runs in ${env}, but neither \`config/credentials/${env}.yml.enc\` nor \`config/credentials.yml.enc\` exists.${others}`,
    '',
    '- Rails rescues the missing file (`EncryptedConfiguration#read` returns an empty string): `dig` and single reads return nil, a chained read raises NoMethodError on nil, and a `!` read raises KeyError.',
    '- With `config.require_master_key` on and no key found, Rails raises MissingKeyError at boot instead.',
    '',
    `Sources: ${citeClaims(['rails.missing-credentials', 'rails.require-master-key'])}.`,
  ].join('\n');
  return { message, details };
}
