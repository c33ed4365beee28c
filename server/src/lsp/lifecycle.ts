// The protocol's lifecycle, enforced: before `initialize` a request is answered with
// ServerNotInitialized (-32002) and a notification dropped; after `shutdown` a request is
// answered with InvalidRequest (-32600) and a notification dropped. Only `exit` always works
// (vscode-languageserver handles it).

import { ErrorCodes, ResponseError } from 'vscode-languageserver';

export type LifecycleState = 'starting' | 'running' | 'shut down';

export class Lifecycle {
  state: LifecycleState = 'starting';

  /** Wraps a request handler: it runs only between `initialize` and `shutdown`. */
  request<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      this.check();
      return handler(...args);
    };
  }

  /** Wraps a notification handler: it is dropped outside `initialize` … `shutdown`. */
  notification<A extends unknown[]>(handler: (...args: A) => void): (...args: A) => void {
    return (...args: A): void => {
      if (this.state === 'running') handler(...args);
    };
  }

  /** Throws the protocol's error for a request that arrives out of its time. */
  check(): void {
    if (this.state === 'starting') throw new ResponseError(ErrorCodes.ServerNotInitialized, 'the server has not been initialized');
    if (this.state === 'shut down') throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
  }
}
