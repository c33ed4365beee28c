// Plain records shared by the engine, the rules, the CLI and the language server.
// Nothing here knows about VS Code or LSP; the server maps these onto protocol types.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const SEVERITY_RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Zero-based line and UTF-16 code-unit column, the same unit LSP uses by default. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a file, by absolute path. */
export interface Location {
  path: string;
  range: Range;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** One file touched by a fix: edits against its current text, or a file to create. */
export type FileChange =
  | { kind: 'edit'; path: string; edits: TextEdit[] }
  | { kind: 'create'; path: string; text: string };

export interface Fix {
  title: string;
  /** The fix `--fix` and "fix all" apply; at most one per finding. */
  isPreferred: boolean;
  changes: FileChange[];
  /** Something the user must do by hand afterwards (e.g. register a new test setup file). */
  note?: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  range: Range;
  /** One plain sentence (at most 160 characters, 200 for long names; no markdown): what, where, the consequence. */
  message: string;
  /** Markdown for the hover and the reports: the lookup chain, what happens at the resolved versions, sources. */
  details?: string;
  related: RelatedLocation[];
  fixes: Fix[];
  /**
   * A marker at one use of a problem reported once at another anchor (a key nothing assigns, reported
   * on the Gemfile line): the editor shows it as a hint where the code is; reports and exit codes leave it out.
   */
  secondary?: true;
}

/**
 * A decision a rule made that produced no finding, for reports (the audit's env-fork classification
 * table). Names only, never a value taken from the file.
 */
export interface Note {
  kind: 'benign';
  ruleId: string;
  path: string;
  range: Range;
  /** What was judged, e.g. the setting `Sentry.dsn`. */
  subject: string;
  /** Why, in a few words. */
  reason: string;
}

/** What the engine returns for one file (core/engine.ts). */
export interface FileResult {
  path: string;
  findings: Finding[];
  /** False when no rule's trigger occurs in the file, so it was never parsed. */
  parsed: boolean;
  /** The tree has ERROR or MISSING nodes; findings still cover its valid parts. */
  syntaxErrors: boolean;
  /** Internal failures (a rule threw, the parser trapped), with the file path already in context. */
  errors: string[];
  /** Decisions that produced no finding (`RuleContext.note`), when a rule made any. */
  notes?: Note[];
}

/** Languages parsed with a tree-sitter grammar. */
export type GrammarLanguage = 'ruby' | 'typescript' | 'tsx';
/**
 * File kinds without a tree-sitter grammar, scanned as text by `Rule.scanText`: YAML (Rails config with
 * ERB, GitHub workflows, docker-compose, Kubernetes), Prisma schemas, HCL (Terraform), and lockfiles
 * (Gemfile.lock, gems.locked, package-lock.json, npm-shrinkwrap.json).
 */
export type TextLanguage = 'yaml' | 'prisma' | 'hcl' | 'lockfile';
/** Every file kind rules look at. */
export type LanguageId = GrammarLanguage | TextLanguage;

export interface RuleMeta {
  id: string;
  title: string;
  defaultSeverity: Severity;
  /** One-paragraph explanation, shown in SARIF rule metadata. */
  description: string;
  docsUrl: string;
}

/** A file handed to the engine. `text` is the current content (an editor buffer may differ from disk). */
export interface SourceFile {
  path: string;
  text: string;
}

/**
 * The workspace a file belongs to. Rules read other files through it (e.g. whether
 * config/environments/test.rb exists) so the editor can overlay unsaved buffers on disk.
 */
export interface Workspace {
  /** Absolute folder the audit is rooted at; paths in reports are relative to it. */
  readonly root: string;
  /** Project settings rules may consult (from `.initaudit.yml` / editor settings); absent means defaults. */
  readonly settings?: WorkspaceSettings;
  /** Current text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  /**
   * Whether a fix may create or edit this file: inside the root, not through a symbolic link out of
   * it, a regular file if it exists. Absent: every path may be written.
   */
  writable?(path: string): boolean;
  /** Names of the files and folders directly in a folder (folders end with `/`); undefined when it cannot be listed. */
  listDir?(dir: string): string[] | undefined;
  /**
   * Changes whenever a file's text in this workspace may have changed, so facts derived from many
   * files (a Rails app's model) can be reused across files until then. Absent: never reuse.
   */
  version?(): number;
  /**
   * The revision a change is compared with (`--since <rev>`, or the editor's HEAD of a lockfile);
   * absent when the audit is not change-aware. Rules read it through core/change.ts.
   */
  readonly base?: ChangeBase;
}

/**
 * What the files were at the base of a change. The CLI reads it through git, the editor through
 * VS Code's git extension; the engine only sees texts and paths, never git itself. Which files the
 * change deletes is `WorkspaceSettings.history` (measured against the same base with `--since`).
 */
export interface ChangeBase {
  /** How the user named the base: `main`, `HEAD~3`, `HEAD`. Names only, for messages. */
  readonly label: string;
  /** A file compared with another base than `label` (the editor compares each lockfile with its own ref). */
  labelFor?(path: string): string | undefined;
  /**
   * A file's text at the base (absolute path): a string; null when the file did not exist there;
   * undefined when the base of this file is not known (the editor sends lockfiles only, analysis
   * workers get no texts).
   */
  text(path: string): string | null | undefined;
}

/** The part of the project configuration rules and fixes see (core/config/schema.ts has the rest). */
export interface WorkspaceSettings {
  /** Where a fix should read a secret from; `auto` follows what the app already uses. */
  secretBackend: 'auto' | 'chamber' | 'credentials' | 'env';
  /** What version control says about files, when the caller knows it; absent: nothing is known. */
  history?: FileHistory;
}

/**
 * Facts from version control, gathered by the caller (the CLI asks git read-only; the editor sees
 * deletions on disk): the engine never shells out. Plain data, so it crosses to audit workers.
 */
export interface FileHistory {
  /** Absolute paths the change under audit deletes (the working tree against HEAD, or against a base revision). */
  deleted: readonly string[];
  /** Absolute paths of credentials files committed at some point in the repository's history; absent when unknown. */
  committed?: readonly string[];
}
