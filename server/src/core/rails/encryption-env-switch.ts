// An attribute whose encryption is switched off by environment (`attr_encrypted :ssn, key: …,
// unless: Rails.env.test?`): attr_encrypted stores the plaintext where the condition turns it off
// (claim attr_encrypted.if-false), so CI never encrypts with the production key and never reads it.

import { not } from '../envfork/model';
import type { SyntaxNode } from '../parser';
import { EnvNames, envCondition } from '../ruby/env-conditions';
import { callParts, field, literalString, namedChildren } from '../ruby/syntax';

export interface EncryptionSwitch {
  /** The declaration's call node and its first symbol (`:ssn`). */
  call: SyntaxNode;
  attribute: string;
  /** The option as written (`unless: Rails.env.test?`), for the message. */
  option: SyntaxNode;
}

const DECLARATIONS = new Set(['attr_encrypted', 'attr_encryptor']);

/** The switch a declaration carries when it turns encryption off in test and on in production; undefined otherwise. */
export function encryptionEnvSwitch(call: SyntaxNode): EncryptionSwitch | undefined {
  const { receiver, method, args } = callParts(call);
  if (receiver || !method || !DECLARATIONS.has(method)) return undefined;
  const first = args[0];
  const attribute = first?.type === 'simple_symbol' ? first.text.slice(1) : undefined;
  if (!attribute) return undefined;
  for (const pair of pairsOf(args)) {
    const key = literalString(field(pair, 'key'))?.replace(/^:/, '');
    if (key !== 'if' && key !== 'unless') continue;
    const value = field(pair, 'value');
    if (!value) continue;
    // The same reading of a condition as the env-fork scans (`Rails.env.test?`, `!Rails.env.production?`,
    // `Rails.env != "test"`, `Rails.env.local?`); a method or a proc is not decided by the environment.
    const holds = envCondition(value, new EnvNames());
    const on = key === 'if' ? holds : not(holds);
    if (on('test') === false && on('production') === true) return { call, attribute, option: pair };
  }
  return undefined;
}

function pairsOf(args: readonly SyntaxNode[]): SyntaxNode[] {
  return args.flatMap((a) => (a.type === 'pair' ? [a] : a.type === 'hash' ? namedChildren(a).filter((c) => c.type === 'pair') : []));
}
