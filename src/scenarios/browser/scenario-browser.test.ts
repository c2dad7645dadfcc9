import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../common/index.js";
import { openScenarioBrowser, type ScenarioBrowser } from "./scenario-browser.js";

const PAGES: Record<string, string> = {
  "/": `<!doctype html><title>pay</title>
<input id="amount"><button id="pay" onclick="pay()">Pay</button><p id="status">Waiting</p>
<script>function pay() {
  document.getElementById("status").textContent = "Paid " + document.getElementById("amount").value;
}</script>`,
  "/storage": `<!doctype html><title>storage</title>
<p id="stored"></p><p id="cookie"></p><button id="remember" onclick="remember()">Remember</button>
<script>
document.getElementById("stored").textContent = "stored: " + (localStorage.getItem("k") ?? "nothing");
document.getElementById("cookie").textContent = "cookie: " + (document.cookie || "nothing");
function remember() { localStorage.setItem("k", "kept"); document.cookie = "seen=yes"; }
</script>`,
  "/leak": `<!doctype html><title>leak</title><p id="leak">pending</p>
<script>fetch(OUTSIDE + "/ping").then(
  () => { document.getElementById("leak").textContent = "reached"; },
  () => { document.getElementById("leak").textContent = "blocked"; },
);</script>`,
};

/** The product under test, on 127.0.0.1, and a host the browser must not reach (127.0.0.2). */
let product: Server;
let outside: Server;
let baseUrl = "";
let outsideUrl = "";
let outsideHits = 0;
let browser: ScenarioBrowser;

function listen(server: Server, host: string): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, host, () =>
      resolve(`http://${host}:${(server.address() as AddressInfo).port}`),
    );
  });
}

beforeAll(async () => {
  outside = createServer((_req, res) => {
    outsideHits += 1;
    res.writeHead(200, { "access-control-allow-origin": "*" }).end("outside");
  });
  outsideUrl = await listen(outside, "127.0.0.2");
  product = createServer((req, res) => {
    if (req.url === "/redirect") {
      res.writeHead(302, { location: `${outsideUrl}/` }).end();
      return;
    }
    const page = PAGES[req.url ?? ""];
    if (page === undefined) {
      res.writeHead(404).end("not found");
      return;
    }
    const html = page.replace("OUTSIDE", JSON.stringify(outsideUrl));
    res.writeHead(200, { "content-type": "text/html" }).end(html);
  });
  baseUrl = await listen(product, "127.0.0.1");
  browser = await openScenarioBrowser();
}, 20_000);

afterAll(async () => {
  await browser?.close();
  product?.close();
  outside?.close();
});

describe("openScenarioBrowser", () => {
  it("goes to a page, fills a form, clicks and finds the text", async () => {
    const result = await browser.run(
      [
        { goto: "/" },
        { fill: { selector: "#amount", value: "42.50" } },
        { click: "#pay" },
        { expect_text: { selector: "#status", text: "Paid 42.50" } },
        { expect_text: { text: "Paid" } },
      ],
      baseUrl,
      { timeoutMs: 8_000 },
    );
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.observations).toEqual([
      "goto /: 200",
      "fill #amount",
      "click #pay",
      "text found in #status",
      "text found in the page body",
    ]);
  });

  it("fails on text that is not there, naming the action without quoting the text", async () => {
    const result = await browser.run(
      [
        { goto: "/" },
        { click: "#pay" },
        { expect_text: { selector: "#status", text: "Refund approved" } },
      ],
      baseUrl,
      { timeoutMs: 1_500 },
    );
    expect(result.ok).toBe(false);
    expect(result.failure?.action).toBe(2);
    expect(result.failure?.kind).toBe("timeout");
    expect(result.failure?.message).toContain("#status");
    expect(result.failure?.message).not.toContain("Refund approved");
    expect(JSON.stringify(result)).not.toMatch(/refund/i);
  });

  it("does not find text that is only in a script", async () => {
    const result = await browser.run([{ goto: "/" }, { expect_text: { text: "Paid" } }], baseUrl, {
      timeoutMs: 1_000,
    });
    expect(result.failure).toMatchObject({ action: 1, kind: "timeout" });
  });

  it("fails a click on a missing element within the step's time", async () => {
    const started = Date.now();
    const result = await browser.run([{ goto: "/" }, { click: "#missing" }], baseUrl, {
      timeoutMs: 1_500,
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result.ok).toBe(false);
    expect(result.failure?.action).toBe(1);
    expect(result.failure?.kind).toBe("timeout");
    expect(result.failure?.message).toContain("click #missing");
    expect(result.observations).toEqual(["goto /: 200"]);
  });

  it("refuses to go anywhere but loopback", async () => {
    for (const target of ["http://example.com/", "//example.com/x", "file:///etc/passwd"]) {
      const started = Date.now();
      const result = await browser.run([{ goto: target }], baseUrl, { timeoutMs: 5_000 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(result.failure).toMatchObject({ action: 0, kind: "browser" });
      expect(result.failure?.message).toContain("refused");
      expect(result.observations).toEqual([]);
    }
  });

  it("reaches the product by localhost too", async () => {
    const result = await browser.run(
      [{ goto: "/" }, { expect_text: { selector: "#status", text: "Waiting" } }],
      baseUrl.replace("127.0.0.1", "localhost"),
      { timeoutMs: 5_000 },
    );
    expect(result.failure).toBeUndefined();
  });

  it("blocks what a page asks of other hosts, and redirects to them", async () => {
    const leak = await browser.run(
      [{ goto: "/leak" }, { expect_text: { selector: "#leak", text: "blocked" } }],
      baseUrl,
      { timeoutMs: 5_000 },
    );
    expect(leak.failure).toBeUndefined();
    const redirect = await browser.run([{ goto: "/redirect" }], baseUrl, { timeoutMs: 5_000 });
    expect(redirect.failure).toMatchObject({ action: 0, kind: "browser" });
    expect(outsideHits).toBe(0);
  });

  it("gives each run a fresh context: no cookies or storage carried over", async () => {
    const first = await browser.run(
      [
        { goto: "/storage" },
        { expect_text: { selector: "#stored", text: "stored: nothing" } },
        { click: "#remember" },
        { goto: "/storage" },
        { expect_text: { selector: "#stored", text: "stored: kept" } },
        { expect_text: { selector: "#cookie", text: "cookie: seen=yes" } },
      ],
      baseUrl,
      { timeoutMs: 5_000 },
    );
    expect(first.failure).toBeUndefined();
    const second = await browser.run(
      [
        { goto: "/storage" },
        { expect_text: { selector: "#stored", text: "stored: nothing" } },
        { expect_text: { selector: "#cookie", text: "cookie: nothing" } },
      ],
      baseUrl,
      { timeoutMs: 5_000 },
    );
    expect(second.failure).toBeUndefined();
  });

  it("stops at once when the signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await browser.run([{ goto: "/" }, { click: "#missing" }], baseUrl, {
      timeoutMs: 8_000,
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.failure).toMatchObject({ kind: "timeout", message: "the run was aborted" });
  });

  it("names the apt package when chromium is missing", async () => {
    const opening = openScenarioBrowser({ executablePath: "/nonexistent/chromium" });
    await expect(opening).rejects.toBeInstanceOf(InputError);
    await expect(opening).rejects.toMatchObject({
      code: "chromium-missing",
      hint: expect.stringContaining("apt-get install chromium"),
    });
  });

  it("ends the chromium processes on close", async () => {
    const before = new Set(descendants(process.pid));
    const own = await openScenarioBrowser();
    const launched = descendants(process.pid).filter((pid) => !before.has(pid));
    expect(launched.length).toBeGreaterThan(0);
    await own.close();
    const deadline = Date.now() + 3_000;
    while (launched.some(isAlive) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(launched.filter(isAlive)).toEqual([]);
    await expect(own.run([{ goto: "/" }], baseUrl, { timeoutMs: 1_000 })).rejects.toThrow(/closed/);
  });
});

/** Every live process below `root`, from /proc (Linux). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function parentOf(pid: number): number | undefined {
  try {
    // The command name is in parentheses and may hold spaces; the fields after it do not.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : Number(fields[1]);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
