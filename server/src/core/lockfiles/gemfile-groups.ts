// What a Gemfile says about each gem, for lockfile-major-drift: its requirements, its groups
// (`group :development, :test do … end` blocks and `group:`/`groups:` options), and whether the
// declaration is at the top level, where the pin fix writes. Parsed with tree-sitter-ruby; nothing
// is evaluated, so a gem declared under an `if` counts with the groups around it.

import { parseSync, type SyntaxNode } from '../parser';
import { callParts, literalList, literalString } from '../ruby/syntax';
import { namedChildren } from '../tree';

export interface GemfileGem {
  name: string;
  /** Version requirements given as literal strings: `~> 8.0.1`, `>= 1.1`. */
  requirements: string[];
  /** Groups from enclosing blocks and options; empty means the default group. */
  groups: string[];
  /** Not inside any block or conditional. */
  topLevel: boolean;
  /** Indices of the whole `gem …` call and of the end of the name's string literal. */
  startIndex: number;
  endIndex: number;
  nameEndIndex: number;
  /** Other arguments than the name (requirements or options): the pin fix does not touch such a line. */
  hasOtherArguments: boolean;
  quote: '"' | "'";
}

export interface GemfileModel {
  /** Every declaration, by gem name, in file order. */
  gems: Map<string, GemfileGem[]>;
  /** The last top-level `gem` call, after which the pin fix adds its line. */
  lastTopLevel?: GemfileGem;
  /** The quote most `gem` lines use. */
  quote: '"' | "'";
  /** A `gemspec` line: Bundler adds the gemspec's development dependencies to DEPENDENCIES. */
  hasGemspec: boolean;
}

/** Gems only these groups hold are not loaded in production (`Bundler.require(*Rails.groups)` in development/test). */
export const NON_RUNTIME_GROUPS: ReadonlySet<string> = new Set(['development', 'test']);

/** Undefined when the Ruby grammar is not loaded or the parse fails: the caller then knows no groups. */
export function readGemfile(text: string): GemfileModel | undefined {
  const tree = parseSync('ruby', text);
  if (!tree) return undefined;
  try {
    const gems = new Map<string, GemfileGem[]>();
    let doubles = 0;
    let singles = 0;
    let lastTopLevel: GemfileGem | undefined;
    let hasGemspec = false;
    const visit = (node: SyntaxNode, groups: readonly string[], topLevel: boolean, depth: number): void => {
      if (depth > 64) return;
      for (const child of namedChildren(node)) {
        if (child.type === 'call') {
          const { receiver, method, args, block } = callParts(child);
          if (!receiver && method === 'gem') {
            const gem = gemCall(child, args, groups, topLevel);
            if (gem) {
              gems.set(gem.name, [...(gems.get(gem.name) ?? []), gem]);
              if (gem.quote === '"') doubles++;
              else singles++;
              if (topLevel) lastTopLevel = gem;
            }
            continue;
          }
          if (!receiver && method === 'gemspec') hasGemspec = true;
          if (!receiver && method === 'group' && block) {
            const named = args.flatMap((a) => literalString(a) ?? literalList(a) ?? []);
            visit(block, [...groups, ...named], false, depth + 1);
            continue;
          }
        }
        if (child.type === 'identifier' && child.text === 'gemspec') hasGemspec = true;
        visit(child, groups, false, depth + 1);
      }
    };
    visit(tree.rootNode, [], true, 0);
    return { gems, ...(lastTopLevel ? { lastTopLevel } : {}), quote: singles > doubles ? "'" : '"', hasGemspec };
  } finally {
    tree.delete();
  }
}

function gemCall(node: SyntaxNode, args: SyntaxNode[], groups: readonly string[], topLevel: boolean): GemfileGem | undefined {
  const first = args[0];
  const name = first?.type === 'string' ? literalString(first) : undefined;
  if (!first || !name) return undefined;
  const requirements: string[] = [];
  const own: string[] = [];
  for (const a of args.slice(1)) {
    if (a.type === 'string') {
      const r = literalString(a);
      if (r !== undefined) requirements.push(r);
    } else if (a.type === 'pair') {
      const key = literalString(a.childForFieldName('key') ?? undefined);
      const value = a.childForFieldName('value') ?? undefined;
      if (key === 'group' || key === 'groups') own.push(...(literalString(value) !== undefined ? [literalString(value)!] : (literalList(value) ?? [])));
    }
  }
  return {
    name,
    requirements,
    groups: [...groups, ...own],
    topLevel,
    startIndex: node.startIndex,
    endIndex: node.endIndex,
    nameEndIndex: first.endIndex,
    hasOtherArguments: args.length > 1,
    quote: first.text.startsWith("'") ? "'" : '"',
  };
}

/** Whether a gem's declarations put it only in development/test groups (any default-group declaration loads it everywhere). */
export function onlyNonRuntime(decls: readonly GemfileGem[]): boolean {
  return decls.length > 0 && decls.every((d) => d.groups.length > 0 && d.groups.every((g) => NON_RUNTIME_GROUPS.has(g)));
}
