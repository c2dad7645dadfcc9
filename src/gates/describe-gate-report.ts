import type { GateReport } from "./check-change.js";

const MARK = { allow: "✓", deny: "✗", require_approval: "?" } as const;

/**
 * A gate report as lines for people: the decision, then each rule that fired with its
 * evidence (and, with `passed`, the rules that passed), then the risk and its reasons.
 */
export function describeGateReport(
  report: GateReport,
  options: { passed?: boolean; evidence?: number } = {},
): string[] {
  const limit = options.evidence ?? 10;
  const lines: string[] = [];
  for (const rule of report.rules) {
    const fired = rule.fired || rule.error !== undefined;
    if (!fired && !options.passed) continue;
    const mark = fired ? MARK[rule.decision] : "✓";
    const said = rule.error ? `error: ${rule.error}` : fired ? rule.message : "passed";
    lines.push(`${mark} ${rule.id}: ${said}`);
    if (!fired) continue;
    for (const item of rule.evidence.slice(0, limit)) lines.push(`    ${item}`);
    if (rule.evidence.length > limit) lines.push(`    … ${rule.evidence.length - limit} more`);
  }
  const { risk } = report.facts;
  lines.push(
    `risk ${risk.level} (declared ${risk.declared || "none"}, measured ${risk.measured}${risk.reasons.length ? `: ${risk.reasons.join("; ")}` : ""})`,
  );
  for (const problem of report.problems) lines.push(`note: ${problem}`);
  return lines;
}
