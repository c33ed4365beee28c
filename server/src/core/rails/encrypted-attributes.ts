// Encrypted attribute declarations in a model file, read from its tree: Lockbox (`has_encrypted`,
// `lockbox_encrypts`, `encrypts` where it is Lockbox's at the locked versions, `encrypts_attached`),
// Active Record encryption (`encrypts`) and attr_encrypted. For each attribute: the model class,
// where its ciphertext is read (claims lockbox.ciphertext-attribute, ar.ciphertext-for,
// attr_encrypted.encrypted-attribute), and what kind of value it holds, as far as the declaration
// says. A declaration whose ciphertext cannot be named for certain (a computed option, a condition
// on encryption, a concern that any class may include) is left out: when in doubt, stay silent.

import type { SyntaxNode } from '../parser';
import { callParts, field, literalString, namedChildren } from '../ruby/syntax';
import type { LineIndex } from '../text';
import type { Range } from '../types';
import { encryptsOwner, type GemFacts } from './gem-keys';

export type EncryptionLibrary = 'lockbox' | 'active_record' | 'attr_encrypted';

/** What a round-trip example assigns: a value of this kind, or nothing when the kind is not known. */
export type ValueKind = 'string' | 'integer' | 'float' | 'date' | 'hash';

export interface EncryptedAttribute {
  /** The virtual attribute the app reads and writes: `email`. */
  name: string;
  library: EncryptionLibrary;
  /** An Active Storage attachment (Lockbox `encrypts_attached`), not a column. */
  attachment: boolean;
  /**
   * Where the ciphertext is read: `email_ciphertext` (Lockbox), `encrypted_email` (attr_encrypted);
   * for Active Record encryption the attribute itself, through `ciphertext_for`.
   */
  ciphertext: string;
  /** Undefined: the value's type is not known (a custom or serialized type), so no example is written. */
  kind: ValueKind | undefined;
  /** The key depends on the record (Lockbox `key:`/`key_attribute:`, hybrid): a fresh record cannot decrypt a copy. */
  perRecordKey: boolean;
  /** The attribute's symbol in the declaration. */
  range: Range;
}

export interface EncryptionDeclaration {
  /** `has_encrypted`, `encrypts`, `attr_encrypted`, … */
  method: string;
  library: EncryptionLibrary;
  /** The class the declaration is in, fully qualified: `Admin::Patient`. */
  model: string;
  /** The declaration's method name. */
  range: Range;
  attributes: EncryptedAttribute[];
}

const LOCKBOX_METHODS = new Set(['has_encrypted', 'lockbox_encrypts', 'encrypts_attached']);
const LOCKBOX_TYPES: Record<string, ValueKind> = { string: 'string', binary: 'string', integer: 'integer', float: 'float', date: 'date', json: 'hash', hash: 'hash' };
/** Lockbox options that make the key depend on the record or leave it unable to decrypt. */
const LOCKBOX_RECORD_KEYS = ['key', 'key_attribute', 'key_table', 'algorithm', 'decryption_key', 'encryption_key', 'previous_versions'];

/** Which library a declaration method belongs to in this app; undefined when it cannot be told. */
export function libraryOf(method: string, gems: GemFacts): EncryptionLibrary | undefined {
  const has = (g: string) => gems.declared(g) || gems.versions.has(g);
  if (LOCKBOX_METHODS.has(method)) return has('lockbox') ? 'lockbox' : undefined;
  if (method === 'attr_encrypted') return has('attr_encrypted') ? 'attr_encrypted' : undefined;
  if (method === 'encrypts') return encryptsOwner(gems);
  return undefined;
}

/** The declarations in one model file's tree. */
export function encryptionDeclarations(root: SyntaxNode, lines: LineIndex, gems: GemFacts): EncryptionDeclaration[] {
  const out: EncryptionDeclaration[] = [];
  const visit = (node: SyntaxNode, scope: string[]): void => {
    for (const child of namedChildren(node)) {
      if (child.type === 'class' || child.type === 'module') {
        const name = field(child, 'name');
        const body = field(child, 'body');
        if (!name || !body) continue;
        const inner = [...scope, ...constantPath(name)];
        // Declarations directly in a class body belong to that class; a module's belong to whoever includes it.
        if (child.type === 'class') {
          const found: EncryptionDeclaration[] = [];
          const typed = new Set<string>();
          for (const stmt of namedChildren(body)) {
            if (stmt.type !== 'call') continue;
            const d = declaration(stmt, inner.join('::'), lines, gems);
            if (d) found.push(d);
            // `serialize :x` / `attribute :x, :integer`: Lockbox then stores the type's serialization, of a kind not read here.
            const { receiver, method, args } = callParts(stmt);
            if (!receiver && (method === 'serialize' || method === 'attribute' || method === 'store')) {
              const first = literalString(args[0]);
              if (first !== undefined) typed.add(first);
            }
          }
          for (const d of found) for (const a of d.attributes) if (typed.has(a.name) && a.library !== 'active_record') a.kind = undefined;
          out.push(...found);
        }
        visit(body, inner);
      }
    }
  };
  visit(root, []);
  return out;
}

function constantPath(node: SyntaxNode): string[] {
  if (node.type === 'constant') return [node.text];
  if (node.type === 'scope_resolution') {
    const scope = field(node, 'scope');
    const name = field(node, 'name');
    return [...(scope ? constantPath(scope) : []), ...(name ? [name.text] : [])];
  }
  return [node.text];
}

function declaration(call: SyntaxNode, model: string, lines: LineIndex, gems: GemFacts): EncryptionDeclaration | undefined {
  const { receiver, method, args, block } = callParts(call);
  if (!method || block || (receiver && receiver.text !== 'self')) return undefined;
  if (!LOCKBOX_METHODS.has(method) && method !== 'encrypts' && method !== 'attr_encrypted') return undefined;
  const library = libraryOf(method, gems);
  if (!library) return undefined;
  const names: SyntaxNode[] = [];
  const options = new Map<string, SyntaxNode>();
  for (const arg of args) {
    if (arg.type === 'pair') {
      const key = literalString(field(arg, 'key'));
      const value = field(arg, 'value');
      if (key === undefined || !value) return undefined;
      options.set(key, value);
    } else if (arg.type === 'simple_symbol' || arg.type === 'string') {
      if (literalString(arg) === undefined) return undefined;
      names.push(arg);
    } else {
      // A splat, a computed name, a hash variable: what is encrypted cannot be read.
      return undefined;
    }
  }
  if (names.length === 0) return undefined;
  const attachment = method === 'encrypts_attached';
  const attributes: EncryptedAttribute[] = [];
  for (const n of names) {
    const name = literalString(n)!;
    const a = attribute(library, attachment, name, options, names.length);
    if (!a) return undefined;
    attributes.push({ ...a, range: rangeOf(n, lines) });
  }
  const m = field(call, 'method')!;
  return { method, library, model, range: rangeOf(m, lines), attributes };
}

function attribute(library: EncryptionLibrary, attachment: boolean, name: string, options: Map<string, SyntaxNode>, count: number): Omit<EncryptedAttribute, 'range'> | undefined {
  const literal = (key: string): string | undefined => {
    const v = options.get(key);
    return v ? literalString(v) : undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const v = options.get(key);
    return v === undefined ? undefined : v.type === 'true' ? true : v.type === 'false' ? false : undefined;
  };
  if (library === 'lockbox') {
    let ciphertext = `${name}_ciphertext`;
    if (options.has('encrypted_attribute')) {
      const custom = literal('encrypted_attribute');
      if (custom === undefined || count > 1) return undefined;
      ciphertext = custom;
    }
    let kind: ValueKind | undefined = 'string';
    if (options.has('type')) kind = LOCKBOX_TYPES[literal('type') ?? ''];
    const perRecordKey = LOCKBOX_RECORD_KEYS.some((k) => options.has(k));
    return { name, library, attachment, ciphertext, kind: attachment ? 'string' : kind, perRecordKey };
  }
  if (library === 'attr_encrypted') {
    // Encryption switched off or conditional: no ciphertext to expect (claim attr_encrypted.if-false).
    if (options.has('if') && flag('if') !== true) return undefined;
    if (options.has('unless') && flag('unless') !== false) return undefined;
    let ciphertext = `${literal('prefix') ?? 'encrypted_'}${name}${literal('suffix') ?? ''}`;
    if ((options.has('prefix') && literal('prefix') === undefined) || (options.has('suffix') && literal('suffix') === undefined)) return undefined;
    if (options.has('attribute')) {
      const custom = literal('attribute');
      if (custom === undefined || count > 1) return undefined;
      ciphertext = custom;
    }
    return { name, library, attachment: false, ciphertext, kind: 'string', perRecordKey: false };
  }
  // Active Record encryption stores the ciphertext in the attribute's own column.
  return { name, library, attachment: false, ciphertext: name, kind: 'string', perRecordKey: false };
}

function rangeOf(node: SyntaxNode, lines: LineIndex): Range {
  return { start: lines.positionAt(node.startIndex), end: lines.positionAt(node.endIndex) };
}

/** `Admin::UserProfile` → `admin/user_profile`, as Rails names its files. */
export function underscorePath(model: string): string {
  return model
    .split('::')
    .map((part) =>
      part
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
        .replace(/([a-z\d])([A-Z])/g, '$1_$2')
        .toLowerCase(),
    )
    .join('/');
}
