// Where the time of one piece of work went, phase by phase ("grammar 215 ms, settings 12 ms, analysis 60 ms").

export class PhaseTimer {
  private last = performance.now();
  private readonly phases: [string, number][] = [];

  /** Ends the current phase under `name`. */
  lap(name: string): void {
    const now = performance.now();
    this.phases.push([name, now - this.last]);
    this.last = now;
  }

  summary(): string {
    return this.phases.map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(', ');
  }
}
