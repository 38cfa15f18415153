// Timers of one simulated component, all cancelled together when the demo cluster closes.
// They are unref'd: a forgotten demo cluster never keeps a process alive.

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    t.unref();
    this.pending.add(t);
  }

  every(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setInterval(fn, ms);
    t.unref();
    this.pending.add(t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}
