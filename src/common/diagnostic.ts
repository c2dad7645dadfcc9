/** A problem found in a file a person wrote, located so an editor can jump to it. */
export interface Diagnostic {
  /** Stable rule id, e.g. `vague-word` or `schema`. */
  rule: string;
  severity: "error" | "warning";
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path inside the document, e.g. `requirements.2.statement`. */
  path?: string;
  /** A suggested fix or rewrite. */
  hint?: string;
}

/** Parsing and validation never throw for bad content: they return the problems. */
export type Parsed<T> =
  | { ok: true; value: T; warnings: Diagnostic[] }
  | { ok: false; issues: Diagnostic[] };

export function countBySeverity(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
} {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === "error") errors++;
  return { errors, warnings: diagnostics.length - errors };
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule),
  );
}

/** `file:line:col severity rule message` with the hint on the next line; one block per diagnostic. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
