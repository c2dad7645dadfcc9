/** The run's key-value context (§5.1). The engine is single-threaded, so no locks are needed; parallel branches get clones. */
export class RunContext {
  private readonly values: Map<string, unknown>;

  constructor(values: Iterable<[string, unknown]> = []) {
    this.values = new Map(values);
  }

  get(key: string): unknown {
    return this.values.get(key);
  }

  getString(key: string, fallback = ""): string {
    const value = this.values.get(key);
    return value === undefined || value === null ? fallback : String(value);
  }

  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  applyUpdates(updates: Record<string, unknown> | undefined): void {
    if (!updates) return;
    for (const [key, value] of Object.entries(updates)) this.values.set(key, value);
  }

  /** A JSON-safe deep copy, for checkpoints and journals. */
  snapshot(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(Object.fromEntries(this.values))) as Record<string, unknown>;
  }

  clone(): RunContext {
    return new RunContext(Object.entries(this.snapshot()));
  }

  asMap(): ReadonlyMap<string, unknown> {
    return this.values;
  }
}
