// The holdout holds (DESIGN §1, §5, §6): a builder in a real bolt, on the bwrap sandbox, tries
// to read the home's scenarios through its file tools (up the tree, by absolute path, through
// symlinks it made, list and search) and through its commands (cat, find, grep, env, git log,
// the store). Each attempt must be refused or print nothing of the scenario, and be audited;
// the marker must end up nowhere the bolt wrote. Each claim has a control run outside the
// confinement showing the same path or command does reach the marker there.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../src/store/index.js";
import { createFileTools } from "../src/workspace/index.js";
import { expectAuditIntact, git, readAudit } from "./fixtures/bolt/bolt-home.js";
import {
  FILE,
  filesUnder,
  holding,
  type IsolationBolt,
  isolationBolt,
  linksCommand,
  MARKER,
  PREFIX,
  type ToolProbe,
  toolProbes,
  toolSession,
  UP,
} from "./scenario-isolation.fixture.js";

let bolt: IsolationBolt;
const probes: ToolProbe[] = [];
let session: Awaited<ReturnType<typeof toolSession>>;
beforeAll(async () => {
  bolt = await isolationBolt();
  probes.push(...toolProbes(bolt.fx));
  session = await toolSession(bolt, probes);
}, 60_000);
afterAll(() => bolt?.fx.cleanup());

const sh = (command: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }) =>
  execFileSync("/bin/sh", ["-c", command], { encoding: "utf8", env });

describe("a builder looking for the holdout scenarios", () => {
  it("runs the bolt through to release, every command on bwrap", () => {
    const { result, detected, sandboxRuns } = bolt;
    expect(result.status, JSON.stringify(result.outcome)).toBe("succeeded");
    expect(result.completed).toContain("release");
    expect(detected).toBe("bwrap");
    const commands = bolt.steps
      .map((s) => (s.action.run as { command: string } | undefined)?.command)
      .filter((c): c is string => c !== undefined);
    expect(sandboxRuns.filter((r) => commands.includes(r.command))).toHaveLength(commands.length);
    expect(new Set(sandboxRuns.map((r) => r.mode))).toEqual(new Set(["bwrap"]));
  });

  it("is refused or shown nothing, and each attempt is audited in order", async () => {
    const entries = (await readAudit(bolt.fx.home)).filter(
      (e) => e.actor === "agent:builder" && (e.data as { task?: string }).task === "probe",
    );
    expect(entries.map((e) => e.action)).toHaveLength(bolt.steps.length);
    for (const [i, step] of bolt.steps.entries()) {
      const entry = entries[i] as AuditEntry;
      expect(entry.subject).toBe(`bolt:${bolt.result.boltId}/build`);
      step.check(entry);
    }
  });

  it("is refused by list and search too, which never follow the links it made", () => {
    const { values, entries } = session;
    expect(entries).toHaveLength(probes.length + 2);
    expect(entries[0]).toMatchObject({
      action: "agent.run",
      data: { command: linksCommand(bolt.fx), exitCode: 0 },
    });
    for (const [i, probe] of probes.entries()) probe.check(entries[i + 1] as AuditEntry, values[i]);
    expect(entries.at(-1)?.action).toBe("agent.finish");
    expect(JSON.stringify(values)).not.toContain(MARKER);
  });

  it("controls: outside the confinement the same paths and commands reach the marker", async () => {
    const { fx, scenario, worktree } = bolt;
    expect(sh(`cat ${scenario}`)).toContain(MARKER);
    expect(readFileSync(resolve(worktree, `${UP}scenarios/${FILE}`), "utf8")).toContain(MARKER);
    // The links (as the session made them again) are real ways to the scenario, on the host.
    for (const path of [`link/${FILE}`, "leak.yaml", `rel-link/${FILE}`])
      expect(readFileSync(join(worktree, path), "utf8"), path).toContain(MARKER);
    expect(sh(`grep -rl ${PREFIX} ${fx.work}`)).toContain(`scenarios/${FILE}`);
    expect(sh(`od -c ${fx.home}/.factory/state.db | head -1`)).toContain("S   Q   L   i   t   e");
    // The factory's environment names the home; the sandbox's `env` did not.
    expect(sh("env", bolt.factoryEnv)).toContain(`FACTORY_HOME=${fx.home}`);
    // File tools over the home itself would list, search and read it.
    const open = createFileTools({ worktree: fx.home });
    const found = await open.search(PREFIX, { path: "scenarios" });
    expect(found.ok && found.value.matches.map((m) => m.path)).toContain(`scenarios/${FILE}`);
    const listed = await open.list("scenarios");
    expect(listed.ok && listed.value.entries.map((e) => e.path)).toContain(`scenarios/${FILE}`);
  });

  it("leaves the marker in no run artifact, worktree, store or product history", async () => {
    const { fx, result } = bolt;
    const runDir = join(fx.home, ".factory", "runs", result.boltId);
    // The run folder records the commands, so the search does read what they say.
    expect(holding(runDir, PREFIX).length).toBeGreaterThan(0);
    expect(holding(runDir, MARKER)).toEqual([]);
    const worktrees = join(fx.home, ".factory", "worktrees", result.boltId);
    expect(filesUnder(worktrees).length).toBeGreaterThan(0);
    expect(holding(worktrees, MARKER)).toEqual([]);
    // The whole home, its database included: only the scenario holds it.
    expect(holding(fx.home, MARKER)).toEqual([bolt.scenario]);
    expect(JSON.stringify(await readAudit(fx.home))).not.toContain(MARKER);
    const history = git(fx.product, "log", "--all", "-p");
    expect(history).toContain("Looked for the holdout.");
    expect(history).not.toContain(PREFIX);
  });

  it("keeps the audit chain intact", async () => {
    await expectAuditIntact(bolt.fx.home, (await readAudit(bolt.fx.home)).length);
  });
});
