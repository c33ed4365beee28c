// Files an audit did not analyse, and why: shown as "path: skipped (detail)".

export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'vanished' | 'unsupported';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** Shown in parentheses after "skipped", e.g. "over 1 MiB: 2000000 bytes". */
  detail: string;
  size?: number;
}
