// Votes at a human gate through answerGate: quorum, separation of duties, one vote per
// principal, roles, and approvals bound to the integration branch's head.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AccessDeniedError } from "../governance/index.js";
import { type Home, initHome } from "../home/index.js";
import { answerGate } from "./answer-gate.js";
import { cancelBolt, resumeBolt, runPipelineFile } from "./bolts.js";

const PIPELINE = `digraph g {
  start [shape=Mdiamond]
  exit [shape=Msquare]
  approve_release [shape=hexagon, label="Release?"]
  start -> approve_release
  approve_release -> exit [label="[A] Approve"]
}`;

let work: string;
let home: Home;
let product: string;
let pipeline: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-C", product, "-c", "user.name=t", "-c", "user.email=t@x", ...args], {
    encoding: "utf8",
  }).trim();

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), "df-answer-gate-"));
  const laid = await initHome({ dir: work, example: "acme", actor: "user:alice", env: {} });
  home = laid.home;
  product = laid.product as string;
  pipeline = join(work, "gate.dot");
  writeFileSync(pipeline, PIPELINE);
  for (const [name, roles] of [
    ["user:bob", ["approver"]],
    ["user:carol", ["approver"]],
    ["user:dave", ["viewer"]],
  ] as const)
    await home.store.addPrincipal({ name, kind: "person", roles: [...roles] });
});
afterEach(async () => {
  await home.close();
  rmSync(work, { recursive: true, force: true });
});

/** A bolt started by alice, waiting at approve_release under `requirement`. */
async function waitingBolt(requirement?: Record<string, unknown>): Promise<string> {
  const started = await runPipelineFile(home, pipeline, {
    actor: "user:alice",
    env: {},
    ...(requirement ? { context: { "factory.approval.requirement": requirement } } : {}),
  });
  expect(started.status).toBe("waiting");
  return started.boltId;
}
const vote = (bolt: string, actor: string, approve = true) =>
  answerGate(home, bolt, "approve_release", { approve }, { actor, env: {} });
const deniedReasons = async () =>
  (await home.store.readAudit())
    .filter((e) => e.action === "access.denied")
    .map((e) => `${e.actor}:${(e.data as { reason: string }).reason}`);

describe("answerGate", () => {
  it("waits for a quorum of two: the first approval leaves the bolt waiting, the second releases it", async () => {
    const bolt = await waitingBolt({ level: "high", count: 2, roles: ["approver"], commit: "" });
    const first = await vote(bolt, "user:bob");
    expect(first.status).toBe("waiting");
    expect(first.approvals).toEqual({ outcome: "pending", approvals: 1, needed: 2 });
    expect(first.outcome.notes).toContain("1 of 2 approvals");
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");

    const second = await vote(bolt, "user:carol");
    expect(second.approvals).toEqual({ outcome: "approved", approvals: 2, needed: 2 });
    expect(second.status).toBe("succeeded");
    const votes = (await home.store.readAudit()).filter((e) => e.action === "gate.approval");
    expect(votes.map((e) => [e.actor, (e.data as { level: string }).level])).toEqual([
      ["user:bob", "high"],
      ["user:carol", "high"],
    ]);
  });

  it("needs one approver when the bolt names no requirement", async () => {
    const bolt = await waitingBolt();
    expect((await vote(bolt, "user:bob")).status).toBe("succeeded");
  });

  it("refuses the bolt's author, audited, while someone else could vote", async () => {
    const bolt = await waitingBolt();
    const error = await vote(bolt, "user:alice").catch((e) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error.message).toContain("user:alice started bolt");
    expect(await deniedReasons()).toEqual(["user:alice:separation-of-duties"]);
    expect(await home.store.listApprovalVotes(bolt, "approve_release", 1)).toEqual([]);
    // Rejecting your own bolt is a vote too, and refused the same way.
    await expect(vote(bolt, "user:alice", false)).rejects.toBeInstanceOf(AccessDeniedError);
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");
  });

  it("lets the author vote only when no one else in the home could", async () => {
    const bolt = await waitingBolt();
    for (const name of ["user:bob", "user:carol"])
      await home.store.updatePrincipal(name, { disabled: true });
    expect((await vote(bolt, "user:alice")).status).toBe("succeeded");
    const entry = (await home.store.readAudit()).find((e) => e.action === "gate.approval");
    expect(entry?.data).toMatchObject({ principal: "user:alice", author: true });
  });

  it("refuses a viewer, and a role the gate does not count", async () => {
    const bolt = await waitingBolt({ level: "high", count: 1, roles: ["admin"], commit: "" });
    await expect(vote(bolt, "user:dave")).rejects.toThrow(/may not bolt.approve/);
    await expect(vote(bolt, "user:bob")).rejects.toThrow(/counts only admin/);
    expect(await deniedReasons()).toEqual(["user:dave:role", "user:bob:quorum-role"]);
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");
  });

  it("counts one principal once", async () => {
    const bolt = await waitingBolt({ level: "high", count: 2, roles: ["approver"], commit: "" });
    await vote(bolt, "user:bob");
    await expect(vote(bolt, "user:bob")).rejects.toMatchObject({ code: "already-voted" });
    expect(await home.store.listApprovalVotes(bolt, "approve_release", 1)).toHaveLength(1);
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");
  });

  it("answers the gate as rejected at the first reject", async () => {
    const bolt = await waitingBolt({ level: "high", count: 2, roles: ["approver"], commit: "" });
    await vote(bolt, "user:bob");
    const rejected = await vote(bolt, "user:carol", false);
    expect(rejected.approvals.outcome).toBe("rejected");
    expect(rejected.status).not.toBe("waiting");
  });

  it("voids approvals when the integration branch moves after the gate asked", async () => {
    const main = git("rev-parse", "main");
    const bolt = await waitingBolt({ level: "high", count: 2, roles: ["approver"], commit: main });
    git("branch", `factory/${bolt}/integration`, main);
    expect((await vote(bolt, "user:bob")).approvals).toMatchObject({ approvals: 1, needed: 2 });
    const [recorded] = await home.store.listApprovalVotes(bolt, "approve_release", 1);
    expect(recorded?.commit).toBe(main);

    // A builder (or anyone) commits to the integration branch after bob looked.
    git("checkout", "-q", `factory/${bolt}/integration`);
    writeFileSync(join(product, "late.txt"), "changed after the gate\n");
    git("add", "late.txt");
    git("commit", "-q", "-m", "late change");
    const moved = git("rev-parse", "HEAD");
    const error = await vote(bolt, "user:carol").catch((e) => e);
    expect(error).toMatchObject({ code: "approval-void", exitCode: 1 });
    expect(error.message).toBe(
      `the integration branch moved from ${main.slice(0, 12)} to ${moved.slice(0, 12)} since the gate asked; its approvals are void`,
    );
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");
    expect(await home.store.listApprovalVotes(bolt, "approve_release", 1)).toHaveLength(1);
  });
});

describe("bolt entry points", () => {
  it("refuse a principal whose roles do not allow the action", async () => {
    await expect(
      runPipelineFile(home, pipeline, { actor: "user:dave", env: {} }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const bolt = await waitingBolt();
    await expect(resumeBolt(home, bolt, { actor: "user:bob", env: {} })).rejects.toThrow(
      /may not bolt.resume/,
    );
    await expect(cancelBolt(home, bolt, "user:dave")).rejects.toThrow(/may not bolt.cancel/);
    await expect(cancelBolt(home, bolt, "user:mallory")).rejects.toThrow(/not a principal/);
    expect((await home.store.getBolt(bolt))?.status).toBe("waiting");
    expect(await cancelBolt(home, bolt, "user:alice")).toBe("cancelled");
    expect((await home.store.getBolt(bolt))?.createdBy).toBe("user:alice");
  });
});
