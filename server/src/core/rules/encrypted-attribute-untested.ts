// encrypted-attribute-untested: a model encrypts an attribute, and no spec or test reads its
// ciphertext. A spec that checks `expect(user.reload.email).to be` passes whether or not the value
// was encrypted, so a suite can be green while an attribute is stored in plaintext (or while the
// key the encryption needs is not exercised at all). Reported on each uncovered attribute of the
// declaration; the fix writes a round-trip spec. See docs/rules/encrypted-attribute-untested.md.

import { join, relative } from 'node:path';
import { citeClaims } from '../knowledge/claims';
import { holdsUnlessKnownFalse } from '../knowledge/versions';
import { railsAppOf, stripComment, type RailsApp } from '../rails/app-model';
import { encryptionDeclarations, type EncryptedAttribute, type EncryptionDeclaration } from '../rails/encrypted-attributes';
import { coverageOf } from '../rails/encryption-coverage';
import { examplePlan, roundTripSpecFix, specPathFor, type AttachmentKind, type RoundTripTarget } from '../fixes/encryption-roundtrip-spec';
import { preferredQuote } from '../fixes/rails-test-dummy';
import { docsUrl, type Rule, type RuleContext } from '../rule';
import type { Fix } from '../types';
import { code, fit, quote } from '../wording';

const ID = 'encrypted-attribute-untested';

export const encryptedAttributeUntested: Rule = {
  meta: {
    id: ID,
    title: 'Encrypted attribute with no ciphertext check',
    defaultSeverity: 'info',
    description:
      'A model encrypts an attribute (Lockbox, Active Record encryption, attr_encrypted) and no spec or test reads its ciphertext. ' +
      'A spec that only reads the value back passes whether or not it was encrypted; a round-trip spec proves that encryption really runs.',
    docsUrl: docsUrl(ID),
  },
  languages: ['ruby'],
  triggers: { ruby: ['encrypt'] },
  appliesTo: (path) => /\/app\/models\/.*\.rb$/.test(path.split('\\').join('/')),
  nodeTypes: [],
  create(ctx) {
    return { enter: () => undefined, finish: () => check(ctx) };
  },
};

function check(ctx: RuleContext): void {
  const app = railsAppOf(ctx.workspace, ctx.file.path);
  if (!app) return;
  const gems = { versions: app.versions, declared: (g: string) => app.gems.has(g) };
  const declarations = encryptionDeclarations(ctx.tree.rootNode, ctx.lines, gems).filter((d) => applies(ctx, app, d));
  if (declarations.length === 0) return;
  const coverage = coverageOf(ctx.workspace, app.root);
  const attachments = attachmentKinds(ctx.file.text);
  const quoteStyle = preferredQuote(ctx.file.text);
  // One fix per model: it writes the examples for every uncovered attribute of that model at once.
  const targets = new Map<string, RoundTripTarget>();
  const fixes = new Map<string, Fix | null>();
  for (const d of declarations) {
    for (const a of d.attributes) {
      if (coverage.covered(d.model, a)) continue;
      let target = targets.get(d.model);
      if (!target) {
        const declared = declarations.filter((x) => x.model === d.model).flatMap((x) => x.attributes);
        target = { app, model: d.model, modelText: ctx.file.text, attributes: [], declared, rspec: coverage.rspec, attachments };
        targets.set(d.model, target);
      }
      (target.attributes as EncryptedAttribute[]).push(a);
    }
  }
  for (const d of declarations) {
    for (const a of d.attributes) {
      const target = targets.get(d.model);
      if (!target || !target.attributes.includes(a)) continue;
      const plan = examplePlan(ctx.workspace, target, a, quoteStyle);
      // An attachment is reported only where the fix can check its stored bytes: a saved record.
      if (a.attachment && !plan) continue;
      ctx.report({
        range: a.range,
        message: message(d, a),
        details: details(app, d, a, target, plan),
        fixes: () => {
          if (!plan) return [];
          let fix = fixes.get(d.model);
          if (fix === undefined) fixes.set(d.model, (fix = roundTripSpecFix(ctx.workspace, target) ?? null));
          return fix ? [fix] : [];
        },
      });
    }
  }
}

/** Declarations the rule judges in this app: attr_encrypted names it can read, Active Record encryption where it exists. */
function applies(ctx: RuleContext, app: RailsApp, d: EncryptionDeclaration): boolean {
  if (d.library === 'active_record') return holdsUnlessKnownFalse('activerecord >= 7.0', app.versions);
  if (d.library === 'attr_encrypted') {
    // Class-wide options (here or in the base model) may rename the encrypted attribute.
    const base = ctx.workspace.readFile(join(app.root, 'app', 'models', 'application_record.rb')) ?? '';
    return ![ctx.file.text, base].some((t) => /attr_encrypted_options\b[^\n]*\b(prefix|suffix|attribute|if|unless)\b/.test(t));
  }
  return true;
}

/** `has_one_attached :document` / `has_many_attached :scans` in the model. */
function attachmentKinds(text: string): Map<string, AttachmentKind> {
  const out = new Map<string, AttachmentKind>();
  for (const line of text.split(/\r\n|\r|\n/).map(stripComment)) {
    const m = /^\s*has_(one|many)_attached\s+:(\w+)/.exec(line);
    if (m) out.set(m[2]!, m[1] === 'one' ? 'one' : 'many');
  }
  return out;
}

export function untestedMessage(model: string, a: Pick<EncryptedAttribute, 'name' | 'attachment'>): string {
  const what = a.attachment ? 'Encrypted attachment' : 'Encrypted attribute';
  return fit(
    `${what} ${quote(a.name)} of ${quote(model)} has no spec or test that reads its ciphertext, so nothing shows that encryption really runs.`,
    `${what} ${quote(a.name)} has no spec or test that reads its ciphertext, so nothing shows that encryption really runs.`,
    `No spec or test reads the ciphertext of ${quote(a.name)}, so nothing shows that it is encrypted.`,
  );
}

function message(d: EncryptionDeclaration, a: EncryptedAttribute): string {
  return untestedMessage(d.model, a);
}

const LIBRARY: Record<EncryptionDeclaration['library'], string> = { lockbox: 'Lockbox', active_record: 'Active Record encryption', attr_encrypted: 'attr_encrypted' };

function details(app: RailsApp, d: EncryptionDeclaration, a: EncryptedAttribute, t: RoundTripTarget, plan: ReturnType<typeof examplePlan>): string {
  const reads = a.attachment
    ? `the stored bytes of the attachment (\`${a.name}.blob.download\`; \`${a.name}.download\` decrypts)`
    : a.library === 'active_record'
      ? `\`ciphertext_for(:${a.name})\` or the raw \`${a.name}\` column`
      : code(a.ciphertext);
  const claims = claimsFor(d, a);
  const lines = [
    `${code(`${d.method} :${a.name}`)} in ${code(d.model)} is encrypted by ${LIBRARY[d.library]}, but no spec or test under \`spec/\` or \`test/\` reads ${reads}.`,
    '',
    `- A check such as ${code(`expect(record.reload.${a.name}).to be`)} passes whether or not the value was encrypted: it measures persistence, not encryption.`,
    `- Covered means: a spec or test reads ${reads}.`,
  ];
  const spec = specPathFor(d.model, t.rspec);
  if (plan) {
    const how = plan.recipe ? (plan.recipe.kind === 'factory' ? `built with FactoryBot's \`:${plan.recipe.factory}\` factory, saved and reloaded` : 'built with the attributes the model requires, saved and reloaded') : `checked before saving (initaudit could not tell how to build a valid ${d.model})`;
    lines.push(`- Quick fix: "Add an encryption round-trip spec" writes ${code(relative(app.root, join(app.root, spec)).split('\\').join('/'))}: the ciphertext is present and does not contain the value, and the value reads back; the record is ${how}.`);
  } else lines.push(`- No quick fix: ${a.kind === undefined ? 'the attribute\'s type is not known, so no distinctive value can be chosen' : 'the locked Active Record version is not known, or it cannot encrypt a value before saving and the record cannot be built'}.`);
  lines.push('', `Sources: ${citeClaims(claims)}.`);
  return lines.join('\n');
}

function claimsFor(d: EncryptionDeclaration, a: EncryptedAttribute): string[] {
  if (a.attachment) return ['lockbox.attachment-download'];
  if (d.library === 'lockbox') return [...(d.method === 'encrypts' ? ['lockbox.encrypts-owner'] : []), 'lockbox.ciphertext-attribute', 'lockbox.encrypts-on-assignment'];
  if (d.library === 'active_record') return ['lockbox.encrypts-owner', 'ar.ciphertext-for'];
  return ['attr_encrypted.encrypted-attribute'];
}
