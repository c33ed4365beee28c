// How a round-trip example builds a record that can be saved, the way the app builds records:
// a FactoryBot factory for the model when one exists (factories read as text, never loaded); else
// the model's required attributes and associations as far as the model and db/schema.rb show them;
// else nothing, and the example checks the ciphertext without saving (enough for Lockbox and
// attr_encrypted, which encrypt on assignment). Anything this reading cannot judge (a custom
// validation, a format rule, a parent class, Devise, has_secure_password) means "cannot tell".

import { join } from 'node:path';
import type { Workspace } from '../types';
import { stripComment } from './app-model';
import { underscorePath } from './encrypted-attributes';
import { escapeRegExp } from '../text';

export type Recipe =
  | { kind: 'factory'; factory: string }
  /** `Model.new(attr: value, assoc: <recipe>)`: values are Ruby expressions. */
  | { kind: 'new'; model: string; assignments: { name: string; value: string }[]; associations: { name: string; recipe: Recipe }[] };

export interface BuildContext {
  ws: Workspace;
  root: string;
  /** FactoryBot is in the Gemfile or the lockfile. */
  factoryBot: boolean;
  quote: '"' | "'";
}

const FACTORY_FILES = ['spec/factories.rb', 'test/factories.rb', 'spec/support/factories.rb'];
const FACTORY_DIRS = ['spec/factories', 'test/factories'];
const MAX_DEPTH = 2;
/** Validation options a placeholder value satisfies (or that skip a nil it does not set). */
const HARMLESS_OPTIONS = new Set(['presence', 'uniqueness', 'allow_nil', 'allow_blank', 'message', 'case_sensitive', 'scope', 'confirmation', 'acceptance', 'on', 'length', 'maximum']);
/** The placeholder string's length: a `maximum:` below it would reject it. */
const PLACEHOLDER_LENGTH = 10;
const UNKNOWN_DSL = /^\s*(validate|validates_with|validates_each|validates_associated|has_secure_password|devise|enum)\b|^\s*validates_(?!presence_of|uniqueness_of)\w+_of\b/;

/**
 * The recipe for a model (`Admin::Patient`), or undefined when it cannot be told. `assigned` are set
 * by the example itself; `virtual` maps the model's ciphertext columns to their encrypted attributes,
 * so a required `phone_ciphertext` column is filled through `phone`, never with a fake ciphertext.
 */
export function recipeFor(ctx: BuildContext, model: string, modelText: string, assigned: readonly string[], virtual: ReadonlyMap<string, string> = new Map()): Recipe | undefined {
  return factoryRecipe(ctx, model) ?? newRecipe(ctx, model, modelText, assigned, 0, virtual);
}

function factoryRecipe(ctx: BuildContext, model: string): Recipe | undefined {
  if (!ctx.factoryBot) return undefined;
  const base = underscorePath(model).replace(/\//g, '_');
  const simple = underscorePath(model).split('/').pop()!;
  const cls = escapeRegExp(model);
  const named = new RegExp(`^\\s*factory\\s+:(\\w+)\\s*(?:,\\s*class:\\s*(?::{0,2}${cls}\\b|["']:{0,2}${cls}["']))?\\s*(do|\\{|$)`);
  for (const text of factoryTexts(ctx)) {
    for (const line of text.split(/\r\n|\r|\n/).map(stripComment)) {
      const m = named.exec(line);
      if (!m) continue;
      // `factory :user do` for User; `factory :anything, class: "Admin::User"` for Admin::User.
      const explicit = /class:/.test(line);
      if (explicit || (!model.includes('::') && m[1] === simple) || m[1] === base) return { kind: 'factory', factory: m[1]! };
    }
  }
  return undefined;
}

const factoryCache = new WeakMap<Workspace, { version: number; byRoot: Map<string, string[]> }>();

/** The factory files' texts, read once per workspace version (one per attribute otherwise). */
function factoryTexts(ctx: BuildContext): string[] {
  const version = ctx.ws.version?.();
  if (version === undefined) return readFactoryTexts(ctx);
  let cached = factoryCache.get(ctx.ws);
  if (!cached || cached.version !== version) factoryCache.set(ctx.ws, (cached = { version, byRoot: new Map() }));
  let texts = cached.byRoot.get(ctx.root);
  if (!texts) cached.byRoot.set(ctx.root, (texts = readFactoryTexts(ctx)));
  return texts;
}

function readFactoryTexts(ctx: BuildContext): string[] {
  const out: string[] = [];
  for (const f of FACTORY_FILES) {
    const t = ctx.ws.readFile(join(ctx.root, f));
    if (t !== undefined) out.push(t);
  }
  const pending = FACTORY_DIRS.map((d) => join(ctx.root, d));
  while (pending.length && out.length < 500) {
    const dir = pending.pop()!;
    for (const name of ctx.ws.listDir?.(dir) ?? []) {
      if (name.endsWith('/')) pending.push(join(dir, name.slice(0, -1)));
      else if (name.endsWith('.rb')) {
        const t = ctx.ws.readFile(join(dir, name));
        if (t !== undefined) out.push(t);
      }
    }
  }
  return out;
}

interface Column {
  type: string;
  required: boolean;
}

function newRecipe(ctx: BuildContext, model: string, text: string, assigned: readonly string[], depth: number, virtual: ReadonlyMap<string, string> = new Map()): Recipe | undefined {
  const code = text.split(/\r\n|\r|\n/).map(stripComment);
  // Inherited validations live in the parent, which this reading does not follow.
  const superclass = code.map((l) => /^\s*class\s+[\w:]+\s*<\s*([\w:]+)/.exec(l)?.[1]).find(Boolean);
  if (!superclass || !/^(::)?(ApplicationRecord|ActiveRecord::Base)$/.test(superclass)) return undefined;
  const required = new Set<string>();
  const associations: { name: string; model: string }[] = [];
  for (let i = 0; i < code.length; i++) {
    let line = code[i]!;
    for (let j = i + 1; j < code.length && j <= i + 5 && /,\s*$/.test(line); j++) line += ` ${code[j]!.trim()}`;
    if (UNKNOWN_DSL.test(line)) return undefined;
    if (/^\s*(before|after|around)_(validation|save|create)\b/.test(line) && /\braise\b/.test(line)) return undefined;
    const presenceOf = /^\s*validates_presence_of\s+(.*)$/.exec(line);
    if (presenceOf) for (const s of symbolsOf(presenceOf[1]!)) required.add(s);
    const validates = /^\s*validates\s+(.*)$/.exec(line);
    if (validates) {
      const body = validates[1]!;
      const names = symbolsBeforeOptions(body);
      const options = [...body.matchAll(/(?:^|[,{\s])(\w+):/g)].map((m) => m[1]!);
      // Only top-level options matter; nested keys of a harmless option (uniqueness: { scope: … }) are harmless too.
      if (options.some((o) => !HARMLESS_OPTIONS.has(o))) return undefined;
      if ([...body.matchAll(/\bmaximum:\s*(\d+)/g)].some((m) => Number(m[1]) < PLACEHOLDER_LENGTH)) return undefined;
      if (/\bpresence:\s*true\b/.test(body) && !/\b(if|unless):/.test(body)) for (const n of names) required.add(n);
    }
    const belongs = /^\s*belongs_to\s+:(\w+)\s*(,.*)?$/.exec(line);
    if (belongs) {
      const opts = belongs[2] ?? '';
      if (/\boptional:\s*true\b/.test(opts)) continue;
      // A polymorphic owner could be any class; a custom foreign key names a column this reading does not map.
      if (/\b(polymorphic|foreign_key|primary_key):/.test(opts)) return undefined;
      const className = /\bclass_name:\s*["'](:{0,2}[\w:]+)["']/.exec(opts)?.[1]?.replace(/^::/, '');
      if (/\bclass_name:/.test(opts) && !className) return undefined;
      associations.push({ name: belongs[1]!, model: className ?? camelize(belongs[1]!) });
    }
  }
  const columns = schemaColumns(ctx, model, code);
  if (columns === null) return undefined;
  for (const [name, col] of columns ?? []) if (col.required) required.add(virtual.get(name) ?? name);
  const assignments: { name: string; value: string }[] = [];
  const built: { name: string; recipe: Recipe }[] = [];
  const fks = new Set(associations.map((a) => `${a.name}_id`));
  for (const name of [...required].sort()) {
    if (assigned.includes(name) || fks.has(name) || associations.some((a) => a.name === name)) continue;
    // An encrypted attribute takes a plain string, whatever its ciphertext column's type.
    const type = [...virtual.values()].includes(name) ? 'string' : (columns?.get(name)?.type ?? 'string');
    const value = placeholder(type, ctx.quote);
    if (value === undefined) return undefined;
    assignments.push({ name, value });
  }
  for (const a of associations) {
    if (depth >= MAX_DEPTH) return undefined;
    const recipe = factoryRecipe(ctx, a.model) ?? associatedRecipe(ctx, a.model, depth + 1);
    if (!recipe) return undefined;
    built.push({ name: a.name, recipe });
  }
  return { kind: 'new', model, assignments, associations: built };
}

function associatedRecipe(ctx: BuildContext, model: string, depth: number): Recipe | undefined {
  const text = ctx.ws.readFile(join(ctx.root, 'app', 'models', `${underscorePath(model)}.rb`));
  return text === undefined ? undefined : newRecipe(ctx, model, text, [], depth);
}

function symbolsOf(s: string): string[] {
  return [...s.matchAll(/:(\w+)\b(?!:)/g)].map((m) => m[1]!);
}

/** `:a, :b, presence: true` → a, b. */
function symbolsBeforeOptions(s: string): string[] {
  const out: string[] = [];
  for (const part of s.split(',')) {
    const m = /^\s*:(\w+)\s*$/.exec(part);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

/** A Ruby expression for a required column of this schema type; undefined for a type with no safe placeholder. */
function placeholder(type: string, q: string): string | undefined {
  switch (type) {
    case 'string':
    case 'text':
    case 'citext':
      return `${q}round-trip${q}`;
    case 'integer':
    case 'bigint':
      return '1';
    case 'float':
    case 'decimal':
      return '1.5';
    case 'boolean':
      return 'true';
    case 'date':
      return 'Date.new(2000, 1, 1)';
    case 'datetime':
    case 'timestamp':
    case 'time':
      return 'Time.utc(2000, 1, 1)';
    default:
      return undefined;
  }
}

/**
 * Columns of the model's table in db/schema.rb: undefined when the app has no schema.rb (so only
 * the model's validations count), null when it has one but the table is not in it (cannot tell).
 */
function schemaColumns(ctx: BuildContext, model: string, code: readonly string[]): Map<string, Column> | undefined | null {
  const schema = ctx.ws.readFile(join(ctx.root, 'db', 'schema.rb'));
  if (schema === undefined) return undefined;
  const explicit = code.map((l) => /^\s*self\.table_name\s*=\s*["']([\w.]+)["']/.exec(l)?.[1]).find(Boolean);
  if (code.some((l) => /\bself\.table_name\s*=/.test(l)) && !explicit) return null;
  const table = explicit ?? pluralize(underscorePath(model).replace(/\//g, '_'));
  const lines = schema.split(/\r\n|\r|\n/);
  const start = lines.findIndex((l) => new RegExp(`^\\s*create_table\\s+["']${table.replace(/\./g, '\\.')}["']`).test(l));
  if (start < 0) return null;
  const columns = new Map<string, Column>();
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*end\b/.test(l)) break;
    const m = /^\s*t\.(\w+)\s+["'](\w+)["'](.*)$/.exec(l);
    if (!m) continue;
    const [, type, name, rest] = m as unknown as [string, string, string, string];
    if (type === 'index') continue;
    columns.set(name, { type, required: /\bnull:\s*false\b/.test(rest) && !/\bdefault:/.test(rest) && !['created_at', 'updated_at'].includes(name) });
  }
  return columns;
}

const IRREGULAR: Record<string, string> = { person: 'people', man: 'men', woman: 'women', child: 'children', mouse: 'mice', datum: 'data' };

/** English plural as Rails' default inflections give it for common words. */
export function pluralize(table: string): string {
  const parts = table.split('_');
  const last = parts.pop()!;
  const plural =
    IRREGULAR[last] ??
    (/[^aeiou]y$/.test(last) ? `${last.slice(0, -1)}ies` : /(s|x|z|ch|sh)$/.test(last) ? `${last}es` : /(?:([^f])fe|([lr])f)$/.test(last) ? last.replace(/fe?$/, 'ves') : `${last}s`);
  return [...parts, plural].join('_');
}

export function camelize(name: string): string {
  return name
    .split('/')
    .map((p) => p.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''))
    .join('::');
}

/** The Ruby expression that builds (never saves) a record by this recipe. */
export function buildExpression(recipe: Recipe, q: string): string {
  if (recipe.kind === 'factory') return `FactoryBot.build(:${recipe.factory})`;
  const args = [...recipe.assignments.map((a) => `${a.name}: ${a.value}`), ...recipe.associations.map((a) => `${a.name}: ${buildExpression(a.recipe, q)}`)];
  return args.length ? `${recipe.model}.new(${args.join(', ')})` : `${recipe.model}.new`;
}
