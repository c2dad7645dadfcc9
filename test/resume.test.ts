// Durability as a user meets it: a real `factory run` killed with SIGKILL at every node
// boundary and after the side effect, then `factory resume`: the same final state, the
// side effect done once, and an intact audit chain.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factory, projectRoot } from "./support/factory-cli.js";

const ten = join(projectRoot, "test", "fixtures", "ten-nodes.dot");
const gate = join(projectRoot, "test", "fixtures", "gate.dot");
const order = ["start", "prepare", "count", "check", "effect", "verify", "note", "summary"];

let work: string;
let home: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "df-resume-"));
  home = join(work, "home");
  expect((await factory(["init", home], { cwd: work })).code).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Final {
  status: string;
  completed: string[];
  context: Record<string, unknown>;
  effects: string[];
}

async function finalState(boltId: string): Promise<Final> {
  const status = JSON.parse(
    (await factory(["status", boltId, "--json"], { cwd: home })).stdout,
  ) as { status: string };
  const runDir = join(home, ".factory", "runs", boltId);
  const checkpoint = JSON.parse(readFileSync(join(runDir, "checkpoint.json"), "utf8")) as {
    completed_nodes: string[];
    context: Record<string, unknown>;
  };
  const effects = existsSync(join(runDir, "effects.log"))
    ? readFileSync(join(runDir, "effects.log"), "utf8").trim().split("\n")
    : [];
  // Ids and times differ between bolts by design; everything else must match.
  const { current_node: _current, ...context } = checkpoint.context;
  return {
    status: status.status,
    completed: checkpoint.completed_nodes,
    context,
    effects: effects.map((e) => e.replace(boltId, "<bolt>")),
  };
}

describe("kill -9 and resume", () => {
  let reference: Final;
  beforeAll(async () => {
    const run = await factory(["run", "--pipeline", ten, "--json"], { cwd: home });
    expect(run.code, run.stderr).toBe(0);
    reference = await finalState((JSON.parse(run.stdout) as { bolt: string }).bolt);
    expect(reference.completed).toEqual([...order, "exit"]);
    expect(reference.effects).toEqual(["<bolt>:effect:1:1"]);
  });

  const points = [
    ...order.map((node) => `node-done:${node}`),
    "node-start:effect",
    "after-effect:effect",
    "node-start:prepare",
    "after-effect:summary",
  ];
  it.each(points)("reaches the same end after a kill at %s", async (point) => {
    const killed = await factory(["run", "--pipeline", ten, "--json"], {
      cwd: home,
      env: { FACTORY_TEST_KILL_AT: point },
    });
    expect(killed.code, `${point}: ${killed.stderr}`).toBe(137);
    const runs = JSON.parse(
      (await factory(["runs", "--json", "--limit", "1"], { cwd: home })).stdout,
    ) as { bolts: { bolt: string; status: string }[] };
    const boltId = runs.bolts[0]?.bolt ?? "";
    expect(runs.bolts[0]?.status).toBe("running");

    const resumed = await factory(["resume", boltId, "--json"], { cwd: home });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await finalState(boltId)).toEqual(reference);
    const verify = await factory(["audit", "verify", "--json"], { cwd: home });
    expect(verify.code, verify.stdout).toBe(0);
  });

  it("lets exactly one of two simultaneous resumes drive the bolt, the other naming the holder", async () => {
    const slow = join(projectRoot, "test", "fixtures", "slow.dot");
    const killed = await factory(["run", "--pipeline", slow], {
      cwd: home,
      env: { FACTORY_TEST_KILL_AT: "node-done:prepare" },
    });
    expect(killed.code).toBe(137);
    const runs = JSON.parse(
      (await factory(["runs", "--json", "--limit", "1"], { cwd: home })).stdout,
    ) as { bolts: { bolt: string }[] };
    const boltId = runs.bolts[0]?.bolt ?? "";
    const [a, b] = await Promise.all([
      factory(["resume", boltId], { cwd: home }),
      factory(["resume", boltId], { cwd: home }),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toMatch(/is being driven by \S+:\d+:/);
    expect((await finalState(boltId)).completed).toEqual(["start", "prepare", "hold", "exit"]);
  });
});

describe("interrupting a run", () => {
  it("Ctrl-C kills the running command, leaves the bolt resumable, and resume finishes it", async () => {
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, "bin", "factory.js"),
        "run",
        "--pipeline",
        join(projectRoot, "test", "fixtures", "interruptible.dot"),
      ],
      {
        cwd: home,
        env: { ...process.env, FACTORY_HOME: "", FACTORY_TEST_KILL_AT: "" },
      },
    );
    let stderr = "";
    const exited = new Promise<number | null>((resolve) =>
      child.on("close", (code) => resolve(code)),
    );
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("▸ long")) resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGINT");
    expect(await exited).toBe(1);
    expect(stderr).toContain("was interrupted");
    const runs = JSON.parse(
      (await factory(["runs", "--json", "--limit", "1"], { cwd: home })).stdout,
    ) as { bolts: { bolt: string; status: string }[] };
    const bolt = runs.bolts[0];
    expect(bolt?.status).toBe("running");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const runDir = join(home, ".factory", "runs", bolt?.bolt ?? "");
    expect(existsSync(join(runDir, "finished.txt"))).toBe(false);

    const resumed = await factory(["resume", bolt?.bolt ?? ""], { cwd: home });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(join(runDir, "finished.txt"))).toBe(true);
  });
});

describe("human gates", () => {
  it("stops at the gate with exit 3, and approve continues it on the chosen edge", async () => {
    const run = await factory(["run", "--pipeline", gate, "--json"], { cwd: home });
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as {
      bolt: string;
      status: string;
      waiting: { node: string };
    };
    expect(result).toMatchObject({ status: "waiting", waiting: { node: "review" } });
    const status = JSON.parse(
      (await factory(["status", result.bolt, "--json"], { cwd: home })).stdout,
    );
    expect(status).toMatchObject({ status: "waiting", waitingAt: "review" });

    // A typo never picks an edge: it is refused with the choices, and the bolt still waits.
    const typo = await factory(["approve", result.bolt, "review", "--label", "Fx"], { cwd: home });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"Fx" is not a choice at review');
    expect(typo.stderr).toContain('"[F] Fix" (F)');
    const stillWaiting = await factory(["status", result.bolt, "--json"], { cwd: home });
    expect(JSON.parse(stillWaiting.stdout).status).toBe("waiting");

    const approved = await factory(["approve", result.bolt, "review", "--label", "Fix", "--json"], {
      cwd: home,
    });
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout).completed).toEqual([
      "start",
      "build",
      "review",
      "fix",
      "exit",
    ]);
    const runDir = join(home, ".factory", "runs", result.bolt);
    expect(existsSync(join(runDir, "fix.txt"))).toBe(true);
    expect(existsSync(join(runDir, "ship.txt"))).toBe(false);
    const again = await factory(["approve", result.bolt, "review"], { cwd: home });
    expect(again.code).not.toBe(0);
  });

  it("reject fails the gate, and with no fail edge the bolt fails with exit 1", async () => {
    const run = await factory(["run", "--pipeline", gate, "--json"], { cwd: home });
    const boltId = (JSON.parse(run.stdout) as { bolt: string }).bolt;
    const rejected = await factory(
      ["reject", boltId, "review", "--reason", "not today", "--json"],
      { cwd: home },
    );
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({
      status: "failed",
      outcome: { failure_reason: expect.stringContaining("not today") },
    });
  });

  it("cancel stops a waiting bolt, and it cannot be resumed after", async () => {
    const run = await factory(["run", "--pipeline", gate, "--json"], { cwd: home });
    const boltId = (JSON.parse(run.stdout) as { bolt: string }).bolt;
    expect((await factory(["cancel", boltId], { cwd: home })).code).toBe(0);
    const resumed = await factory(["resume", boltId], { cwd: home });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain("cancelled");
  });
});
