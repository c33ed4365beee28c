// Files an audit did not analyse or read, and why: shown as "path: skipped (detail)".

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'vanished' | 'unsupported' | 'outside-root' | 'not-a-file';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** Shown in parentheses after "skipped", e.g. "over 1 MiB: 2000000 bytes". */
  detail: string;
  size?: number;
}

/** Something the audit could not use and went on without, e.g. a .gitignore pattern it skipped. */
export interface AuditWarning {
  path: string;
  /** Shown as "path: warning: detail". Never a file's contents. */
  detail: string;
}
