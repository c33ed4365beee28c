// Whether a Rails environment gets a setting from some file other than the one being checked:
// config/application.rb, an initializer or the environment's own file. Read as text (the other
// files are not parsed here), with the plain `if/unless Rails.env.x?` guards around an assignment
// taken into account, so a development-only assignment does not count for test. A guard that is
// not a plain environment test counts as "may assign" (when in doubt, stay silent).

import { join } from 'node:path';
import type { RuleContext } from '../rule';
import { railsRoot } from '../fixes/rails-test-dummy';
import { escapeRegExp, indentOf } from '../text';

/** `Rails.application.config.x.key`, `Rails.application.x.key`, `config.x.key` → `x.key`. */
export function settingKey(qualified: string): string {
  return qualified.replace(/^(Rails\.application\.config\.|Rails\.application\.|config\.)/, '');
}

/** An assignment of the setting, spelled through `config` or `Rails.application`, or as written (`Stripe.api_key`). */
function assignmentPattern(qualified: string): RegExp {
  const key = settingKey(qualified);
  const target = key !== qualified ? `(config|Rails\\.application(\\.config)?)\\.${escapeRegExp(key)}` : escapeRegExp(qualified);
  return new RegExp(`(^|[^\\w.])${target}\\s*(\\|\\|)?=[^=]`);
}

export function initializerFiles(ctx: RuleContext, root: string): string[] {
  const dir = join(root, 'config', 'initializers');
  return (ctx.workspace.listDir?.(dir) ?? []).filter((n) => n.endsWith('.rb')).map((n) => join(dir, n));
}

/**
 * Whether `env` gets the setting from another file. For a deployed environment's own file
 * (`fromInitializers`), application.rb and every initializer count; for an initializer, the
 * environment's file and the other initializers.
 */
export function assignedElsewhere(ctx: RuleContext, qualified: string, env: string): boolean {
  const root = railsRoot(ctx.workspace, ctx.file.path);
  const re = assignmentPattern(qualified);
  const files = [join(root, 'config', 'application.rb'), join(root, 'config', 'environments', `${env}.rb`), ...initializerFiles(ctx, root)];
  return files.some((f) => f !== ctx.file.path && assignsIn(ctx.workspace.readFile(f), re, env));
}

function assignsIn(text: string | undefined, re: RegExp, env: string): boolean {
  if (!text || !re.test(text)) return false;
  const lines = text.split(/\r\n|\n/);
  return lines.some((line, i) => re.test(line) && !/^\s*#/.test(line) && runsIn(lines, i, env) !== false);
}

/** Whether line `index` runs in `env`: false only when a plain env guard around it excludes it. */
export function runsIn(lines: readonly string[], index: number, env: string): boolean | undefined {
  const line = lines[index]!;
  const modifier = /\s(if|unless)\s+([^#]+?)\s*$/.exec(line.replace(/(["']).*?\1/g, '""'));
  let result = modifier ? guarded(true, modifier[1]!, modifier[2]!, env) : true;
  let indent = indentOf(line).length;
  for (let i = index - 1; i >= 0 && indent > 0 && result !== false; i--) {
    const text = lines[i]!;
    if (!text.trim() || /^\s*#/.test(text)) continue;
    const own = indentOf(text).length;
    if (own >= indent) continue;
    indent = own;
    const opener = /^\s*(if|unless|elsif)\s+(.+?)\s*(then)?\s*$/.exec(text);
    // An elsif or else branch also depends on the branches above it, a case on its subject: not plain guards.
    if (opener?.[1] === 'elsif' || /^\s*(else|when|case|in)\b/.test(text)) return undefined;
    if (opener) result = guarded(result, opener[1]!, opener[2]!, env);
  }
  return result;
}

/** Narrows what is known so far by one `if` / `unless` guard. */
function guarded(sofar: boolean | undefined, keyword: string, condition: string, env: string): boolean | undefined {
  const v = envTest(condition, env);
  if (v === undefined) return sofar === false ? false : undefined;
  return (keyword === 'unless') === v ? false : sofar;
}

/** `Rails.env.production?`, `!Rails.env.test?`, `Rails.env.test? || Rails.env.development?`; undefined for anything else. */
function envTest(condition: string, env: string): boolean | undefined {
  const c = condition.trim().replace(/^\((.*)\)$/, '$1');
  const or = c.split(/\s*\|\|\s*/);
  if (or.length > 1) {
    const parts = or.map((p) => envTest(p, env));
    if (parts.some((p) => p === true)) return true;
    return parts.every((p) => p === false) ? false : undefined;
  }
  const and = c.split(/\s*&&\s*/);
  if (and.length > 1) {
    const parts = and.map((p) => envTest(p, env));
    if (parts.some((p) => p === false)) return false;
    return parts.every((p) => p === true) ? true : undefined;
  }
  const m = /^(!\s*|not\s+)?(?:::)?Rails\.env\.(\w+)\?$/.exec(c) ?? /^(!\s*|not\s+)?(?:::)?Rails\.env\s*==\s*["'](\w+)["']$/.exec(c);
  if (!m) return undefined;
  return (m[2] === env) !== Boolean(m[1]);
}
