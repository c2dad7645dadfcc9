// `factory twin` as a user meets it: a custom twin from the home's twins/, served on
// 127.0.0.1 with a ready line on stdout, faults from a YAML profile, and clear refusals.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factory, projectRoot } from "./support/factory-cli.js";

let home: string;
beforeAll(async () => {
  home = join(mkdtempSync(join(tmpdir(), "df-twin-cli-")), "home");
  expect((await factory(["init", home], { cwd: tmpdir() })).code).toBe(0);
  mkdirSync(join(home, "twins"), { recursive: true });
  writeFileSync(
    join(home, "twins", "notes.ts"),
    `import type { TwinDefinition } from "${join(projectRoot, "src", "twins", "index.js")}";
const twin: TwinDefinition<{ notes: string[] }> = {
  name: "notes",
  description: "a team's own twin",
  initialState: () => ({ notes: [] }),
  routes(app, t) {
    app.post("/notes", async (c) => {
      t.state.notes.push(t.random.id("n_", 6));
      return c.json({ id: t.state.notes.at(-1) }, 201);
    });
  },
  errors: { error: (status, message) => ({ body: { error: message, status } }) },
};
export default twin;
`,
  );
  writeFileSync(
    join(home, "twins", "payments.yaml"),
    `name: payments\ndescription: declared from OpenAPI\nopenapi: ${join(projectRoot, "test", "fixtures", "openapi", "payments.yaml")}\ncrud: true\n`,
  );
  writeFileSync(join(home, "faults.yaml"), "rules:\n  - route: POST /notes\n    error_rate: 1\n");
  writeFileSync(join(home, "bad-faults.yaml"), "rules:\n  - error_rate: 3\n");
});
afterAll(() => rmSync(join(home, ".."), { recursive: true, force: true }));

/** Starts `factory twin serve`, waits for its ready line, and returns it with a way to stop. */
function serve(args: string[]): Promise<{
  ready: { twins: { name: string; url: string }[] };
  stop: () => Promise<number | null>;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(projectRoot, "bin", "factory.js"), "twin", "serve", ...args, "--json"],
      {
        cwd: home,
        env: { ...process.env, FACTORY_HOME: "" },
      },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.stdout.on("data", (d) => {
      out += d;
      if (!out.includes("\n")) return;
      resolve({
        ready: JSON.parse(out.split("\n")[0] ?? ""),
        stop: () =>
          new Promise((done) => {
            child.once("exit", (code) => done(code));
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

describe("factory twin", () => {
  it("lists the home's own twins", async () => {
    const list = await factory(["twin", "list", "--json"], { cwd: home });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).twins).toContainEqual({
      name: "payments",
      description: "declared from OpenAPI",
    });
    expect(JSON.parse(list.stdout).twins).toContainEqual({
      name: "notes",
      description: "a team's own twin",
    });
  });

  it("serves a twin on 127.0.0.1 with one ready line, seeded, until interrupted", async () => {
    const { ready, stop } = await serve(["notes", "--seed", "s1"]);
    expect(ready.twins).toEqual([
      { name: "notes", url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    ]);
    const url = ready.twins[0]?.url;
    const first = await (await fetch(`${url}/notes`, { method: "POST" })).json();
    expect((await fetch(`${url}/__twin/state`)).status).toBe(200);
    expect(await stop()).toBe(0);
    // The same seed gives the same ids in a new process.
    const again = await serve(["notes", "--seed", "s1"]);
    expect(
      await (await fetch(`${again.ready.twins[0]?.url}/notes`, { method: "POST" })).json(),
    ).toEqual(first);
    await again.stop();
  });

  it("applies a fault profile from YAML, and refuses a bad one by line", async () => {
    const { ready, stop } = await serve(["notes", "--faults", "faults.yaml"]);
    const answer = await fetch(`${ready.twins[0]?.url}/notes`, { method: "POST" });
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 503 });
    await stop();
    const bad = await factory(["twin", "serve", "notes", "--faults", "bad-faults.yaml"], {
      cwd: home,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-faults\.yaml:2:\d+/);
  });

  it("scripts the LLM twins with a cassette, which Anthropic's SDK talks to unchanged", async () => {
    writeFileSync(
      join(home, "turns.yaml"),
      "turns:\n  - id: hi\n    match: { last_user_contains: hello }\n    reply: { text: Hello from the cassette. }\n",
    );
    writeFileSync(join(home, "bad-turns.yaml"), "turns:\n  - id: hi\n    reply: {}\n");
    const { ready, stop } = await serve(["anthropic", "--cassette", "turns.yaml"]);
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    const client = new Anthropic({
      apiKey: "sk-ant-cli",
      baseURL: ready.twins[0]?.url,
      maxRetries: 0,
    });
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(message.content[0]).toMatchObject({ type: "text", text: "Hello from the cassette." });
    const unmatched = await client.messages
      .create({
        model: "claude-sonnet-4-5",
        max_tokens: 100,
        messages: [{ role: "user", content: "bye" }],
      })
      .catch((error: Error) => error);
    expect(String(unmatched)).toContain("hi");
    await stop();
    const bad = await factory(["twin", "serve", "anthropic", "--cassette", "bad-turns.yaml"], {
      cwd: home,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("bad-turns.yaml");
    const stray = await factory(["twin", "serve", "notes", "--cassette", "turns.yaml"], {
      cwd: home,
    });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--cassette is for the LLM twins");
  });

  it("refuses an unknown twin with the names it knows", async () => {
    const run = await factory(["twin", "serve", "nots"], { cwd: home });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no twin named nots");
    expect(run.stderr).toContain("did you mean notes?");
  });

  it("serves the four built-in twins at once, each answering at its vendor's paths", async () => {
    const { ready, stop } = await serve(["stripe", "github", "slack", "npm-registry"]);
    const url = Object.fromEntries(ready.twins.map((t) => [t.name, t.url]));
    expect(Object.keys(url)).toEqual(["stripe", "github", "slack", "npm-registry"]);
    const stripe = await fetch(`${url.stripe}/v1/customers`, {
      headers: { authorization: "Bearer sk_test_x" },
    });
    expect(await stripe.json()).toMatchObject({ object: "list" });
    const github = await fetch(`${url.github}/user`, {
      headers: { authorization: "token ghp_octocat" },
    });
    expect(await github.json()).toMatchObject({ login: "octocat" });
    const slack = await fetch(`${url.slack}/api/api.test`, { method: "POST" });
    expect(await slack.json()).toMatchObject({ ok: true });
    const npm = await fetch(`${url["npm-registry"]}/left-pad`);
    expect(await npm.json()).toMatchObject({ name: "left-pad" });
    expect(await stop()).toBe(0);
  });
});
