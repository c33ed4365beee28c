// Schedules validations so that only the latest text of a document is analysed.
//
// A change only marks its document dirty. The validation runs once the connection has no more
// messages waiting: vscode-jsonrpc dispatches one queued message per event-loop turn, so the
// queue checks on each turn whether a message was dispatched since its last look (`Activity`)
// and waits while one was. A burst of 1,000 edits therefore costs one analysis of the final text,
// not one per version. While messages keep arriving, a document dirty for longer than
// `maxStaleMs` is validated anyway, so diagnostics never fall far behind.
//
// Other open documents, whose findings a change may alter (test.rb, a setup file), are queued for
// the same pass after a short debounce that coalesces bursts of typing or a multi-file fix.

/** How many messages the connection has dispatched so far. */
export interface Activity {
  readonly dispatched: number;
}

export class ValidationQueue {
  /** Documents to validate at the next quiet turn, with when they became dirty. */
  private readonly dirty = new Map<string, number>();
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** `activity.dispatched` at the last look; undefined until the first. */
  private seen: number | undefined;

  constructor(
    private readonly run: (uri: string) => Promise<void>,
    private readonly activity: Activity = { dispatched: 0 },
    private readonly delayMs = 25,
    private readonly maxStaleMs = 1000,
  ) {}

  /** Validates `uri` once the messages waiting now (and any that follow them at once) are handled. */
  now(uri: string): void {
    this.pending.delete(uri);
    if (!this.dirty.has(uri)) this.dirty.set(uri, performance.now());
    // Dirtied during a dispatch: that dispatch counts as activity, so at least one more turn passes.
    this.seen = undefined;
    this.arm();
  }

  /** Queues documents for the debounced pass; the first ones given are validated first. */
  schedule(uris: Iterable<string>): void {
    for (const uri of uris) if (!this.dirty.has(uri)) this.pending.add(uri);
    if (this.pending.size > 0) this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** True while `uri` waits for a validation (its diagnostics are older than its text). */
  isDirty(uri: string): boolean {
    return this.dirty.has(uri) || this.pending.has(uri) || this.running.has(uri);
  }

  /**
   * Resolves when the validation `uri` is waiting for has run (at once when it waits for none):
   * hovers and code actions are answered after it, from the analysis of the latest text, and a
   * burst of them costs no analysis of its own. Bounded by `maxStaleMs` while edits keep coming.
   */
  validated(uri: string): Promise<void> {
    if (!this.isDirty(uri)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(uri);
      if (list) list.push(resolve);
      else this.waiters.set(uri, [resolve]);
    });
  }

  /**
   * Resolves after an event-loop turn in which no message was dispatched: the connection has
   * nothing waiting. A request that is still current then is worth computing; one that is not
   * has been overtaken by the changes that were waiting.
   */
  quiet(): Promise<void> {
    return new Promise((resolve) => {
      let seen = this.activity.dispatched;
      const look = (): void => {
        if (this.activity.dispatched === seen) return resolve();
        seen = this.activity.dispatched;
        setImmediate(look);
      };
      setImmediate(look);
    });
  }

  cancel(uri: string): void {
    this.pending.delete(uri);
    this.dirty.delete(uri);
    this.wake(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.pending.clear();
    this.dirty.clear();
    for (const uri of [...this.waiters.keys()]) this.wake(uri);
  }

  private wake(uri: string): void {
    const list = this.waiters.get(uri);
    this.waiters.delete(uri);
    for (const resolve of list ?? []) resolve();
  }

  private arm(): void {
    this.immediate ??= setImmediate(() => this.look());
  }

  private look(): void {
    this.immediate = undefined;
    const dispatched = this.activity.dispatched;
    const busy = this.seen === undefined || dispatched !== this.seen;
    this.seen = dispatched;
    const now = performance.now();
    let waiting = false;
    for (const [uri, since] of [...this.dirty]) {
      // A document still being validated is looked at again when that ends (no spinning meanwhile).
      if (this.running.has(uri)) continue;
      if (busy && now - since < this.maxStaleMs) {
        waiting = true;
        continue;
      }
      this.dirty.delete(uri);
      this.start(uri);
    }
    if (waiting) this.arm();
  }

  private flush(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    // The debounce already waited for the burst; a document edited since goes through `now`.
    for (const uri of uris) {
      // Being validated: it goes again when that ends.
      if (this.running.has(uri)) this.dirty.set(uri, performance.now());
      else this.start(uri);
    }
  }

  /** One validation per document at a time; `run` reads the latest text and handles its own failures. */
  private start(uri: string): void {
    this.running.add(uri);
    void this.run(uri).finally(() => {
      this.running.delete(uri);
      this.wake(uri);
      if (this.dirty.has(uri)) this.arm();
    });
  }
}
