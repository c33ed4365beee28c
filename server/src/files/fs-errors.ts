// File-system errors as short, user-facing reasons for "skipped (...)" lines.

export interface FsFailure {
  reason: 'unreadable' | 'vanished';
  detail: string;
}

export function describeFsError(e: unknown): FsFailure {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'vanished', detail: 'vanished during the audit' };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'unreadable', detail: 'unreadable: permission denied' };
    default:
      return { reason: 'unreadable', detail: `unreadable: ${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)}` };
  }
}
