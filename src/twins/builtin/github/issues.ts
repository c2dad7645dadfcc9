/** Issues and their comments: create, list, get, update (labels, assignees, state). */
import { canPush, type GithubApi, repoOf } from "./api.js";
import {
  check,
  GithubError,
  json,
  numberParam,
  paginate,
  readJson,
  validationFailed,
  withLink,
} from "./http.js";
import {
  closeIssue,
  issueEvent,
  issueOf,
  newIssue,
  pullEvent,
  reopenIssue,
  setAssignees,
  setLabels,
} from "./issue-records.js";
import { comment, issue } from "./render/issues.js";
import { type IssueRecord, newId, nodeId } from "./state.js";
import { emit } from "./webhooks.js";

export function issueRoutes(api: GithubApi): void {
  const { twin, urls, now, get, post, patch } = api;

  post("/repos/:owner/:repo/issues", async (c, user) => {
    const repo = repoOf(api, c, user);
    if (!repo.has_issues) throw new GithubError(410, "Issues are disabled for this repo");
    const body = await readJson(c);
    check(
      body,
      {
        title: "string",
        body: "string|null",
        labels: "array",
        assignees: "array",
        assignee: "string|null",
      },
      ["title"],
    );
    if ((body.title as string).trim() === "")
      throw validationFailed([{ resource: "Issue", field: "title", code: "missing_field" }]);
    const record = newIssue(
      api,
      repo,
      user,
      body.title as string,
      (body.body as string) ?? null,
      false,
    );
    try {
      if (Array.isArray(body.labels)) setLabels(api, repo, record, body.labels);
      const assignees = Array.isArray(body.assignees)
        ? body.assignees
        : typeof body.assignee === "string"
          ? [body.assignee]
          : [];
      setAssignees(api, record, assignees);
    } catch (error) {
      delete repo.issues[String(record.number)];
      repo.next_number--;
      throw error;
    }
    issueEvent(api, repo, user, record, "opened");
    return json(201, issue(urls, twin.state, repo, record));
  });

  get("/repos/:owner/:repo/issues", (c, user) => {
    const repo = repoOf(api, c, user);
    const state = c.req.query("state") ?? "open";
    if (!["open", "closed", "all"].includes(state))
      throw validationFailed([{ resource: "Issue", field: "state", code: "invalid" }]);
    const labels = (c.req.query("labels") ?? "").split(",").filter(Boolean);
    const creator = c.req.query("creator");
    const assignee = c.req.query("assignee");
    const sort = c.req.query("sort") ?? "created";
    const direction = c.req.query("direction") ?? "desc";
    const records = Object.values(repo.issues).filter(
      (record) =>
        (state === "all" || record.state === state) &&
        labels.every((name) => record.labels.some((entry) => entry.name === name)) &&
        (creator === undefined || record.user === creator) &&
        (assignee === undefined ||
          assignee === "*" ||
          (assignee === "none"
            ? record.assignees.length === 0
            : record.assignees.includes(assignee))),
    );
    const keyOf = (record: IssueRecord): [string | number, number] =>
      sort === "updated"
        ? [record.updated_at, record.number]
        : sort === "comments"
          ? [record.comments, record.number]
          : [record.number, record.number];
    records.sort((a, b) => {
      const [ka, na] = keyOf(a);
      const [kb, nb] = keyOf(b);
      return ka < kb ? -1 : ka > kb ? 1 : na - nb;
    });
    if (direction !== "asc") records.reverse();
    const { page, link } = paginate(c, records);
    return withLink(
      200,
      page.map((record) => issue(urls, twin.state, repo, record)),
      link,
    );
  });

  get("/repos/:owner/:repo/issues/:number", (c, user) => {
    const repo = repoOf(api, c, user);
    return json(200, issue(urls, twin.state, repo, issueOf(repo, numberParam(c, "number"))));
  });

  patch("/repos/:owner/:repo/issues/:number", async (c, user) => {
    const repo = repoOf(api, c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const body = await readJson(c);
    check(body, {
      title: "string",
      body: "string|null",
      state: "string",
      state_reason: "string|null",
      labels: "array",
      assignees: "array",
    });
    if (record.user !== user.login && !canPush(repo, user))
      throw new GithubError(403, "Must have push access to update this issue.");
    if (body.state !== undefined && body.state !== "open" && body.state !== "closed")
      throw validationFailed([{ resource: "Issue", field: "state", code: "invalid" }]);
    const before = record.state;
    if (typeof body.title === "string") record.title = body.title;
    if (body.body !== undefined) record.body = body.body as string | null;
    if (Array.isArray(body.labels)) setLabels(api, repo, record, body.labels);
    if (Array.isArray(body.assignees)) setAssignees(api, record, body.assignees);
    record.updated_at = now();
    if (body.state === "closed" && before === "open")
      closeIssue(api, repo, record, user, (body.state_reason as string | null | undefined) ?? null);
    if (body.state === "open" && before === "closed") reopenIssue(api, repo, record);
    const pull = repo.pulls[String(record.number)];
    const action =
      record.state === before ? "edited" : record.state === "closed" ? "closed" : "reopened";
    if (pull) pullEvent(api, repo, user, pull, action);
    else issueEvent(api, repo, user, record, action);
    return json(200, issue(urls, twin.state, repo, record));
  });

  post("/repos/:owner/:repo/issues/:number/comments", async (c, user) => {
    const repo = repoOf(api, c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const body = await readJson(c);
    check(body, { body: "string" }, ["body"]);
    if ((body.body as string).trim() === "")
      throw validationFailed([{ resource: "IssueComment", field: "body", code: "missing_field" }]);
    const created = now();
    const entry = {
      id: newId(twin.random),
      node_id: nodeId(twin.random, "IC"),
      issue: record.number,
      body: body.body as string,
      user: user.login,
      created_at: created,
      updated_at: created,
    };
    repo.comments.push(entry);
    record.comments++;
    record.updated_at = created;
    emit(api, "issue_comment", repo, user, {
      action: "created",
      issue: issue(urls, twin.state, repo, record),
      comment: comment(urls, twin.state, repo, entry),
    });
    return json(201, comment(urls, twin.state, repo, entry));
  });

  get("/repos/:owner/:repo/issues/:number/comments", (c, user) => {
    const repo = repoOf(api, c, user);
    const record = issueOf(repo, numberParam(c, "number"));
    const entries = repo.comments.filter((entry) => entry.issue === record.number);
    const { page, link } = paginate(c, entries);
    return withLink(
      200,
      page.map((entry) => comment(urls, twin.state, repo, entry)),
      link,
    );
  });
}
