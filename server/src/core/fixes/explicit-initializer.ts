// "Add an explicit initializer": config/initializers/<gem>.rb gets the explicit env-key line(s)
// for a gem that read its key by convention, and config/environments/test.rb the test dummy —
// the same dummy machinery as the env-fork fix. Idempotent: once the assignment exists, the finding
// (and so the fix) is gone.

import { join } from 'node:path';
import { holdsKnown } from '../knowledge/versions';
import type { GemKeyEntry } from '../rails/gem-keys';
import { productionCredentials, type RailsApp } from '../rails/app-model';
import { detectEol, LineIndex } from '../text';
import type { FileChange, Fix, Workspace, WorkspaceSettings } from '../types';
import { withFile } from '../workspace';
import { mergeFileChange, viewWithCreated } from './changes';
import { rubyCodeEnd } from './guard';
import { dummyTarget, preferredQuote, testDummyChange } from './rails-test-dummy';

export type SecretBackend = 'chamber' | 'credentials' | 'env';

/**
 * Chamber when the app has it (its EnvironmentFilter honours the same ENV names); credentials when
 * production has a credentials file; otherwise ENV alone (a credentials lookup would read nothing).
 */
export function backendOf(app: RailsApp, configured: WorkspaceSettings['secretBackend'] = 'auto'): SecretBackend {
  if (configured !== 'auto') return configured;
  if (app.hasChamber) return 'chamber';
  return productionCredentials(app) ? 'credentials' : 'env';
}

function lookup(backend: SecretBackend, path: readonly string[]): string | undefined {
  const keys = path.map((k) => `:${k}`).join(', ');
  if (backend === 'env') return undefined;
  return backend === 'chamber' ? `Chamber.dig(${keys})` : `Rails.application.credentials.dig(${keys})`;
}

export function explicitInitializerFix(ws: Workspace, app: RailsApp, entry: GemKeyEntry, styleFrom: string): Fix | undefined {
  const spec = entry.fix;
  // A fix never writes an API the locked version may lack: an unknown version gets no fix.
  if (!spec || (spec.when && !holdsKnown(spec.when, app.versions))) return undefined;
  const backend = backendOf(app, ws.settings?.secretBackend);
  const quote = preferredQuote(styleFrom);
  const path = join(app.root, 'config', 'initializers', spec.initializer);
  const existing = ws.readFile(path);
  const eol = existing !== undefined ? detectEol(existing) : detectEol(styleFrom);
  const q = existing !== undefined ? preferredQuote(existing, quote) : quote;
  const body: string[] = [];
  for (const k of spec.keys) {
    const line = k.line(`ENV[${q}${k.envVar}${q}]`, lookup(backend, k.path));
    // Some gems read the env var themselves: with no other store there is nothing to write.
    if (line === undefined) return undefined;
    body.push(line);
  }
  const block = body;
  const changes: FileChange[] = [];
  let initializerText: string;
  if (existing === undefined) {
    initializerText = [`# ${entry.setting}: explicit, so no gem reads ${entry.plural ? 'them' : 'it'} by convention (added by initaudit).`, ...block, ''].join(eol);
    changes.push({ kind: 'create', path, text: initializerText });
  } else {
    // Appended before `__END__` if the file has a data section: after it Ruby never runs the lines.
    const at = rubyCodeEnd(existing);
    const index = new LineIndex(existing);
    const end = index.positionAt(at);
    const before = existing.slice(0, at);
    const lead = before.length > 0 && !/(\r\n|\n|\r)$/.test(before) ? eol : '';
    const addition = `${lead}${block.join(eol)}${eol}`;
    initializerText = before + addition + existing.slice(at);
    changes.push({ kind: 'edit', path, edits: [{ range: { start: end, end }, newText: addition }] });
  }
  // Dummies go where the initializer's environment looks first: config/environments/test.rb.
  const target = dummyTarget(withFile(ws, path, initializerText), path);
  for (const k of spec.keys) {
    if (k.dummy === undefined || !target) continue;
    const change = testDummyChange(viewWithCreated(ws, changes), target, k.envVar, k.dummy, quote, eol);
    if (change) mergeFileChange(changes, change);
  }
  return { title: `Add an explicit initializer (config/initializers/${spec.initializer})`, isPreferred: true, changes };
}
