// credentials-file-missing: code reads Rails credentials, but the file it reads is gone. Rails
// rescues the missing file, so `dig` and single reads return nil silently (chained reads then fail on
// nil). Graded by evidence, because a file missing from a checkout is often kept out of it on purpose:
// an error when the change under audit deletes it, a warning when it was committed before or the app
// moved its secrets to another store, nothing otherwise. Covers Ruby and ERB inside config/*.yml.
// See docs/rules/credentials-file-missing.md.

import { relative } from 'node:path';
import { railsAppOf, type RailsApp } from '../rails/app-model';
import { credentialsEvidence, credentialsFilesFor, type CredentialsEvidence } from '../rails/credentials-state';
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
      'Code reads Rails.application.credentials, but the credentials file for the environment it runs in is gone: the change deletes it, ' +
      'or it was committed before, or the app moved its secrets to another store. Rails rescues the missing file, so dig and single reads return nil silently.',
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
  const rel = relative(app.root, ctx.file.path).split('\\').join('/');
  if (NOT_DEPLOYED.test(rel)) return;
  const env = environmentOf(rel);
  const evidence = credentialsEvidence(app.credentials, env);
  const severity = severityOf(evidence, app);
  if (!severity) return;
  for (const read of find(ctx.file.text)) {
    ctx.report({ range: { start: ctx.lines.positionAt(read.startIndex), end: ctx.lines.positionAt(read.endIndex) }, severity, ...wording(read, app, env, evidence) });
  }
}

/** Seeds, specs, tests and hand-run tasks never run in a deployed environment's boot or requests. */
const NOT_DEPLOYED = /^(db\/seeds(\.rb|\/)|spec\/|test\/|features\/|lib\/tasks\/|script\/)|\.rake$/;

/** error: the change deletes the file; warning: it was committed before, or the app moved to another store; else nothing. */
function severityOf(evidence: CredentialsEvidence, app: RailsApp): 'error' | 'warning' | undefined {
  if (evidence === 'deleted-by-change') return 'error';
  if (evidence === 'committed-before') return 'warning';
  if (evidence === 'absent' && app.hasChamber) return 'warning';
  return undefined;
}

/** config/environments/<env>.rb and config/storage/<env>.yml run in one environment; everything else in production too. */
function environmentOf(rel: string): string {
  return /^config\/(?:environments\/(\w+)\.rb|storage\/(\w+)\.ya?ml)$/.exec(rel)?.slice(1).find(Boolean) ?? 'production';
}

/** What the read does with no file: certain for the versions whose source was read, "may" otherwise. */
function wording(read: CredentialsRead, app: RailsApp, env: string, evidence: CredentialsEvidence): { message: string; details: string } {
  const known = holdsKnown(claim('rails.missing-credentials').holds, app.versions);
  const written = quotable(read.written, 70);
  const subject = written ? `Credentials read ${quote(written)}` : 'This credentials read';
  const effect =
    read.whenMissing === 'no-method-error' ? (known ? 'raises NoMethodError' : 'may raise NoMethodError') : read.whenMissing === 'key-error' ? (known ? 'raises KeyError' : 'may raise KeyError') : known ? 'returns nil' : 'may return nil';
  const files = credentialsFilesFor(env);
  const gone = (evidence === 'deleted-by-change' ? app.credentials.deleted : (app.credentials.committed ?? [])).find((f) => files.includes(f)) ?? files[1]!;
  const why =
    evidence === 'deleted-by-change' ? `once this change deletes ${gone}` : evidence === 'committed-before' ? `now that ${gone}, committed before, is gone` : 'now that the app keeps its secrets in Chamber';
  const message = fit(`${subject} ${effect} in ${env} ${why}.`, `This credentials read ${effect} in ${env} ${why}.`);
  const others = app.credentialsFiles.length ? ` Only ${app.credentialsFiles.map(code).join(', ')} ${app.credentialsFiles.length === 1 ? 'exists' : 'exist'}.` : '';
  const details = [
    `${code(read.written)} runs in ${env}, but neither \`config/credentials/${env}.yml.enc\` nor \`config/credentials.yml.enc\` is there.${others}`,
    '',
    evidence === 'deleted-by-change'
      ? `- This change deletes ${code(gone)}.`
      : evidence === 'committed-before'
        ? `- ${code(gone)} was committed in the repository's history and is gone from the working tree.`
        : '- The app keeps its secrets in Chamber, and reads like this one still go to Rails credentials.',
    '- Rails rescues the missing file (`EncryptedConfiguration#read` returns an empty string): `dig` and single reads return nil, a chained read raises NoMethodError on nil, and a `!` read raises KeyError.',
    '- With `config.require_master_key` on and no key found, Rails raises MissingKeyError at boot instead.',
    '',
    `Sources: ${citeClaims(['rails.missing-credentials', 'rails.require-master-key'])}.`,
  ].join('\n');
  return { message, details };
}
