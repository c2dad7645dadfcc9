/** Satisfaction as a table for people: per scenario, per requirement, then the verdict. */
import type { SatisfactionReport } from "../scenarios/index.js";

export function formatSatisfaction(report: SatisfactionReport): string {
  const width = Math.max(8, ...report.scenarios.map((s) => s.id.length + (s.must_pass ? 7 : 0)));
  const lines = [`${"scenario".padEnd(width)}  satisfied  trajectories  failures`];
  for (const scenario of report.scenarios) {
    const kinds = new Map<string, number>();
    for (const f of scenario.failures) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
    const name = `${scenario.id}${scenario.must_pass ? " (must)" : ""}`;
    lines.push(
      `${name.padEnd(width)}  ${percent(scenario.satisfaction).padStart(9)}  ${String(scenario.trajectories).padStart(12)}  ${[...kinds].map(([k, n]) => `${k} ×${n}`).join(", ") || "-"}`,
    );
  }
  lines.push("", `${"requirement".padEnd(width)}  satisfied  trajectories`);
  for (const r of report.requirements)
    lines.push(
      `${r.id.padEnd(width)}  ${percent(r.satisfaction).padStart(9)}  ${String(r.trajectories).padStart(12)}`,
    );
  for (const problem of report.problems) lines.push("", `✗ ${problem.file}: ${problem.message}`);
  const why = [
    report.satisfaction < report.threshold ? `below ${percent(report.threshold)}` : "",
    report.must_pass_failed.length ? `must-pass failed: ${report.must_pass_failed.join(", ")}` : "",
    report.problems.length ? `${report.problems.length} scenario file(s) could not run` : "",
  ].filter(Boolean);
  lines.push(
    "",
    `${report.passed ? "✓ satisfied" : "✗ unsatisfied"}: ${percent(report.satisfaction)} of ${report.trajectories} trajectories (threshold ${percent(report.threshold)})${why.length ? `; ${why.join("; ")}` : ""}`,
  );
  return lines.join("\n");
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
