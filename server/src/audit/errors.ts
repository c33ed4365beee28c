// Internal failures as users see them: one line with the cause; stacks only with INITAUDIT_DEBUG=1.

/** An internal failure tied to a file (a rule threw, a fix could not be written). */
export interface ToolError {
  path: string;
  message: string;
}

export function debugEnabled(): boolean {
  return process.env['INITAUDIT_DEBUG'] === '1';
}

/** An engine error string ("<path>: rule x failed: <stack>") as a ToolError without the repeated path. */
export function toolError(path: string, message: string): ToolError {
  const own = message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
  return { path, message: debugEnabled() ? own : firstLine(own) };
}

export function describeError(e: unknown): string {
  if (debugEnabled() && e instanceof Error && e.stack) return e.stack;
  return firstLine(e instanceof Error ? e.message : String(e));
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0] ?? s;
  return line.trim() || s.trim();
}
