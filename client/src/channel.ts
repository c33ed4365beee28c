// The output channel, made safe to write to after it is disposed: on a window reload VS Code
// disposes the extension's resources while the language client may still log, and a write to a
// closed channel throws ("Channel has been closed") out of whatever provider was running.

import * as vscode from 'vscode';

export function closableChannel(name: string): { channel: vscode.LogOutputChannel; close(): void } {
  const inner = vscode.window.createOutputChannel(name, { log: true });
  let closed = false;
  const channel = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        // An event subscription still gets something to dispose of.
        if (closed) return typeof property === 'string' && property.startsWith('on') ? { dispose: (): void => undefined } : undefined;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    channel,
    close(): void {
      if (closed) return;
      closed = true;
      inner.dispose();
    },
  };
}
