// Runs the engine on an open document: its own tree for incremental reparsing, and a workspace
// that overlays open buffers on the disk so rules and fixes see unsaved edits in other files.

import { join } from 'node:path';
import { analyzeFileSync, applicableRules, type FileResult } from '../core/engine';
import { analyzeIncrementalSync, type IncrementalState } from '../core/incremental/analyze';
import { FileAccess } from '../core/file-access';
import { isLoaded, loadLanguage } from '../core/parser';
import type { Policy } from '../core/policy';
import type { LanguageId } from '../core/types';
import { FileSystemWorkspace } from '../core/workspace';
import { DeletedFiles } from './deletions';
import type { DocumentStore, OpenDocument } from './documents';
import type { LockfileBases } from './lockfileBases';
import { describeError, type Logger } from './protocol';
import type { WorkspaceFolders } from './workspaceFolders';

/**
 * Larger buffers are not analysed: no initializer is this big, and reparsing a generated or
 * binary file on every keystroke would stall the server for everything else.
 */
export const MAX_ANALYZED_LENGTH = 2_000_000;

export class Analyzer {
  private readonly failedGrammars = new Set<LanguageId>();
  private readonly warnedTooLarge = new WeakSet<OpenDocument>();
  /** The engine errors last logged per document: a rule that fails on a file fails on every keystroke. */
  private readonly loggedErrors = new WeakMap<OpenDocument, string>();
  /** One FileAccess per folder, so each refused file (a link out of the folder, a FIFO) is logged once. */
  private readonly access = new Map<string, FileAccess>();

  /**
   * What each document's last keystroke analysis leaves for the next (core/incremental). It holds
   * facts read from other files, so any other document's change, or a file changed on disk, drops it.
   */
  private readonly incremental = new Map<string, IncrementalState>();

  constructor(
    private readonly documents: DocumentStore,
    private readonly folders: WorkspaceFolders,
    private readonly log: Logger,
    /** Lockfile bases from the client's git extension, for rules that compare with them. */
    private readonly bases?: LockfileBases,
    /** INITAUDIT_INCREMENTAL=0 turns incremental analysis off (every keystroke analyses the whole file). */
    private readonly incrementalEnabled = process.env.INITAUDIT_INCREMENTAL !== '0',
  ) {
    // A change of one document keeps its own state; opening or closing one changes what every other reads.
    documents.onMutate = (uri, kind) => {
      for (const other of [...this.incremental.keys()]) if (other !== uri || kind !== 'change') this.incremental.delete(other);
    };
  }

  /**
   * The files each document's diagnostics last read (other documents' buffers among them), so an
   * edit re-validates only the open documents that read the edited file. A keystroke analysis
   * reads less than the full one it builds on (its facts come from the state), so it adds to the set.
   */
  private readonly reads = new Map<string, Set<string>>();

  /** Whether the document's last diagnostics may depend on the file at `path` (unknown: yes). */
  mayDependOn(uri: string, path: string): boolean {
    const read = this.reads.get(uri);
    return read === undefined || read.has(path);
  }

  /** Closed: what it read no longer matters. */
  forget(uri: string): void {
    this.reads.delete(uri);
    this.incremental.delete(uri);
  }

  /** Files changed on disk, or settings changed: no analysis reuses anything. */
  forgetReuse(): void {
    this.incremental.clear();
  }

  /** Files deleted on disk during this session (the watched-files events). */
  readonly deletions = new DeletedFiles();

  /**
   * The disk with the open buffers over it. For fixes (`forFixes`), another open buffer whose file
   * is not on disk is not a file: after Undo of a fix that created test.rb, VS Code may keep its
   * buffer (and tell us late, or never); the fix applied again must create the file again, not
   * count on its stale text. Findings still count such a buffer, as an unsaved file.
   */
  workspaceFor(doc: Pick<OpenDocument, 'path'>, policy?: Policy, { forFixes = false }: { forFixes?: boolean } = {}): FileSystemWorkspace {
    const root = this.folders.rootFor(doc.path);
    const access = this.accessFor(root);
    const lookup = (path: string): string | null | undefined => {
      const open = this.documents.getByPath(path);
      if (!open) return undefined;
      return !forFixes || open === doc || open.synthetic || !open.uri.startsWith('file:') || access.isFile(path) ? open.text.getText() : null;
    };
    const workspace = new FileSystemWorkspace(root, lookup, access);
    const history = this.deletions.history();
    if (policy || history) workspace.settings = { secretBackend: policy?.config.secretBackend ?? 'auto', ...(history ? { history } : {}) };
    const base = this.bases?.base();
    if (base) workspace.base = base;
    return workspace;
  }

  /**
   * Whether every file an analysis looked at (`seen`, from `analyze`) still exists or is still
   * absent. Undo of a fix deletes the file it created moments after it restores the text, and the
   * file watcher tells us later still: fixes computed in between must not be reused.
   */
  sameFiles(doc: OpenDocument, policy: Policy | undefined, seen: ReadonlyMap<string, boolean>): boolean {
    const workspace = this.workspaceFor(doc, policy, { forFixes: true });
    for (const [path, existed] of seen) if (workspace.fileExists(path) !== existed) return false;
    return true;
  }

  accessFor(root: string): FileAccess {
    let access = this.access.get(root);
    if (!access) {
      if (this.access.size > 64) this.access.clear();
      access = new FileAccess([root], [], (r) => this.log.info(`initaudit: ${r.path}: not read (${r.detail})`));
      this.access.set(root, access);
    }
    return access;
  }

  /**
   * Loads the grammars the rules for this text read other files with (lockfile-major-drift parses
   * the Gemfile), since the synchronous analysis cannot; false if one failed (logged once).
   */
  async loadReadGrammars(lang: LanguageId, text: string, path: string): Promise<boolean> {
    let ok = true;
    for (const other of new Set(applicableRules(lang, text, undefined, path).flatMap((r) => r.readsLanguages ?? []))) {
      if (!isLoaded(other)) ok = (await this.loadGrammar(other)) && ok;
    }
    return ok;
  }

  /**
   * Starts loading the grammars the workspace's files will need (a Gemfile: Ruby; a package.json:
   * TypeScript) as soon as the folders are known, so the first document's grammar is compiled
   * while the handshake ends rather than after it opens. Loaded one after the other; a document
   * needing another grammar loads it at once.
   */
  async preloadGrammars(roots: readonly string[]): Promise<void> {
    const has = (name: string): boolean => roots.some((root) => this.accessFor(root).isFile(join(root, name)));
    const langs: LanguageId[] = [];
    if (has('Gemfile') || has('gems.rb')) langs.push('ruby');
    if (has('package.json')) langs.push('typescript');
    for (const lang of langs) if (!isLoaded(lang)) await this.loadGrammar(lang);
  }

  /** Loads a grammar; false (logged once) when it cannot be loaded. */
  async loadGrammar(lang: LanguageId): Promise<boolean> {
    try {
      await loadLanguage(lang);
      this.failedGrammars.delete(lang);
      return true;
    } catch (e) {
      if (!this.failedGrammars.has(lang)) this.log.error(`initaudit: cannot load the ${lang} grammar: ${describeError(e)}`);
      this.failedGrammars.add(lang);
      return false;
    }
  }

  /**
   * Findings for the document's current text; the grammar must be loaded. Undefined when the
   * analysis failed (logged with the path), so callers keep what they last showed.
   */
  analyze(doc: OpenDocument, policy?: Policy, options: { withoutFixes?: boolean; seen?: Map<string, boolean> } = {}): FileResult | undefined {
    const text = doc.text.getText();
    const empty: FileResult = { path: doc.path, findings: [], parsed: false, syntaxErrors: false, errors: [] };
    if (!doc.lang) return empty;
    if (policy?.isExcluded(doc.path)) return empty;
    if (text.length > MAX_ANALYZED_LENGTH || (policy && policy.isTooLarge(Buffer.byteLength(text)))) {
      this.documents.dropTree(doc);
      if (!this.warnedTooLarge.has(doc)) {
        this.warnedTooLarge.add(doc);
        this.log.info(`initaudit: ${doc.path}: not analysed, ${text.length} characters is over the limit of ${MAX_ANALYZED_LENGTH}`);
      }
      return empty;
    }
    if (applicableRules(doc.lang, text, undefined, doc.path).length === 0) {
      // Nothing to look at: don't keep reparsing a tree no rule will read.
      this.documents.dropTree(doc);
      this.incremental.delete(doc.uri);
      // Directives are still checked: one here silences nothing.
      return policy ? policy.apply({ path: doc.path, text }, empty) : empty;
    }
    try {
      const workspace = this.workspaceFor(doc, policy, { forFixes: options.withoutFixes !== true });
      if (options.seen) recordExistence(workspace, options.seen);
      const incremental = options.withoutFixes === true && this.incrementalEnabled;
      if (options.withoutFixes) recordReads(workspace, incremental && this.incremental.has(doc.uri) ? (this.reads.get(doc.uri) ?? new Set()) : new Set(), (read) => this.reads.set(doc.uri, read));
      const result = incremental ? this.analyzeIncrementally(doc, text, policy, workspace) : analyzeFileSync({ path: doc.path, text }, workspace, {
        tree: this.documents.treeOf(doc),
        ...(policy ? { policy } : {}),
        ...(options.withoutFixes ? { withoutFixes: true } : {}),
      });
      const errors = result.errors.join('\n');
      if (errors && this.loggedErrors.get(doc) !== errors) {
        // The engine's messages already start with the path.
        for (const error of result.errors) this.log.error(`initaudit: ${error}`);
      }
      this.loggedErrors.set(doc, errors);
      return result;
    } catch (e) {
      this.incremental.delete(doc.uri);
      this.log.error(`initaudit: ${doc.path}: analysis failed: ${describeError(e)}`);
      return undefined;
    }
  }

  /** Keystroke diagnostics: only the statements the edits can change are analysed again. */
  private analyzeIncrementally(doc: OpenDocument, text: string, policy: Policy | undefined, workspace: FileSystemWorkspace): FileResult {
    const tree = this.documents.treeOf(doc);
    const file = { path: doc.path, text };
    if (!tree) return analyzeFileSync(file, workspace, { withoutFixes: true, ...(policy ? { policy } : {}) });
    const { result, state } = analyzeIncrementalSync(file, workspace, tree, this.incremental.get(doc.uri));
    if (state) this.incremental.set(doc.uri, state);
    else this.incremental.delete(doc.uri);
    return policy ? policy.apply(file, result) : result;
  }
}

/** Records every path the analysis reads or asks about into `read`, handed to `keep` at once. */
function recordReads(workspace: FileSystemWorkspace, read: Set<string>, keep: (read: Set<string>) => void): void {
  keep(read);
  const readFile = workspace.readFile.bind(workspace);
  const fileExists = workspace.fileExists.bind(workspace);
  workspace.readFile = (path) => {
    read.add(path);
    return readFile(path);
  };
  workspace.fileExists = (path) => {
    read.add(path);
    return fileExists(path);
  };
}

/** Records, for each file the analysis reads or asks about, whether it was there. */
function recordExistence(workspace: FileSystemWorkspace, seen: Map<string, boolean>): void {
  const readFile = workspace.readFile.bind(workspace);
  const fileExists = workspace.fileExists.bind(workspace);
  workspace.readFile = (path) => {
    const text = readFile(path);
    seen.set(path, text !== undefined);
    return text;
  };
  workspace.fileExists = (path) => {
    const exists = fileExists(path);
    seen.set(path, exists);
    return exists;
  };
}
