import type { Command } from "commander";
import type { Home } from "../../home/index.js";
import {
  type BoltLogEntry,
  collectGarbage,
  FAILURE_LINE,
  readBoltLog,
} from "../../pipeline/index.js";
import { type CommandOutcome, withHome } from "../context.js";
import type { Register } from "../register.js";

/** Lines of a command's output shown under it; the whole of it is in the audit entry. */
const OUTPUT_LINES = 8;

export const registerLogs: Register = (program, run) => {
  program
    .command("logs")
    .description(
      "what each agent and stage of a bolt did: actions, commands with exit codes and output",
    )
    .argument("<bolt>")
    .option("--node <id>", "only this node")
    .action((boltId: string, options: { node?: string }, command: Command) =>
      run(command, (context) => withHome(context, (home) => logs(home, boltId, options.node))),
    );
  program
    .command("gc")
    .description(
      "remove the worktrees and branches of finished bolts (their journal and audit trail stay)",
    )
    .action((_o: unknown, command: Command) =>
      run(command, (context) =>
        withHome(context, async (home) => {
          const collected = await collectGarbage(home, context.actor);
          const lines = collected.map(
            (c) =>
              `  ${c.bolt} (${c.status}): ${c.worktrees} worktrees, ${c.branches.length} branches`,
          );
          return {
            exitCode: 0,
            json: { collected },
            text:
              collected.length === 0
                ? "nothing to collect: no finished bolt has worktrees or branches left"
                : [`collected ${collected.length} finished bolts`, ...lines].join("\n"),
          };
        }),
      ),
    );
};

async function logs(home: Home, boltId: string, node?: string): Promise<CommandOutcome> {
  const entries = await readBoltLog(home, boltId, node ? { node } : {});
  const lines: string[] = [];
  let place = "";
  for (const entry of entries) {
    const here = entry.node ?? "(bolt)";
    if (here !== place) {
      lines.push(`${here}`);
      place = here;
    }
    lines.push(...describeEntry(entry).map((line) => `  ${line}`));
  }
  return {
    exitCode: 0,
    json: { bolt: boltId, entries },
    text:
      lines.length > 0 ? lines.join("\n") : `no entries for ${boltId}${node ? ` at ${node}` : ""}`,
  };
}

function describeEntry(entry: BoltLogEntry): string[] {
  const d = entry.data;
  const who = entry.actor.startsWith("agent:")
    ? `${entry.actor.slice(6)} ${d.task ?? ""}#${d.attempt ?? "?"}`
    : entry.actor;
  const verb = entry.action.replace(/^agent\./, "");
  switch (entry.action) {
    case "agent.run": {
      const code = d.timedOut ? "timed out" : `exit ${d.exitCode ?? d.signal}`;
      return [`${who}: run \`${d.command}\` → ${code} in ${d.ms} ms`, ...excerpt(d.output)];
    }
    case "agent.refused":
      return [`${who}: REFUSED ${d.tool} ${d.path}: ${d.reason} (${d.message})`];
    case "agent.read":
    case "agent.write":
    case "agent.edit":
    case "agent.list":
    case "agent.search":
      return [`${who}: ${verb} ${d.path}${detail(d)}`];
    case "agent.model_call":
      return [
        `${who}: ${d.model} step ${d.step} → ${d.stopReason}${
          (d.toolCalls as string[] | undefined)?.length
            ? ` (${(d.toolCalls as string[]).join(", ")})`
            : ""
        }, ${d.inputTokens}+${d.outputTokens} tokens, ${d.unpriced ? "unpriced" : `$${Number(d.costUsd).toFixed(4)}`}, ${d.ms} ms`,
      ];
    case "agent.model_error":
      return [
        `${who}: ${d.model} attempt ${d.attempt} FAILED ${d.kind}${d.status ? ` ${d.status}` : ""}: ${d.message}${
          d.retryInMs !== undefined ? `; retry in ${d.retryInMs} ms` : ""
        }`,
      ];
    case "agent.finish":
    case "agent.give_up":
      return [`${who}: ${verb === "finish" ? "finished" : "gave up"}: ${String(d.summary).trim()}`];
    case "node.outcome":
      return [
        `→ ${d.status}${d.next ? `, next ${d.next}` : ""}${d.failure_reason ? `: ${d.failure_reason}` : ""}`,
      ];
    case "test.run":
      return [
        `tests \`${d.command}\` on ${String(d.commit).slice(0, 8)} → exit ${d.exitCode}${
          d.tests !== undefined ? `, ${d.passed}/${d.tests} passed` : ""
        } in ${d.ms} ms`,
      ];
    case "gate.decide": {
      const risk = d.risk as { level: string; reasons: string[] };
      const approval = d.approval as { count: number; roles: string[] };
      const rules = (
        d.rules as { id: string; decision: string; message: string; error?: string }[]
      ).map(
        (r) =>
          `  ${r.decision === "deny" ? "DENIED" : r.decision === "require_approval" ? "needs approval" : "noted"} by ${r.id}: ${r.error ?? r.message}`,
      );
      return [
        `gate ${d.decision} by ${(d.passed as string[]).length + rules.length} rules, risk ${risk.level}${risk.reasons.length ? ` (${risk.reasons.join("; ")})` : ""}${approval.count > 0 ? `; release needs ${approval.count} approval(s) by ${approval.roles.join("/")}` : ""}`,
        ...rules,
      ];
    }
    case "build.conflict":
      return [
        `conflict: ${d.task} attempt ${d.attempt} in ${(d.files as string[]).join(", ")}; back to its builder`,
      ];
    case "release.merge":
      return [`released: ${d.main} at ${d.commit} (Audit-Head ${d.auditHead})`];
    default:
      return [
        `${entry.actor} ${entry.action}${Object.keys(d).length ? ` ${JSON.stringify(d)}` : ""}`,
      ];
  }
}

/** A command's failures first (a test runner's `not ok`, an error), then its last lines. */
function excerpt(output: unknown): string[] {
  const lines = String(output ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const failures = lines.filter((line) => FAILURE_LINE.test(line));
  const tail = lines.slice(-OUTPUT_LINES + Math.min(failures.length, 4));
  const shown = [...failures.slice(0, 4).filter((line) => !tail.includes(line)), ...tail];
  return shown.map((line) => `      │ ${line.slice(0, 160)}`);
}

function detail(d: Record<string, unknown>): string {
  if (d.bytes !== undefined) return ` (${d.bytes} bytes)`;
  if (d.replacements !== undefined) return ` (${d.replacements} replaced)`;
  if (d.lines !== undefined) return ` (${d.lines} lines)`;
  if (d.matches !== undefined) return ` (${d.matches} matches)`;
  return "";
}
