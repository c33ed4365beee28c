// The policy (configuration, suppressions, baseline) of each workspace folder, for the editor:
// the client's `initaudit.*` settings for the folder (workspace/configuration with its scopeUri),
// under `.initaudit.yml` at the folder's root, as the CLI reads it. Loaded once per folder and
// dropped when settings, the config file or the baseline change. Problems in `.initaudit.yml` are
// published as diagnostics on that file, so the editor points at the offending line.

import { basename, dirname } from 'node:path';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import { loadPolicy, type LoadedPolicy } from '../audit/policy';
import { CONFIG_FILE, parseConfigText, type ConfigError } from '../core/config/load';
import { SOURCE, describeError, type ConfigFixData, type Logger } from './protocol';
import { fileUriOf } from './uris';

export const SETTINGS_SECTION = 'initaudit';

export class PolicyStore {
  private readonly loaded = new Map<string, Promise<LoadedPolicy>>();
  /** Config files that last had problems published, to clear them once fixed. */
  private readonly withProblems = new Set<string>();
  /** Setting problems already shown, so each is logged once. */
  private readonly logged = new Set<string>();
  /** Baselines the loaded policies read. */
  private readonly files = new Set<string>();

  constructor(
    private readonly connection: Pick<Connection, 'workspace' | 'sendDiagnostics'>,
    private readonly log: Logger,
    /** Whether the client answers workspace/configuration. */
    private readonly canAskSettings: () => boolean,
    /** The text of an open editor buffer, whose problems are shown instead of the file's on disk. */
    private readonly bufferOf: (path: string) => string | undefined = () => undefined,
  ) {}

  /** Whether a path is a folder's `.initaudit.yml`: its problems come from here, never from the rules. */
  isConfigFile(path: string): boolean {
    return basename(path) === CONFIG_FILE;
  }

  /**
   * Shows the problems of a config file's open buffer as the user types (the policy still comes
   * from the file on disk, as the CLI reads it), or of the file on disk once it is closed.
   */
  showProblems(path: string): void {
    const text = this.bufferOf(path);
    if (text !== undefined) this.publishConfigProblems(path, parseConfigText(text, path).errors, false);
    else {
      // Closed: back to the file on disk, reloaded (and its problems republished) now.
      this.invalidate();
      void this.forRoot(dirname(path));
    }
  }

  /** The policy for a workspace folder (or a loose file's folder). Never rejects. */
  forRoot(root: string): Promise<LoadedPolicy> {
    let p = this.loaded.get(root);
    if (!p) {
      p = this.load(root);
      this.loaded.set(root, p);
    }
    return p;
  }

  /** Settings, a config file or a baseline changed: reload on next use. */
  invalidate(): void {
    this.loaded.clear();
  }

  /** Whether any of these changed files is one a policy was (or would be) read from. */
  touches(paths: readonly string[]): boolean {
    return paths.some((p) => p.endsWith(CONFIG_FILE) || this.files.has(p));
  }

  private async load(root: string): Promise<LoadedPolicy> {
    let settings: unknown;
    if (this.canAskSettings()) {
      try {
        settings = await this.connection.workspace.getConfiguration({ scopeUri: fileUriOf(root), section: SETTINGS_SECTION });
      } catch (e) {
        this.log.error(`initaudit: cannot read the settings for ${root}: ${describeError(e)}`);
      }
    }
    const loaded = loadPolicy(root, { settings });
    if (loaded.baselinePath) this.files.add(loaded.baselinePath);
    for (const error of loaded.errors) {
      if (this.logged.has(error)) continue;
      this.logged.add(error);
      this.log.error(`initaudit: ${error}`);
    }
    const file = loaded.configPath ?? `${root}/${CONFIG_FILE}`;
    // An open buffer's problems stay on screen until it is saved or closed.
    if (this.bufferOf(file) === undefined) this.publishConfigProblems(file, loaded.configErrors);
    else for (const e of loaded.configErrors) this.log.error(`initaudit: ${e.path}:${e.line}:${e.column} ${e.message} (this file is ignored until fixed)`);
    return loaded;
  }

  private publishConfigProblems(file: string, errors: readonly ConfigError[], log = true): void {
    if (errors.length === 0 && !this.withProblems.has(file)) return;
    const diagnostics = errors.map((e): Diagnostic => {
      const start = { line: e.line - 1, character: e.column - 1 };
      const end = { line: start.line, character: e.length !== undefined ? start.character + e.length : Number.MAX_SAFE_INTEGER };
      const data: ConfigFixData | undefined = e.fix ? { configFix: e.fix } : undefined;
      return { range: { start, end }, severity: DiagnosticSeverity.Error, source: SOURCE, message: e.message, ...(data ? { data } : {}) };
    });
    if (log) for (const e of errors) this.log.error(`initaudit: ${e.path}:${e.line}:${e.column} ${e.message} (this file is ignored until fixed)`);
    if (diagnostics.length > 0) this.withProblems.add(file);
    else this.withProblems.delete(file);
    void this.connection.sendDiagnostics({ uri: fileUriOf(file), diagnostics }).catch((e: unknown) => this.log.error(`initaudit: ${file}: cannot publish diagnostics: ${describeError(e)}`));
  }
}
