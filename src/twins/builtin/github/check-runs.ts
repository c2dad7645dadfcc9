/** Check runs: create, get and update one; list a ref's (the latest per name by default). */
import type { Context } from "hono";
import { type GithubApi, repoOf } from "./api.js";
import { resolve } from "./git.js";
import {
  check,
  GithubError,
  json,
  notFound,
  paginate,
  readJson,
  validationFailed,
  withLink,
} from "./http.js";
import { checkRun } from "./render/check-runs.js";
import { type CheckRunRecord, newId, nodeId, type RepoRecord } from "./state.js";
import { emit } from "./webhooks.js";

const CHECK_STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
];

export function checkRunRoutes(api: GithubApi): void {
  const { twin, urls, now, get, post, patch } = api;

  const checkRunBody = (body: Record<string, unknown>, required: string[]) => {
    check(
      body,
      {
        name: "string",
        head_sha: "string",
        status: "string",
        conclusion: "string",
        details_url: "string",
        external_id: "string",
        started_at: "string",
        completed_at: "string",
        output: "object",
      },
      required,
    );
    if (body.status !== undefined && !CHECK_STATUSES.includes(body.status as string))
      throw validationFailed([{ resource: "CheckRun", field: "status", code: "invalid" }]);
    if (body.conclusion !== undefined && !CHECK_CONCLUSIONS.includes(body.conclusion as string))
      throw validationFailed([{ resource: "CheckRun", field: "conclusion", code: "invalid" }]);
    const output = body.output as Record<string, unknown> | undefined;
    if (output && (typeof output.title !== "string" || typeof output.summary !== "string"))
      throw validationFailed([{ resource: "CheckRun", field: "output", code: "missing_field" }]);
  };

  const applyCheckRun = (run: CheckRunRecord, body: Record<string, unknown>) => {
    if (typeof body.name === "string") run.name = body.name;
    if (typeof body.details_url === "string") run.details_url = body.details_url;
    if (typeof body.external_id === "string") run.external_id = body.external_id;
    if (typeof body.started_at === "string") run.started_at = body.started_at;
    if (typeof body.status === "string") run.status = body.status;
    if (typeof body.conclusion === "string") {
      run.conclusion = body.conclusion;
      run.status = "completed";
    }
    if (run.status === "completed") {
      if (run.conclusion === null)
        throw validationFailed([
          { resource: "CheckRun", field: "conclusion", code: "missing_field" },
        ]);
      run.completed_at = (body.completed_at as string | undefined) ?? run.completed_at ?? now();
    }
    const output = body.output as Record<string, unknown> | undefined;
    if (output)
      run.output = {
        title: output.title as string,
        summary: output.summary as string,
        text: typeof output.text === "string" ? output.text : null,
      };
  };

  post("/repos/:owner/:repo/check-runs", async (c, user) => {
    const repo = repoOf(api, c, user, true);
    const body = await readJson(c);
    checkRunBody(body, ["name", "head_sha"]);
    const headSha = body.head_sha as string;
    if (!repo.commits[headSha]) throw new GithubError(422, `No commit found for SHA: ${headSha}`);
    repo.check_suites[headSha] ??= newId(twin.random);
    const run: CheckRunRecord = {
      id: newId(twin.random),
      node_id: nodeId(twin.random, "CR"),
      name: body.name as string,
      head_sha: headSha,
      status: "queued",
      conclusion: null,
      details_url: null,
      external_id: null,
      started_at: now(),
      completed_at: null,
      output: { title: null, summary: null, text: null },
      suite_id: repo.check_suites[headSha],
      user: user.login,
    };
    applyCheckRun(run, body);
    repo.check_runs.push(run);
    const rendered = checkRun(urls, twin.state, repo, run);
    emit(api, "check_run", repo, user, { action: "created", check_run: rendered });
    if (run.status === "completed")
      emit(api, "check_run", repo, user, { action: "completed", check_run: rendered });
    return json(201, rendered);
  });

  const runOf = (c: Context, repo: RepoRecord): CheckRunRecord => {
    const raw = c.req.param("id") ?? "";
    const run = /^\d+$/.test(raw)
      ? repo.check_runs.find((entry) => entry.id === Number(raw))
      : undefined;
    if (!run) throw notFound();
    return run;
  };

  get("/repos/:owner/:repo/check-runs/:id", (c, user) => {
    const repo = repoOf(api, c, user);
    return json(200, checkRun(urls, twin.state, repo, runOf(c, repo)));
  });

  patch("/repos/:owner/:repo/check-runs/:id", async (c, user) => {
    const repo = repoOf(api, c, user, true);
    const run = runOf(c, repo);
    const body = await readJson(c);
    checkRunBody(body, []);
    const before = run.status;
    const saved = structuredClone(run);
    try {
      applyCheckRun(run, body);
    } catch (error) {
      Object.assign(run, saved);
      throw error;
    }
    const rendered = checkRun(urls, twin.state, repo, run);
    if (run.status === "completed" && before !== "completed")
      emit(api, "check_run", repo, user, { action: "completed", check_run: rendered });
    return json(200, rendered);
  });

  get("/repos/:owner/:repo/commits/:ref{.+}/check-runs", (c, user) => {
    const repo = repoOf(api, c, user);
    const ref = c.req.param("ref") ?? "";
    const sha = resolve(repo, ref);
    if (!sha) throw new GithubError(422, `No commit found for SHA: ${ref}`);
    const name = c.req.query("check_name");
    const status = c.req.query("status");
    let runs = repo.check_runs.filter(
      (run) =>
        run.head_sha === sha &&
        (name === undefined || run.name === name) &&
        (status === undefined || run.status === status),
    );
    if ((c.req.query("filter") ?? "latest") === "latest") {
      const latest = new Map<string, CheckRunRecord>();
      for (const run of runs) latest.set(run.name, run);
      runs = runs.filter((run) => latest.get(run.name) === run);
    }
    const { page, link } = paginate(c, runs);
    return withLink(
      200,
      {
        total_count: runs.length,
        check_runs: page.map((run) => checkRun(urls, twin.state, repo, run)),
      },
      link,
    );
  });
}
