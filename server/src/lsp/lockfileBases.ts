// The bases of lockfiles the client sent (initaudit/lockfileBase): the text of each at the ref the
// client compares it with, HEAD unless the user picked a branch. The server never runs git: these
// texts come from VS Code's git extension on the client side. Files the client sent nothing for
// have an unknown base, so rules compare nothing for them.

import type { ChangeBase } from '../core/types';

export class LockfileBases {
  private readonly byPath = new Map<string, { ref: string; text: string | null }>();

  set(path: string, ref: string, text: string | null): boolean {
    const before = this.byPath.get(path);
    this.byPath.set(path, { ref, text });
    return before?.ref !== ref || before.text !== text;
  }

  delete(path: string): boolean {
    return this.byPath.delete(path);
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** The base a workspace exposes to rules; undefined when the client sent none. */
  base(): ChangeBase | undefined {
    if (this.byPath.size === 0) return undefined;
    return {
      label: 'HEAD',
      labelFor: (path) => this.byPath.get(path)?.ref,
      text: (path) => this.byPath.get(path)?.text,
    };
  }
}
