/** The github twin's signed webhooks, received by a real server on 127.0.0.1. */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  b64,
  branchFrom,
  closeOpened,
  opened,
  seedRepo,
  start,
  writeFile,
} from "./test-support.js";

afterEach(closeOpened);

describe("github twin: webhooks", () => {
  it("POSTs signed events, retried when the receiver fails", async () => {
    const secret = "whsec_twin";
    const received: Array<{
      event: string;
      delivery: string;
      body: string;
      valid: boolean;
      action?: string;
    }> = [];
    let failNext = true;
    const receiver: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        if (failNext) {
          failNext = false;
          res.writeHead(500).end();
          return;
        }
        // As @octokit/webhooks-methods verifies: HMAC-SHA256 of the raw body, compared in constant time.
        const expected = Buffer.from(
          `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        );
        const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
        const valid = given.length === expected.length && timingSafeEqual(given, expected);
        received.push({
          event: String(req.headers["x-github-event"]),
          delivery: String(req.headers["x-github-delivery"]),
          body,
          valid,
          action: (JSON.parse(body) as { action?: string }).action,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    opened.push({ close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) });
    const port = (receiver.address() as AddressInfo).port;
    const { twin, octokit } = await start({
      options: {
        webhookUrl: `http://127.0.0.1:${port}/hook`,
        webhookSecret: secret,
        webhookBackoffMs: 10,
      },
    });
    await seedRepo(octokit);
    await twin.settle();
    expect(received.map((r) => r.event)).toEqual(["push"]); // the first attempt failed, the retry landed
    await branchFrom(octokit, "demo", "f");
    await writeFile(octokit, "demo", "f", "f.txt", "f\n");
    const pr = await octokit.rest.pulls.create({
      owner: "octocat",
      repo: "demo",
      title: "F",
      head: "f",
      base: "main",
    });
    await octokit.rest.issues.create({ owner: "octocat", repo: "demo", title: "I" });
    await octokit.rest.issues.createComment({
      owner: "octocat",
      repo: "demo",
      issue_number: 2,
      body: "c",
    });
    await octokit.rest.checks.create({
      owner: "octocat",
      repo: "demo",
      name: "ci",
      head_sha: pr.data.head.sha,
    });
    await octokit.rest.pulls.merge({ owner: "octocat", repo: "demo", pull_number: pr.data.number });
    await twin.settle();
    const seen = received.map((r) => `${r.event}${r.action ? `:${r.action}` : ""}`);
    for (const want of [
      "push",
      "pull_request:opened",
      "issues:opened",
      "issue_comment:created",
      "check_run:created",
      "pull_request:closed",
    ])
      expect(seen).toContain(want);
    expect(received.every((r) => r.valid)).toBe(true);
    expect(new Set(received.map((r) => r.delivery)).size).toBe(received.length);
    const closed = received.find((r) => r.action === "closed");
    const payload = JSON.parse(closed?.body ?? "{}") as {
      pull_request: { merged: boolean };
      repository: { full_name: string };
      sender: { login: string };
    };
    expect(payload.pull_request.merged).toBe(true);
    expect(payload.repository.full_name).toBe("octocat/demo");
    expect(payload.sender.login).toBe("octocat");
    const pushes = received
      .filter((r) => r.event === "push")
      .map((r) => JSON.parse(r.body) as { ref: string; commits: Array<{ added: string[] }> });
    expect(
      pushes.some((p) => p.ref === "refs/heads/f" && p.commits[0]?.added.includes("f.txt")),
    ).toBe(true);
  });
});

describe("github twin: webhook failures", () => {
  it("gives up after the bounded retries and reports the failure in deferredErrors", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { twin, octokit } = await start({
      options: {
        webhookUrl: `http://127.0.0.1:${port}/gone`,
        webhookSecret: "s",
        webhookAttempts: 2,
        webhookBackoffMs: 5,
      },
    });
    await octokit.rest.repos.createForAuthenticatedUser({ name: "demo" });
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: "octocat",
      repo: "demo",
      path: "a.txt",
      message: "a",
      content: b64("a"),
    });
    await twin.settle();
    const failures = twin.deferredErrors();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toMatch(/^webhook push .* failed after 2 attempts/);
  });
});
