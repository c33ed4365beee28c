// "Add an encryption round-trip spec": spec/models/<model>_encryption_spec.rb (RSpec, when the app
// has spec/) or test/models/<model>_encryption_test.rb (Minitest), one example per encrypted
// attribute no spec reads the ciphertext of. Each example assigns a distinctive value, checks that
// the stored ciphertext is there and does not contain it, and that the value reads back: after a
// save and reload when the record can be built (record-builder.ts), else before saving, which
// Lockbox and attr_encrypted allow because they encrypt on assignment. An existing file for the
// model gets the missing examples before its last `end` and nothing else; once an example reads
// the ciphertext the attribute is covered, so a second run finds nothing to add.

import { join } from 'node:path';
import { holdsKnown } from '../knowledge/versions';
import type { RailsApp } from '../rails/app-model';
import { underscorePath, type EncryptedAttribute } from '../rails/encrypted-attributes';
import { buildExpression, recipeFor, type Recipe } from '../rails/record-builder';
import { detectEol, LineIndex } from '../text';
import type { Fix, FileChange, Workspace } from '../types';
import { preferredQuote } from './rails-test-dummy';

export const ROUND_TRIP_FIX_TITLE = 'Add an encryption round-trip spec';

/** One attachment's cardinality, from `has_one_attached` / `has_many_attached` in the model. */
export type AttachmentKind = 'one' | 'many';

export interface RoundTripTarget {
  app: RailsApp;
  /** The model class: `Admin::Patient`. */
  model: string;
  modelText: string;
  attributes: readonly EncryptedAttribute[];
  /** Every encrypted attribute the model declares, covered or not: their ciphertext columns are filled through them. */
  declared: readonly EncryptedAttribute[];
  rspec: boolean;
  attachments: ReadonlyMap<string, AttachmentKind>;
}

/** Where the fix writes, relative to the app root. */
export function specPathFor(model: string, rspec: boolean): string {
  const base = underscorePath(model);
  return rspec ? `spec/models/${base}_encryption_spec.rb` : `test/models/${base}_encryption_test.rb`;
}

/**
 * How an example for this attribute checks it, or undefined when no example can be written:
 * `saved` with a recipe, or `unsaved` (ciphertext on assignment).
 */
export function examplePlan(ws: Workspace, t: RoundTripTarget, a: EncryptedAttribute, quote: '"' | "'"): { recipe: Recipe | undefined } | undefined {
  if (a.kind === undefined) return undefined;
  const factoryBot = ['factory_bot', 'factory_bot_rails'].some((g) => t.app.gems.has(g) || t.app.versions.has(g));
  const virtual = new Map(t.declared.filter((d) => !d.attachment).map((d) => [d.ciphertext, d.name]));
  const recipe = recipeFor({ ws, root: t.app.root, factoryBot, quote }, t.model, t.modelText, [a.name], virtual);
  // An attachment is uploaded on save: it needs a saved record and a storage service in test.
  if (a.attachment) return recipe && t.attachments.has(a.name) && activeStorageInTest(ws, t.app.root) ? { recipe } : undefined;
  if (a.library === 'active_record') {
    // ciphertext_for exists from 7.0; it encrypts a value not yet saved from 7.1 (claim ar.ciphertext-for).
    if (!holdsKnown('activerecord >= 7.0', t.app.versions)) return undefined;
    if (!recipe && !holdsKnown('activerecord >= 7.1', t.app.versions)) return undefined;
  }
  return { recipe };
}

function activeStorageInTest(ws: Workspace, root: string): boolean {
  return /\bactive_storage\.service\s*=/.test(ws.readFile(join(root, 'config', 'environments', 'test.rb')) ?? '');
}

export function roundTripSpecFix(ws: Workspace, t: RoundTripTarget): Fix | undefined {
  const rel = specPathFor(t.model, t.rspec);
  const path = join(t.app.root, rel);
  const existing = ws.readFile(path);
  const quote = existing !== undefined ? preferredQuote(existing, preferredQuote(t.modelText)) : preferredQuote(t.modelText);
  const eol = existing !== undefined ? detectEol(existing) : detectEol(t.modelText);
  const indent = existing !== undefined ? indentUnit(existing) : '  ';
  const examples: string[][] = [];
  for (const a of t.attributes) {
    const plan = examplePlan(ws, t, a, quote);
    if (!plan) continue;
    // Idempotent by name as well: an example already in the file is never written twice.
    if (existing !== undefined && existing.includes(exampleTitle(a))) continue;
    examples.push(example(t, a, plan.recipe, quote, t.rspec || (existing !== undefined && isRspecFile(existing)) ? 'rspec' : 'minitest'));
  }
  if (examples.length === 0) return undefined;
  const indented = examples.map((lines) => lines.map((l) => (l ? indent + l.replace(/^( {2})+/, (m) => indent.repeat(m.length / 2)) : l)).join(eol));
  let change: FileChange;
  if (existing === undefined) {
    const header = t.rspec
      ? [`require ${quote}${ws.fileExists(join(t.app.root, 'spec', 'rails_helper.rb')) || !ws.fileExists(join(t.app.root, 'spec', 'spec_helper.rb')) ? 'rails_helper' : 'spec_helper'}${quote}`, '', ...intro(), `RSpec.describe ${t.model}, type: :model do`]
      : [`require ${quote}test_helper${quote}`, '', ...intro(), `class ${t.model.replace(/::/g, '')}EncryptionTest < ActiveSupport::TestCase`];
    change = { kind: 'create', path, text: [...header, indented.join(eol + eol), 'end', ''].join(eol) };
  } else {
    const close = lastTopLevelEnd(existing);
    if (close === undefined) return undefined;
    const index = new LineIndex(existing);
    const at = index.positionAt(close);
    // At the start of the closing `end` line: a blank line, then the examples, blank-line separated.
    const addition = `${needsBlankLine(existing, close) ? eol : ''}${indented.join(eol + eol)}${eol}`;
    change = { kind: 'edit', path, edits: [{ range: { start: at, end: at }, newText: addition }] };
  }
  return { title: `${ROUND_TRIP_FIX_TITLE} (${rel})`, isPreferred: true, changes: [change] };
}

function intro(): string[] {
  return ['# Encryption round trips (added by initaudit): the stored ciphertext is not the value, and the value reads back.'];
}

export function exampleTitle(a: EncryptedAttribute): string {
  return `stores ${a.name} encrypted and reads it back`;
}

interface ValueShape {
  value: string;
  /** What must not appear in the ciphertext. */
  needle: string;
}

function valueShape(a: EncryptedAttribute, q: string): ValueShape {
  const text = `${q}round-trip ${a.name.replace(/_/g, ' ')}${q}`;
  switch (a.kind) {
    case 'integer':
      return { value: '424242', needle: 'value.to_s' };
    case 'float':
      return { value: '4242.25', needle: 'value.to_s' };
    case 'date':
      return { value: 'Date.new(1999, 12, 31)', needle: 'value.to_s' };
    case 'hash':
      return { value: `{ ${q}note${q} => ${text} }`, needle: text };
    default:
      return { value: text, needle: 'value' };
  }
}

/** The example's lines, indented by two spaces per level from the class body (re-indented by the caller). */
function example(t: RoundTripTarget, a: EncryptedAttribute, recipe: Recipe | undefined, q: string, style: 'rspec' | 'minitest'): string[] {
  const v = varName(t.model);
  const { value, needle } = valueShape(a, q);
  const ct = a.library === 'active_record' ? `${v}.ciphertext_for(:${a.name})` : a.attachment ? `${v}.${a.name}${t.attachments.get(a.name) === 'many' ? '.first' : ''}.blob.download` : `${v}.${a.ciphertext}`;
  const read = a.attachment ? `${v}.${a.name}${t.attachments.get(a.name) === 'many' ? '.first' : ''}.download` : `${v}.${a.name}`;
  const msg = (s: string) => `${q}${a.name} ${s}${q}`;
  const body: string[] = [`value = ${value}`];
  if (!recipe) body.push(`# Not saved: initaudit could not tell how to build a valid ${t.model}; the value is encrypted on assignment.`);
  body.push(`${v} = ${recipe ? buildExpression(recipe, q) : `${t.model}.new`}`);
  if (a.attachment) body.push(`${v}.${a.name}.attach(io: StringIO.new(value), filename: ${q}round-trip.txt${q})`);
  else body.push(`${v}.${a.name} = value`);
  if (recipe) body.push(`${v}.save!${validatedBeyondPresence(t.modelText, a.name) ? '(validate: false)' : ''}`, `${v}.reload`);
  const roundTrip =
    recipe || a.attachment
      ? read
      : a.library === 'lockbox' && !a.perRecordKey
        ? // A fresh record given only the ciphertext must decrypt it: the value really went through Lockbox.
          `${t.model}.new(${a.ciphertext}: ${v}.${a.ciphertext}).${a.name}`
        : undefined;
  if (style === 'rspec') {
    body.push(`expect(${ct}).to be_present, ${msg('has no ciphertext')}`, `expect(${ct}).not_to include(${needle}), ${msg('is stored in plaintext')}`);
    if (roundTrip) body.push(`expect(${roundTrip}).to eq(value), ${msg('does not read back')}`);
    return [`it ${q}${exampleTitle(a)}${q} do`, ...body.map((l) => `  ${l}`), 'end'];
  }
  body.push(`assert ${ct}.present?, ${msg('has no ciphertext')}`, `refute_includes ${ct}, ${needle}, ${msg('is stored in plaintext')}`);
  if (roundTrip) body.push(`assert_equal value, ${roundTrip}, ${msg('does not read back')}`);
  return [`test ${q}${exampleTitle(a)}${q} do`, ...body.map((l) => `  ${l}`), 'end'];
}

/** Validations on the attribute beyond presence (a format, an inclusion) that a placeholder may not meet. */
function validatedBeyondPresence(modelText: string, name: string): boolean {
  return modelText.split(/\r\n|\r|\n/).some((l) => {
    const m = new RegExp(`^\\s*validates\\s+(?::\\w+\\s*,\\s*)*:${name}\\b(.*)$`).exec(l);
    if (m) return [...m[1]!.matchAll(/(\w+):/g)].some((o) => !['presence', 'uniqueness', 'allow_nil', 'allow_blank', 'message'].includes(o[1]!));
    return new RegExp(`^\\s*validates_(?!presence_of|uniqueness_of)\\w+_of\\b[^\\n]*:${name}\\b`).test(l);
  });
}

function varName(model: string): string {
  const base = underscorePath(model).split('/').pop()!;
  return ['value', 'end', 'class', 'def', 'self', 'then', 'in', 'do'].includes(base) ? 'record' : base;
}

function isRspecFile(text: string): boolean {
  return /^\s*(RSpec\.)?describe\b/m.test(text);
}

/** The indentation of the first indented code line; two spaces when there is none. */
function indentUnit(text: string): string {
  const m = /^([ \t]+)\S/m.exec(text);
  return m ? m[1]! : '  ';
}

/** Offset of the start of the last line that is `end` at column 0: the describe block or test class. */
function lastTopLevelEnd(text: string): number | undefined {
  const re = /^end[ \t]*(?=\r\n|\r|\n|$)/gm;
  let last: number | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index;
  return last;
}

/** Whether the line before the closing `end` has content, so the new examples need a blank line first. */
function needsBlankLine(text: string, close: number): boolean {
  const before = text.slice(0, close).replace(/(\r\n|\r|\n)$/, '');
  const lastLine = before.slice(Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1);
  return lastLine.trim() !== '';
}

/** Gem-key entries and secret profiles whose key protects encrypted attributes. */
const ENCRYPTION_KEYS = new Set(['lockbox', 'active_record_encryption', 'attr_encrypted']);

/** The hover line the key rules add for an encryption key: zero or one line. */
export function roundTripHint(id: string): string[] {
  return ENCRYPTION_KEYS.has(id)
    ? [`- To prove in the test suite that encryption really runs with this key, see \`encrypted-attribute-untested\` and its quick fix "${ROUND_TRIP_FIX_TITLE}".`]
    : [];
}
