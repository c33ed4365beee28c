// Coalesces validation requests: a burst of changes (typing, a multi-file fix) is analysed once,
// against the latest versions, shortly after it starts.

export class ValidationQueue {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (uri: string) => Promise<void>,
    private readonly delayMs = 25,
  ) {}

  /** Queues documents; the first ones given are validated first. */
  schedule(uris: Iterable<string>): void {
    for (const uri of uris) this.pending.add(uri);
    if (this.pending.size > 0) this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  cancel(uri: string): void {
    this.pending.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private flush(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    // `run` handles its own failures; validations of different documents are independent.
    for (const uri of uris) void this.run(uri);
  }
}
