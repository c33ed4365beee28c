// credentials-file-missing: code reads Rails credentials, but the app has no production
// credentials file. Rails rescues the missing file and every read returns nil, silently.
// Covers Ruby code and ERB inside config/*.yml (database.yml, storage.yml, cable.yml).
// See docs/rules/credentials-file-missing.md.

import { railsAppOf, productionCredentials, type RailsApp } from '../rails/app-model';
import { erbCredentialsReads, rubyCredentialsRead } from '../rails/credentials-reads';
import { docsUrl, type Rule, type RuleContext, type TextRuleContext } from '../rule';

const ID = 'credentials-file-missing';

export const credentialsFileMissing: Rule = {
  meta: {
    id: ID,
    title: 'Credentials read with no credentials file',
    defaultSeverity: 'error',
    description:
      'Code reads Rails.application.credentials, but the app has no config/credentials.yml.enc or config/credentials/production.yml.enc. ' +
      'Rails rescues the missing file, so every read returns nil silently instead of failing.',
    docsUrl: docsUrl(ID),
  },
  languages: ['ruby', 'yaml'],
  triggers: { ruby: ['credentials'], yaml: ['credentials'] },
  appliesTo: (path) => {
    const p = path.split('\\').join('/');
    return p.endsWith('.rb') || p.endsWith('.rake') || /\/config\/[^/]+\.ya?ml$/.test(p);
  },
  nodeTypes: ['call', 'element_reference'],
  create(ctx) {
    const app = missingCredentialsApp(ctx);
    return {
      enter: (node) => {
        if (!app) return;
        const read = rubyCredentialsRead(node);
        if (!read) return;
        ctx.report({
          range: { start: ctx.lines.positionAt(read.node.startIndex), end: ctx.lines.positionAt(read.node.endIndex) },
          message: message(read.display, app),
        });
      },
    };
  },
  scanText(ctx) {
    const app = missingCredentialsApp(ctx);
    if (!app) return;
    for (const read of erbCredentialsReads(ctx.file.text)) {
      ctx.report({ range: { start: ctx.lines.positionAt(read.startIndex), end: ctx.lines.positionAt(read.endIndex) }, message: message(read.display, app) });
    }
  },
};

/** The file's app, when it has no production credentials file to read. */
function missingCredentialsApp(ctx: RuleContext | TextRuleContext): RailsApp | undefined {
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  return app && !productionCredentials(app) ? app : undefined;
}

function message(display: string, app: RailsApp): string {
  const others = app.credentialsFiles.length ? ` (only ${app.credentialsFiles.join(', ')} exist)` : '';
  return (
    `\`${display}\` returns nil silently: this app has no config/credentials.yml.enc or config/credentials/production.yml.enc${others}, ` +
    'and Rails rescues the missing file (EncryptedConfiguration#read returns ""), so every credentials read is nil in production.'
  );
}
