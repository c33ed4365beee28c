// The connection budget of a deployment, as a project-level model built from the workspace (like the
// Rails app model): a database's max_connections and the processes that share it, each with its
// connections per replica and its maximum replicas, every number with the file and line it comes from.
// Three kinds of stack are read: a docker-compose file (a postgres service started with
// `-c max_connections=N` and the app services beside it), Kubernetes manifests in one folder (a
// postgres container with max_connections, Deployments, HorizontalPodAutoscalers), and a Terraform
// module (an RDS parameter group, ECS services and their autoscaling targets). A process whose kind,
// pool size or replica count is not visible makes the whole budget unknown: no finding.

import { basename, dirname, join, relative } from 'node:path';
import type { Workspace } from '../types';
import { LineIndex } from '../text';
import { appRootFrom, dockerfile, nodePool, processKind, pumaConfig, railsPool, sidekiqConcurrency, type EnvView, type Num, type Place, type ProcessKind } from './budget-inputs';
import { hclBlocks, hclNumber, hclString, type HclAttribute, type HclBlock } from './hcl';
import { isMap, isScalar, itemsOf, keysOf, parseYaml, scalarText, sourceOf, valueOf, type YamlFile } from './yaml';

export interface BudgetTerm {
  /** `web`, `worker`: the service's name as the deployment writes it. */
  name: string;
  kind: ProcessKind;
  perReplica: Num;
  replicas: Num;
}

export interface Budget {
  /** Where max_connections is set: the finding's anchor. */
  anchor: Place;
  maxConnections: number;
  reserved: Num;
  terms: BudgetTerm[];
}

/** The budget whose max_connections is set in this file, when every input is visible. */
export function budgetsFor(ws: Workspace, path: string, text: string): Budget[] {
  if (!text.includes('max_connections')) return [];
  const p = path.split('\\').join('/');
  try {
    if (p.endsWith('.tf')) return terraformBudgets(ws, path);
    if (/(^|\/)(?:docker-)?compose[\w.-]*\.ya?ml$/.test(p)) return composeBudgets(ws, path, text);
    if (/\.ya?ml$/.test(p)) return kubernetesBudgets(ws, path, text);
  } catch {
    return [];
  }
  return [];
}

const INFRA_IMAGE = /^(?:[\w.-]+\/)*(?:redis|valkey|memcached|nginx|traefik|caddy|haproxy|envoy|mailhog|mailpit|minio|localstack|elasticsearch|opensearch|rabbitmq|kafka|zookeeper|adminer|pgadmin4?|pgbouncer|selenium|standalone-chrome|chrome|browserless|postgres|postgis|mysql|mariadb|mongo|clickhouse|grafana|prometheus|jaeger|otel|datadog|fluent-bit|fluentd|cloud-sql-proxy|cloudsql-proxy|busybox|alpine)(?:[:@].*)?$/i;

function place(ws: Workspace, path: string, start: number, end: number, what: string): Place {
  const lines = new LineIndex(ws.readFile(path) ?? '');
  return { path, range: { start: lines.positionAt(start), end: lines.positionAt(end) }, what };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** `-c max_connections=N` / `max_connections = N` in a text; offsets of the number's setting. */
function settingIn(text: string, name: string): { value: number; start: number; end: number } | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*['"]?(\\d{1,6})\\b`).exec(text);
  return m ? { value: Number(m[1]), start: m.index, end: m.index + m[0].length } : undefined;
}

function reservedFrom(settings: (name: string) => { value: number; place: Place } | undefined): Num {
  const su = settings('superuser_reserved_connections');
  const rc = settings('reserved_connections');
  const value = (su?.value ?? 3) + (rc?.value ?? 0);
  const why = [su ? `superuser_reserved_connections ${su.value}` : 'superuser_reserved_connections, 3 by default', ...(rc ? [`reserved_connections ${rc.value}`] : [])].join(' + ');
  return { value, why, places: [su?.place, rc?.place].filter((x): x is Place => !!x) };
}

/** Connections one replica of a process can open. */
function perReplica(ws: Workspace, appRoot: string, kind: ProcessKind, command: string, commandPlace: Place, env: EnvView): Num | undefined {
  if (kind === 'node') return nodePool(ws, appRoot, env);
  const pool = railsPool(ws, appRoot, env);
  if (!pool) return undefined;
  if (kind === 'sidekiq') {
    const c = sidekiqConcurrency(ws, appRoot, command, env, commandPlace);
    if (!c || c.value >= pool.value) return { ...pool, why: c ? `${pool.why}, below concurrency ${c.value}` : pool.why };
    return { value: c.value, why: `${c.why} (pool ${pool.value})`, places: [...c.places, ...pool.places] };
  }
  const puma = pumaConfig(ws, appRoot, env);
  if (!puma?.workers) return undefined;
  const threads = puma.threads && puma.threads.value < pool.value ? puma.threads : undefined;
  const each = threads ?? pool;
  return {
    value: puma.workers.value * each.value,
    why: `${puma.workers.why} × ${each.why}`,
    places: [...puma.workers.places, ...each.places, ...(threads ? pool.places : [])],
  };
}

/** A deployment's env over the image's Dockerfile ENV (the deployment wins). */
function withDockerEnv(ws: Workspace, appRoot: string, env: EnvView): EnvView {
  const docker = dockerfile(ws, appRoot);
  if (!docker || docker.env.size === 0) return env;
  const values = new Map(docker.env);
  for (const [k, v] of env.values) values.set(k, v);
  return { ...env, values };
}

// docker-compose ---------------------------------------------------------------------------------

function composeBudgets(ws: Workspace, path: string, text: string): Budget[] {
  const file = parseYaml(text);
  const doc = file.docs[0];
  if (!doc) return [];
  const services = valueOf(doc, doc.contents, 'services');
  const names = keysOf(services);
  let db: { name: string; command: string; start: number } | undefined;
  for (const name of names) {
    const svc = valueOf(doc, services, name);
    const cmd = valueOf(doc, svc, 'command');
    const written = commandText(file, cmd);
    if (written && settingIn(written.text, 'max_connections')) {
      if (db) return []; // two databases: which one the apps use is unknown
      db = { name, command: written.text, start: written.start };
    }
  }
  if (!db) return [];
  const max = settingIn(db.command, 'max_connections')!;
  const setting = (n: string) => {
    const s = settingIn(db!.command, n);
    return s ? { value: s.value, place: place(ws, path, db!.start + s.start, db!.start + s.end, `${n} in ${basename(path)}`) } : undefined;
  };
  const anchor = place(ws, path, db.start + max.start, db.start + max.end, `max_connections in ${basename(path)}`);
  const images = new Map<string, string>();
  for (const name of names) {
    const svc = valueOf(doc, services, name);
    const image = scalarText(file, valueOf(doc, svc, 'image'));
    const ctx = buildContext(file, doc, svc);
    if (image && ctx) images.set(image, ctx);
  }
  const terms: BudgetTerm[] = [];
  for (const name of names) {
    if (name === db.name) continue;
    const svc = valueOf(doc, services, name);
    const image = scalarText(file, valueOf(doc, svc, 'image'));
    const ctx = buildContext(file, doc, svc) ?? (image ? images.get(image) : undefined);
    if (!ctx) {
      if (image && INFRA_IMAGE.test(image)) continue;
      return [];
    }
    const appRoot = appRootFrom(ws, join(dirname(path), ctx));
    if (!appRoot) return [];
    const cmdNode = valueOf(doc, svc, 'command');
    const written = commandText(file, cmdNode);
    const command = written?.text ?? dockerfile(ws, join(dirname(path), ctx))?.command ?? '';
    const kind = processKind(command);
    if (!kind) return [];
    const cmdPlace = written ? place(ws, path, written.start, written.start + written.text.length, `command of ${name}`) : place(ws, path, rangeOf(svc)?.[0] ?? 0, rangeOf(svc)?.[0] ?? 0, name);
    const env = withDockerEnv(ws, appRoot, composeEnv(ws, path, file, doc, svc));
    const per = perReplica(ws, appRoot, kind, command, cmdPlace, env);
    const replicas = composeReplicas(ws, path, file, doc, svc, name);
    if (!per || !replicas) return [];
    terms.push({ name, kind, perReplica: per, replicas });
  }
  if (terms.length === 0) return [];
  return [{ anchor, maxConnections: max.value, reserved: reservedFrom(setting), terms }];
}

function commandText(file: YamlFile, node: unknown): { text: string; start: number } | undefined {
  const r = rangeOf(node);
  if (!r) return undefined;
  if (isScalar(node)) return { text: scalarText(file, node) ?? '', start: r[0] + (sourceOf(file, node).length - sourceOf(file, node).trimStart().length) };
  const items = itemsOf(node).map((i) => scalarText(file, i) ?? '');
  return items.length ? { text: sourceOf(file, node as never), start: r[0] } : undefined;
}

function buildContext(file: YamlFile, doc: Parameters<typeof valueOf>[0], svc: unknown): string | undefined {
  const build = valueOf(doc, svc, 'build');
  if (isScalar(build)) return scalarText(file, build);
  if (isMap(build)) return scalarText(file, valueOf(doc, build, 'context')) ?? '.';
  return undefined;
}

function composeEnv(ws: Workspace, path: string, file: YamlFile, doc: Parameters<typeof valueOf>[0], svc: unknown): EnvView {
  const env: EnvView = { values: new Map(), opaque: valueOf(doc, svc, 'env_file') !== undefined, opaqueNames: new Set() };
  const node = valueOf(doc, svc, 'environment');
  const add = (name: string, value: string | undefined, r: [number, number] | undefined) => {
    // ${VAR} is interpolated from the shell or .env: not a value this file shows.
    if (value === undefined || value.includes('${') || value.includes('$')) env.opaqueNames.add(name);
    else env.values.set(name, { value, place: place(ws, path, r?.[0] ?? 0, r?.[1] ?? 0, `${name} in ${basename(path)}`) });
  };
  if (isMap(node)) {
    for (const item of node.items) if (isScalar(item.key)) add(String(item.key.value), scalarText(file, item.value), rangeOf(item.value) ?? rangeOf(item.key));
  } else {
    for (const item of itemsOf(node)) {
      const t = scalarText(file, item);
      const m = t ? /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(t) : undefined;
      if (m) add(m[1]!, m[2], rangeOf(item));
    }
  }
  return env;
}

function composeReplicas(ws: Workspace, path: string, file: YamlFile, doc: Parameters<typeof valueOf>[0], svc: unknown, name: string): Num | undefined {
  for (const [node, label] of [
    [valueOf(doc, valueOf(doc, svc, 'deploy'), 'replicas'), 'deploy.replicas'],
    [valueOf(doc, svc, 'scale'), 'scale'],
  ] as const) {
    if (node === undefined) continue;
    const t = scalarText(file, node);
    const r = rangeOf(node);
    if (!t || !/^\d{1,4}$/.test(t) || !r) return undefined;
    return { value: Number(t), why: `${label} ${t}`, places: [place(ws, path, r[0], r[1], `${label} of ${name}`)] };
  }
  return { value: 1, why: 'one container', places: [] };
}

// Kubernetes -------------------------------------------------------------------------------------

interface K8sObject {
  kind: string;
  name: string;
  file: YamlFile;
  doc: Parameters<typeof valueOf>[0];
  node: unknown;
  path: string;
}

function kubernetesBudgets(ws: Workspace, path: string, text: string): Budget[] {
  const own = parseYaml(text);
  if (!own.docs.some((d) => scalarText(own, valueOf(d, d.contents, 'kind')) !== undefined)) return [];
  const dir = dirname(path);
  const objects: K8sObject[] = [];
  for (const name of ws.listDir?.(dir) ?? []) {
    if (name.endsWith('/') || !/\.ya?ml$/.test(name)) continue;
    const p = join(dir, name);
    const file = parseYaml(ws.readFile(p) ?? '');
    for (const doc of file.docs) {
      const kind = scalarText(file, valueOf(doc, doc.contents, 'kind'));
      const objName = scalarText(file, valueOf(doc, valueOf(doc, doc.contents, 'metadata'), 'name'));
      if (kind && objName) objects.push({ kind, name: objName, file, doc, node: doc.contents, path: p });
    }
  }
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  let anchor: { obj: K8sObject; text: string; start: number } | undefined;
  for (const w of workloads) {
    for (const c of containersOf(w)) {
      for (const key of ['args', 'command']) {
        const node = valueOf(w.doc, c, key);
        const r = rangeOf(node);
        const t = node ? sourceOf(w.file, node as never) : '';
        if (r && settingIn(t, 'max_connections') && w.path === path) {
          if (anchor) return [];
          anchor = { obj: w, text: t, start: r[0] };
        }
      }
    }
  }
  if (!anchor) return [];
  const a = anchor;
  const max = settingIn(a.text, 'max_connections')!;
  const setting = (n: string) => {
    const s = settingIn(a.text, n);
    return s ? { value: s.value, place: place(ws, a.obj.path, a.start + s.start, a.start + s.end, `${n} in ${basename(a.obj.path)}`) } : undefined;
  };
  const appRoot = appRootFrom(ws, dir);
  const terms: BudgetTerm[] = [];
  for (const w of workloads) {
    if (w === a.obj) continue;
    const containers = containersOf(w).filter((c) => !INFRA_IMAGE.test(scalarText(w.file, valueOf(w.doc, c, 'image')) ?? ''));
    for (const c of containers) {
      if (!appRoot) return [];
      const cmd = ['command', 'args'].map((k) => valueOf(w.doc, c, k)).filter((n) => n !== undefined);
      const written = cmd.map((n) => sourceOf(w.file, n as never)).join(' ');
      const command = written || (dockerfile(ws, appRoot)?.command ?? '');
      const kind = processKind(command);
      if (!kind) return [];
      const r = rangeOf(cmd[0] ?? c) ?? [0, 0];
      const env = withDockerEnv(ws, appRoot, k8sEnv(ws, w, c));
      const per = perReplica(ws, appRoot, kind, command, place(ws, w.path, r[0], r[1], `command of ${w.name}`), env);
      const replicas = k8sReplicas(ws, w, objects);
      if (!per || !replicas) return [];
      terms.push({ name: w.name, kind, perReplica: per, replicas });
    }
  }
  if (terms.length === 0) return [];
  return [{ anchor: place(ws, a.obj.path, a.start + max.start, a.start + max.end, `max_connections in ${basename(a.obj.path)}`), maxConnections: max.value, reserved: reservedFrom(setting), terms }];
}

function containersOf(w: K8sObject): unknown[] {
  return itemsOf(valueOf(w.doc, valueOf(w.doc, valueOf(w.doc, valueOf(w.doc, w.node, 'spec'), 'template'), 'spec'), 'containers'));
}

function k8sEnv(ws: Workspace, w: K8sObject, container: unknown): EnvView {
  const env: EnvView = { values: new Map(), opaque: valueOf(w.doc, container, 'envFrom') !== undefined, opaqueNames: new Set() };
  for (const item of itemsOf(valueOf(w.doc, container, 'env'))) {
    const name = scalarText(w.file, valueOf(w.doc, item, 'name'));
    if (!name) continue;
    const v = valueOf(w.doc, item, 'value');
    const value = scalarText(w.file, v);
    const r = rangeOf(v);
    if (value === undefined || !r || value.includes('$(')) env.opaqueNames.add(name);
    else env.values.set(name, { value, place: place(ws, w.path, r[0], r[1], `${name} in ${basename(w.path)}`) });
  }
  return env;
}

function k8sReplicas(ws: Workspace, w: K8sObject, objects: K8sObject[]): Num | undefined {
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && scalarText(o.file, valueOf(o.doc, valueOf(o.doc, valueOf(o.doc, o.node, 'spec'), 'scaleTargetRef'), 'name')) === w.name);
  if (hpas.length > 1) return undefined;
  const hpa = hpas[0];
  if (hpa) {
    const node = valueOf(hpa.doc, valueOf(hpa.doc, hpa.node, 'spec'), 'maxReplicas');
    const t = scalarText(hpa.file, node);
    const r = rangeOf(node);
    return t && /^\d{1,4}$/.test(t) && r ? { value: Number(t), why: `maxReplicas ${t}`, places: [place(ws, hpa.path, r[0], r[1], `maxReplicas of ${hpa.name}`)] } : undefined;
  }
  const node = valueOf(w.doc, valueOf(w.doc, w.node, 'spec'), 'replicas');
  if (node === undefined) return { value: 1, why: 'replicas 1 by default', places: [] };
  const t = scalarText(w.file, node);
  const r = rangeOf(node);
  return t && /^\d{1,4}$/.test(t) && r ? { value: Number(t), why: `replicas ${t}`, places: [place(ws, w.path, r[0], r[1], `replicas of ${w.name}`)] } : undefined;
}

// Terraform --------------------------------------------------------------------------------------

interface TfBlock {
  block: HclBlock;
  path: string;
}

function terraformBudgets(ws: Workspace, path: string): Budget[] {
  const dir = dirname(path);
  const blocks: TfBlock[] = [];
  const tfvars: { path: string; text: string }[] = [];
  for (const name of ws.listDir?.(dir) ?? []) {
    if (name.endsWith('/')) continue;
    const p = join(dir, name);
    if (name.endsWith('.tf')) for (const block of hclBlocks(ws.readFile(p) ?? '')) blocks.push({ block, path: p });
    else if (name.endsWith('.tfvars')) tfvars.push({ path: p, text: ws.readFile(p) ?? '' });
  }
  const groups = blocks.filter((b) => b.block.type === 'resource' && /^aws_(?:rds_cluster_|db_)parameter_group$/.test(b.block.labels[0] ?? ''));
  const params = groups.flatMap((g) => g.block.blocks.filter((p) => p.type === 'parameter').map((p) => ({ g, p })));
  const maxParams = params.filter(({ p }) => hclString(p.attributes.get('name')?.raw ?? '') === 'max_connections');
  if (maxParams.length !== 1 || maxParams[0]!.g.path !== path) return [];
  const vars = new Variables(ws, blocks, tfvars);
  const { g, p } = maxParams[0]!;
  const valueAttr = p.attributes.get('value');
  const max = valueAttr ? vars.number(valueAttr, g.path, 'max_connections') : undefined;
  if (!max || !valueAttr) return [];
  const setting = (n: string) => {
    const found = params.find((x) => hclString(x.p.attributes.get('name')?.raw ?? '') === n);
    const v = found?.p.attributes.get('value');
    const num = v ? vars.number(v, found!.g.path, n) : undefined;
    return num ? { value: num.value, place: num.places[0]! } : undefined;
  };
  const appRoot = appRootFrom(ws, dir);
  const services = blocks.filter((b) => b.block.type === 'resource' && b.block.labels[0] === 'aws_ecs_service');
  const terms: BudgetTerm[] = [];
  for (const svc of services) {
    const name = svc.block.labels[1] ?? '';
    const taskRef = /aws_ecs_task_definition\.([\w-]+)/.exec(svc.block.attributes.get('task_definition')?.raw ?? '')?.[1];
    const task = blocks.find((b) => b.block.type === 'resource' && b.block.labels[0] === 'aws_ecs_task_definition' && b.block.labels[1] === taskRef);
    const defs = task?.block.attributes.get('container_definitions');
    if (!appRoot || !task || !defs || /\b(?:file|templatefile)\s*\(/.test(defs.raw)) return [];
    const commands = [...defs.raw.matchAll(/["']?command["']?\s*[:=]\s*(\[[^\]]*\])/g)];
    if (commands.length > 1) return [];
    const command = commands[0]?.[1] ?? dockerfile(ws, appRoot)?.command ?? '';
    const kind = processKind(command);
    if (!kind) return [];
    const cmdStart = commands[0] ? defs.valueStart + commands[0].index : defs.valueStart;
    const cmdPlace = place(ws, task.path, cmdStart, cmdStart + (commands[0]?.[0].length ?? 0), `command of ${taskRef ?? name}`);
    const env = withDockerEnv(ws, appRoot, ecsEnv(ws, task.path, defs));
    const per = perReplica(ws, appRoot, kind, command, cmdPlace, env);
    const replicas = ecsReplicas(blocks, svc, name, vars);
    if (!per || !replicas) return [];
    terms.push({ name, kind, perReplica: per, replicas });
  }
  if (terms.length === 0) return [];
  return [{ anchor: { ...max.places[0]!, what: `max_connections in ${basename(g.path)}` }, maxConnections: max.value, reserved: reservedFrom(setting), terms }];
}

function ecsEnv(ws: Workspace, path: string, defs: HclAttribute): EnvView {
  const opaque = /["']?(?:secrets|environmentFiles)["']?\s*[:=]/.test(defs.raw);
  const env: EnvView = { values: new Map(), opaque, opaqueNames: new Set() };
  const re = /["']?name["']?\s*[:=]\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*,?\s*["']?value["']?\s*[:=]\s*("[^"]*"|\d+|[\w.]+)/g;
  for (const m of defs.raw.matchAll(re)) {
    const raw = m[2]!;
    const start = defs.valueStart + m.index;
    if (!/^"[^"$]*"$|^\d+$/.test(raw)) env.opaqueNames.add(m[1]!);
    else env.values.set(m[1]!, { value: raw.replace(/^"|"$/g, ''), place: place(ws, path, start, start + m[0].length, `${m[1]} in ${basename(path)}`) });
  }
  return env;
}

function ecsReplicas(blocks: TfBlock[], svc: TfBlock, name: string, vars: Variables): Num | undefined {
  const targets = blocks.filter(
    (b) => b.block.type === 'resource' && b.block.labels[0] === 'aws_appautoscaling_target' && new RegExp(`aws_ecs_service\\.${name}\\b`).test(b.block.attributes.get('resource_id')?.raw ?? ''),
  );
  if (targets.length > 1) return undefined;
  const target = targets[0];
  const attr = target ? target.block.attributes.get('max_capacity') : svc.block.attributes.get('desired_count');
  if (!attr) return undefined;
  return vars.number(attr, (target ?? svc).path, target ? 'max_capacity' : 'desired_count');
}

/** `var.NAME` from `variable "NAME" { default = N }`, overridden by terraform.tfvars / *.auto.tfvars; other tfvars files make it unknown. */
class Variables {
  constructor(
    private readonly ws: Workspace,
    private readonly blocks: TfBlock[],
    private readonly tfvars: { path: string; text: string }[],
  ) {}

  number(attr: HclAttribute, path: string, label: string): Num | undefined {
    const literal = hclNumber(attr.raw);
    if (literal !== undefined) return { value: literal, why: `${label} ${literal}`, places: [place(this.ws, path, attr.start, attr.valueEnd, `${label} in ${basename(path)}`)] };
    const v = /^var\.([A-Za-z_][\w-]*)$/.exec(attr.raw.trim())?.[1];
    if (!v) return undefined;
    const set = this.tfvars.filter((t) => new RegExp(`^\\s*${v}\\s*=`, 'm').test(t.text));
    const auto = set.filter((t) => /(?:^|\/)terraform\.tfvars$|\.auto\.tfvars$/.test(t.path.split('\\').join('/')));
    if (set.length !== auto.length || auto.length > 1) return undefined;
    if (auto[0]) {
      const m = new RegExp(`^(\\s*${v}\\s*=\\s*)(\\S+)`, 'm').exec(auto[0].text);
      const n = m ? hclNumber(m[2]!) : undefined;
      if (n === undefined || !m) return undefined;
      return { value: n, why: `${label} ${n} (var.${v})`, places: [place(this.ws, path, attr.start, attr.valueEnd, `${label} in ${basename(path)}`), place(this.ws, auto[0].path, m.index, m.index + m[0].length, `${v} in ${basename(auto[0].path)}`)] };
    }
    const decl = this.blocks.find((b) => b.block.type === 'variable' && b.block.labels[0] === v);
    const def = decl?.block.attributes.get('default');
    const n = def ? hclNumber(def.raw) : undefined;
    if (!decl || !def || n === undefined) return undefined;
    return {
      value: n,
      why: `${label} ${n} (var.${v} default)`,
      places: [place(this.ws, path, attr.start, attr.valueEnd, `${label} in ${basename(path)}`), place(this.ws, decl.path, def.start, def.valueEnd, `${v} default in ${basename(decl.path)}`)],
    };
  }
}

/** `config/database.yml:12` for the hover. */
export function placeLabel(ws: Workspace, p: Place): string {
  return `${relative(ws.root, p.path).split('\\').join('/')}:${p.range.start.line + 1}`;
}
