// File-system errors as short, user-facing reasons for "skipped (...)" lines (core/file-access.ts).

export { describeFsError } from '../core/file-access';

export interface FsFailure {
  reason: 'unreadable' | 'vanished';
  detail: string;
}
