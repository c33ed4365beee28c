// Type annotations as evidence: a value declared `PoolClient`, `QueryRunner` or a transaction type
// is pinned; one declared `Pool`, `NodePgDatabase`, `PrismaClient` or `DataSource` runs each
// statement on the pool. Types are read as written (never checked): a type imported from a library
// is asked of its model, a local alias or a class that `extends` a library class is followed.

import type { SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';
import { unwrapTs } from '../typescript/env-conditions';
import type { Workspace } from '../types';
import { modelsFor } from './libraries';
import { findTypeDeclaration, resolveImportPath, withModule, type ModuleInfo } from './modules';
import type { Handle } from './types';

const MAX_DEPTH = 6;

/** The handle a type annotation (or a type) stands for, when a library model knows the type. */
export function handleOfType(ws: Workspace, mod: ModuleInfo, type: SyntaxNode | undefined, depth = 0): Handle | undefined {
  if (!type || depth > MAX_DEPTH) return undefined;
  switch (type.type) {
    case 'type_annotation':
    case 'parenthesized_type':
      return handleOfType(ws, mod, namedChildren(type)[0], depth + 1);
    case 'union_type': {
      // `Pool | undefined`, `PoolClient | null`: the one real member.
      const real = namedChildren(type).filter((t) => !/^(undefined|null)$/.test(t.text));
      return real.length === 1 ? handleOfType(ws, mod, real[0], depth + 1) : undefined;
    }
    case 'generic_type':
      return handleOfType(ws, mod, field(type, 'name'), depth + 1);
    case 'type_identifier':
    case 'identifier':
      return named(ws, mod, type.text, undefined, depth);
    case 'nested_type_identifier':
    case 'member_expression': {
      // `pg.Pool`, `Knex.Transaction`, `Prisma.TransactionClient`.
      const left = field(type, type.type === 'member_expression' ? 'object' : 'module');
      const right = field(type, type.type === 'member_expression' ? 'property' : 'name');
      if (left?.type !== 'identifier' || !right) return undefined;
      return named(ws, mod, left.text, right.text, depth);
    }
    default:
      return undefined;
  }
}

/** The type of a parameter node (`required_parameter`, `optional_parameter`), if annotated. */
export function parameterType(param: SyntaxNode | undefined): SyntaxNode | undefined {
  return param ? field(param, 'type') : undefined;
}

/** What a class's instances are through `extends` (`class PrismaService extends PrismaClient`). */
export function handleOfClass(ws: Workspace, mod: ModuleInfo, cls: SyntaxNode, depth = 0): Handle | undefined {
  const heritage = namedChildren(cls).find((c) => c.type === 'class_heritage');
  const ext = heritage ? namedChildren(heritage).find((c) => c.type === 'extends_clause') : undefined;
  const value = ext ? field(ext, 'value') : undefined;
  if (!value) return undefined;
  const v = unwrapTs(value);
  return handleOfType(ws, mod, v.type === 'call_expression' ? field(v, 'function') : v, depth + 1);
}

function named(ws: Workspace, mod: ModuleInfo, name: string, member: string | undefined, depth: number): Handle | undefined {
  const imp = mod.imports.get(name);
  if (imp) {
    const qualified = imp.imported === 'default' || imp.imported === '*' ? (member ?? imp.imported) : member ? `${imp.imported}.${member}` : imp.imported;
    for (const model of modelsFor(imp.source)) {
      const h = model.typed?.(qualified);
      if (h) return { ...h, what: `${h.what} (by its declared type ${qualified})`, byType: true };
    }
    if (member) return undefined;
    // A type exported by a workspace module: `export type Database = NodePgDatabase<typeof schema>`.
    const path = resolveImportPath(ws, mod.path, imp.source);
    if (!path || imp.imported === 'default' || imp.imported === '*') return undefined;
    return withModule(ws, path, (other) => declared(ws, other, imp.imported, depth + 1));
  }
  return member ? undefined : declared(ws, mod, name, depth);
}

function declared(ws: Workspace, mod: ModuleInfo, name: string, depth: number): Handle | undefined {
  const decl = findTypeDeclaration(mod, name);
  if (!decl) {
    // `export type { Database } from './types'` and re-exports are not followed: stay silent.
    return undefined;
  }
  if (decl.type === 'type_alias_declaration') return handleOfType(ws, mod, field(decl, 'value'), depth + 1);
  if (decl.type === 'class_declaration' || decl.type === 'abstract_class_declaration') return handleOfClass(ws, mod, decl, depth + 1);
  return undefined;
}
