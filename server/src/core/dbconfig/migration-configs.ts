// Where migration tooling takes its connection from, in the JavaScript and TypeScript files those tools
// read: drizzle-kit's `dbCredentials` (drizzle.config.*), a knexfile's `connection` per environment,
// a TypeORM `new DataSource({ migrations, … })`, and Prisma 7's `prisma.config.*` `datasource.url`.
// Each connection is described by where its parts come from (a literal, `process.env.NAME`, prisma's
// `env("NAME")`), never by a value.

import { basename } from 'node:path';
import type { SyntaxNode } from '../parser';
import { field, namedChildren } from '../tree';
import { stringValue, unwrapTs } from '../typescript/env-conditions';
import type { Provenance } from '../dbhandles/provenance';
import type { ConnectionParts } from '../dbhandles/pooler';
import type { ConnectionSource } from '../dbhandles/types';
import { findBinding } from '../dbhandles/modules';
import { forEachDescendant, objectProperty } from '../dbhandles/syntax';

export type MigrationTool = 'drizzle-kit' | 'prisma' | 'knex' | 'typeorm' | 'rails';

export interface MigrationConnection {
  tool: MigrationTool;
  parts: ConnectionParts;
  /** Where each part is written, to report on the one that shows the pooler. */
  anchors: Partial<Record<keyof ConnectionParts, { start: number; end: number; written: string }>>;
  /** The knexfile or database.yml environment, when the connection belongs to one. */
  env?: string;
}

const JS = '\\.(?:[cm]?[jt]s)$';
const DRIZZLE = new RegExp(`^drizzle[\\w.-]*\\.config${JS}`);
const KNEXFILE = new RegExp(`^knexfile${JS}`, 'i');
const PRISMA_CONFIG = new RegExp(`^prisma\\.config${JS}`);
/** TypeORM data sources are looked for in files named for them (data-source.ts, ormconfig.ts, typeorm.config.ts). */
const TYPEORM = new RegExp(`(?:data-?source|ormconfig|typeorm)[\\w.-]*${JS}`, 'i');

export function isMigrationConfigPath(path: string): boolean {
  const base = basename(path.split('\\').join('/'));
  return DRIZZLE.test(base) || KNEXFILE.test(base) || PRISMA_CONFIG.test(base) || TYPEORM.test(base);
}

/** The migration connections a JavaScript or TypeScript file declares. */
export function migrationConnections(path: string, root: SyntaxNode, prov: Provenance): MigrationConnection[] {
  const base = basename(path.split('\\').join('/'));
  if (DRIZZLE.test(base)) return drizzle(root, prov);
  if (KNEXFILE.test(base)) return knex(root, prov);
  if (PRISMA_CONFIG.test(base)) return prismaConfig(root, prov);
  if (TYPEORM.test(base)) return typeorm(root, prov);
  return [];
}

function pairsNamed(root: SyntaxNode, key: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  forEachDescendant(root, (n) => {
    if (n.type === 'pair' && keyOf(n) === key) out.push(n);
  });
  return out;
}

function keyOf(pair: SyntaxNode): string | undefined {
  const k = field(pair, 'key');
  if (!k) return undefined;
  if (k.type === 'property_identifier') return k.text;
  return k.type === 'string' ? stringValue(k) : undefined;
}

/** The `key: value` pair (or shorthand property) of an object literal, to report on. */
function propertyNode(obj: SyntaxNode, key: string): SyntaxNode | undefined {
  return namedChildren(obj).find((c) => (c.type === 'pair' && keyOf(c) === key) || (c.type === 'shorthand_property_identifier' && c.text === key));
}

function objectValue(pair: SyntaxNode): SyntaxNode | undefined {
  const v = field(pair, 'value');
  const u = v ? unwrapTs(v) : undefined;
  return u?.type === 'object' ? u : undefined;
}

/** A connection part: prisma's `env("NAME")`, else what provenance makes of it (literal, process.env, const). */
function source(node: SyntaxNode | undefined, prov: Provenance, depth = 0): ConnectionSource | undefined {
  if (!node || depth > 3) return undefined;
  const n = unwrapTs(node);
  if (n.type === 'number') return { literal: n.text };
  // `{ url }`: the const it names.
  if (n.type === 'shorthand_property_identifier') {
    const b = findBinding(prov.module, n);
    return b?.kind === 'variable' ? source(field(b.declarator, 'value'), prov, depth + 1) : undefined;
  }
  if (n.type === 'call_expression' && field(n, 'function')?.text === 'env') {
    const arg = namedChildren(field(n, 'arguments')!)[0];
    const name = arg ? stringValue(arg) : undefined;
    return name ? { envVar: name } : undefined;
  }
  return prov.connection(n);
}

type Found = Pick<MigrationConnection, 'parts' | 'anchors'>;

function anchor(node: SyntaxNode, written: string): { start: number; end: number; written: string } {
  return { start: node.startIndex, end: node.endIndex, written };
}

/** `{ url }` / `{ connectionString }`, else `{ host, port }`, of an object literal. */
function partsOf(obj: SyntaxNode, prov: Provenance, prefix: string): Found | undefined {
  for (const key of ['url', 'connectionString', 'uri']) {
    const v = objectProperty(obj, key);
    const s = source(v, prov);
    if (v && s) return { parts: { url: s }, anchors: { url: anchor(propertyNode(obj, key) ?? v, `${prefix}.${key}`) } };
  }
  const found: Found = { parts: {}, anchors: {} };
  for (const key of ['host', 'port'] as const) {
    const v = objectProperty(obj, key);
    const s = source(v, prov);
    if (!v || !s) continue;
    found.parts[key] = s;
    found.anchors[key] = anchor(propertyNode(obj, key) ?? v, `${prefix}.${key}`);
  }
  return found.parts.host || found.parts.port ? found : undefined;
}

function connection(tool: MigrationTool, found: Found, env?: string): MigrationConnection {
  return { tool, ...found, ...(env ? { env } : {}) };
}

function drizzle(root: SyntaxNode, prov: Provenance): MigrationConnection[] {
  const out: MigrationConnection[] = [];
  for (const pair of pairsNamed(root, 'dbCredentials')) {
    const obj = objectValue(pair);
    const found = obj && partsOf(obj, prov, 'dbCredentials');
    if (found) out.push(connection('drizzle-kit', found));
  }
  return out;
}

const PG_CLIENTS = new Set(['pg', 'postgres', 'postgresql', 'pg-native']);

function knex(root: SyntaxNode, prov: Provenance): MigrationConnection[] {
  const out: MigrationConnection[] = [];
  for (const pair of pairsNamed(root, 'connection')) {
    const config = pair.parent;
    if (config?.type !== 'object') continue;
    const client = objectProperty(config, 'client');
    const clientName = client ? stringValue(unwrapTs(client)) : undefined;
    // Only Postgres configs: the pooler signals are Postgres poolers'.
    if (!clientName || !PG_CLIENTS.has(clientName)) continue;
    const envPair = config.parent?.type === 'pair' ? config.parent : undefined;
    const env = envPair ? keyOf(envPair) : undefined;
    const value = field(pair, 'value');
    const obj = objectValue(pair);
    const found = obj ? partsOf(obj, prov, 'connection') : sourceFound(value, pair, prov, 'connection');
    if (found) out.push(connection('knex', found, env));
  }
  return out;
}

function sourceFound(value: SyntaxNode | undefined, at: SyntaxNode, prov: Provenance, written: string): Found | undefined {
  const s = source(value, prov);
  return s ? { parts: { url: s }, anchors: { url: anchor(at, written) } } : undefined;
}

function prismaConfig(root: SyntaxNode, prov: Provenance): MigrationConnection[] {
  const out: MigrationConnection[] = [];
  for (const pair of pairsNamed(root, 'datasource')) {
    const obj = objectValue(pair);
    // A directUrl (Prisma 6's config) is what Migrate uses: nothing to judge here.
    if (!obj || objectProperty(obj, 'directUrl')) continue;
    const url = objectProperty(obj, 'url');
    const found = url ? sourceFound(url, propertyNode(obj, 'url') ?? url, prov, 'datasource.url') : undefined;
    if (found) out.push(connection('prisma', found));
  }
  return out;
}

function typeorm(root: SyntaxNode, prov: Provenance): MigrationConnection[] {
  const out: MigrationConnection[] = [];
  forEachDescendant(root, (n) => {
    if (n.type !== 'new_expression' || field(n, 'constructor')?.text !== 'DataSource') return;
    const args = field(n, 'arguments');
    const first = args ? namedChildren(args)[0] : undefined;
    const obj = first ? unwrapTs(first) : undefined;
    if (obj?.type !== 'object' || !objectProperty(obj, 'migrations')) return;
    const type = objectProperty(obj, 'type');
    const typeName = type ? stringValue(unwrapTs(type)) : undefined;
    if (typeName !== 'postgres' && typeName !== 'cockroachdb') return;
    const found = partsOf(obj, prov, 'DataSource');
    if (found) out.push(connection('typeorm', found));
  });
  return out;
}
