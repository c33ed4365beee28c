// Schedules validations. The document being edited is validated as soon as the current batch of
// incoming messages has been handled (setImmediate), so a keystroke's diagnostics are not held
// back by a timer; other open documents, whose findings a change may alter (test.rb, a setup
// file), are re-validated after a short debounce that coalesces bursts of typing or a multi-file fix.

export class ValidationQueue {
  private readonly urgent = new Set<string>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly run: (uri: string) => Promise<void>,
    private readonly delayMs = 25,
  ) {}

  /** Validates `uri` right after the messages already received (several edits in one batch: once). */
  now(uri: string): void {
    this.pending.delete(uri);
    this.urgent.add(uri);
    this.immediate ??= setImmediate(() => this.flushUrgent());
  }

  /** Queues documents for the debounced pass; the first ones given are validated first. */
  schedule(uris: Iterable<string>): void {
    for (const uri of uris) if (!this.urgent.has(uri)) this.pending.add(uri);
    if (this.pending.size > 0) this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  cancel(uri: string): void {
    this.pending.delete(uri);
    this.urgent.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.pending.clear();
    this.urgent.clear();
  }

  private flushUrgent(): void {
    this.immediate = undefined;
    const uris = [...this.urgent];
    this.urgent.clear();
    for (const uri of uris) void this.run(uri);
  }

  private flush(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    // `run` handles its own failures; validations of different documents are independent.
    for (const uri of uris) void this.run(uri);
  }
}
