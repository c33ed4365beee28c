// Values written in Ruby config (database.yml ERB, config/puma.rb, sidekiq.yml ERB) in the few shapes
// configuration uses: a whole number, an ENV read with a default (`ENV.fetch("RAILS_MAX_THREADS") { 5 }`,
// `ENV.fetch("X", 5)`, `ENV["X"] || 5`, wrapped in `Integer(…)` or `.to_i`), or an ENV read alone.
// Anything else is unknown. Never evaluates code.

import type { ConnectionSource } from '../dbhandles/types';

/** A whole number, or an environment variable with its default. */
export type IntExpr = { kind: 'int'; value: number } | { kind: 'env'; name: string; fallback?: number };

/** The code of a text that is exactly one `<%= … %>` tag, or undefined. */
export function erbCode(text: string): string | undefined {
  const m = /^\s*<%=?-?\s*([\s\S]*?)\s*-?%>\s*$/.exec(text);
  return m && !m[1]!.includes('%>') ? m[1] : undefined;
}

const ENV_NAME = String.raw`ENV(?:\[\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]|\.fetch\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\3)`;

/** The environment variable a Ruby expression reads first, or undefined. */
export function envRead(code: string): string | undefined {
  const m = new RegExp(ENV_NAME).exec(code);
  return m ? (m[2] ?? m[4]) : undefined;
}

/** A connection string in YAML: an ERB ENV read (by name), a literal without ERB, or unknown. */
export function yamlConnectionSource(text: string | undefined): ConnectionSource | undefined {
  if (text === undefined || text === '') return undefined;
  if (!text.includes('<%')) return { literal: text };
  const code = erbCode(text);
  const name = code ? envRead(code) : undefined;
  return name ? { envVar: name } : undefined;
}

/** A whole-number Ruby expression in one of the shapes above. */
export function intExpr(code: string): IntExpr | undefined {
  let c = code.trim();
  for (let i = 0; i < 4; i++) {
    const before = c;
    c = c.replace(/\.to_i$/, '').trim();
    const wrapped = /^(?:Integer)?\(\s*([\s\S]*)\s*\)$/.exec(c);
    if (wrapped) c = wrapped[1]!.trim();
    if (c === before) break;
  }
  const num = /^["']?(\d{1,6})["']?$/.exec(c);
  if (num) return { kind: 'int', value: Number(num[1]) };
  const env = new RegExp(`^${ENV_NAME}`).exec(c);
  if (!env) return undefined;
  const name = (env[2] ?? env[4])!;
  let rest = c.slice(env[0].length).trim();
  if (env[4] !== undefined) {
    // ENV.fetch("X", 5) or ENV.fetch("X") { 5 }
    const inline = /^,\s*["']?(\d{1,6})["']?\s*\)(?:\.to_i)?$/.exec(rest);
    if (inline) return { kind: 'env', name, fallback: Number(inline[1]) };
    const block = /^\)\s*\{\s*["']?(\d{1,6})["']?\s*\}(?:\.to_i)?$/.exec(rest);
    if (block) return { kind: 'env', name, fallback: Number(block[1]) };
    return /^\)(?:\.to_i)?$/.test(rest) ? { kind: 'env', name } : undefined;
  }
  rest = rest.replace(/^\.to_i\b/, '').trim();
  if (rest === '') return { kind: 'env', name };
  const or = /^(?:\|\||or)\s*["']?(\d{1,6})["']?\s*\)?(?:\.to_i)?$/.exec(rest);
  return or ? { kind: 'env', name, fallback: Number(or[1]) } : undefined;
}

/** A YAML scalar's number: a literal, or an ERB tag holding an `intExpr`. */
export function yamlIntExpr(text: string | undefined): IntExpr | undefined {
  if (text === undefined) return undefined;
  if (/^\d{1,6}$/.test(text.trim())) return { kind: 'int', value: Number(text.trim()) };
  const code = erbCode(text);
  return code ? intExpr(code) : undefined;
}
