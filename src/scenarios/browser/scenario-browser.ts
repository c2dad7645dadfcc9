// The `browser` step of holdout scenarios: Debian's chromium, driven by playwright-core, that
// only ever reaches the product on loopback. One browser per scenario run, one fresh context
// per trajectory.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium, errors, type Page } from "playwright-core";
import { InputError, WorkError } from "../../common/index.js";

export type BrowserAction =
  /** A path on the product ("/refunds") or an absolute URL on 127.0.0.1, localhost or ::1. */
  | { goto: string }
  /** A selector. */
  | { click: string }
  | { fill: { selector: string; value: string } }
  /** The text appears, visibly, in an element the selector matches (or in the page body). */
  | { expect_text: { selector?: string; text: string } };

export interface BrowserStepResult {
  ok: boolean;
  ms: number;
  /** Per action: what happened ("goto /x: 200", "click #pay", "text found in #status"). */
  observations: string[];
  /**
   * When not ok: which action (0-based) and why, in words that never quote the expected text
   * ("the expected text was not found in #status"). An aborted run is a `timeout`.
   */
  failure?: { action: number; kind: "browser" | "timeout"; message: string };
}

export interface ScenarioBrowser {
  /** One fresh browser context per trajectory (no cookies/storage shared between trajectories). */
  run(
    actions: BrowserAction[],
    baseUrl: string,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<BrowserStepResult>;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

// The machine's network is closed: without these chromium keeps calling hosts it cannot reach.
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** How long a fresh context and page may take, before the step's own time starts. */
const SETUP_MS = 15_000;

const INSTALL_HINT =
  "install Debian's chromium (apt-get install chromium), or set DARKFACTORY_CHROMIUM to a chromium binary";

/**
 * Launches one headless chromium for a whole scenario run. The executable is
 * `options.executablePath`, else `DARKFACTORY_CHROMIUM`, else /usr/bin/chromium, else
 * `chromium` on PATH. Throws InputError `chromium-missing` when there is none, WorkError
 * `chromium-launch-failed` when it does not start.
 */
export async function openScenarioBrowser(
  options: { executablePath?: string } = {},
): Promise<ScenarioBrowser> {
  const executablePath = resolveChromium(options.executablePath);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      // Playwright adds --no-sandbox when the sandbox is off; root cannot run it.
      chromiumSandbox: process.getuid?.() !== 0,
      args: CHROMIUM_ARGS,
      // Every host but ours goes to a proxy that is not there (`<-loopback>` drops chromium's
      // own bypass of all of 127.0.0.0/8), so even what `context.route` does not see, such as a
      // redirect, cannot leave.
      proxy: { server: "http://127.0.0.1:1", bypass: ["<-loopback>", ...LOOPBACK_HOSTS].join(",") },
      timeout: 30_000,
    });
  } catch (error) {
    throw new WorkError(
      "chromium-launch-failed",
      `chromium at ${executablePath} did not start: ${firstLine(error)}`,
      {
        hint: `check that "${executablePath} --headless --version" runs; ${INSTALL_HINT}`,
        cause: error,
      },
    );
  }
  let closed = false;
  return {
    run: async (actions, baseUrl, runOptions) => {
      if (closed) throw new WorkError("browser-closed", "the scenario browser is already closed");
      return runActions(browser, actions, baseUrl, runOptions);
    },
    close: async () => {
      closed = true;
      await browser.close();
    },
  };
}

function resolveChromium(explicit: string | undefined): string {
  const chosen = explicit ?? process.env.DARKFACTORY_CHROMIUM;
  if (chosen !== undefined && chosen !== "") {
    if (isExecutable(chosen)) return chosen;
    throw new InputError("chromium-missing", `no chromium executable at ${chosen}`, {
      hint: INSTALL_HINT,
    });
  }
  if (isExecutable("/usr/bin/chromium")) return "/usr/bin/chromium";
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && isExecutable(join(dir, "chromium"))) return join(dir, "chromium");
  }
  throw new InputError("chromium-missing", "chromium is not installed", { hint: INSTALL_HINT });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isLoopback(url: URL): boolean {
  return (
    (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_HOSTS.has(url.hostname)
  );
}

/** A failure in our own words: a refused goto, a page that left loopback, a stopped run. */
class StepFailure extends Error {
  constructor(
    readonly kind: "browser" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

async function runActions(
  browser: Browser,
  actions: BrowserAction[],
  baseUrl: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<BrowserStepResult> {
  const started = performance.now();
  const observations: string[] = [];
  const result = (failure?: BrowserStepResult["failure"]): BrowserStepResult => ({
    ok: failure === undefined,
    ms: Math.round(performance.now() - started),
    observations,
    ...(failure === undefined ? {} : { failure }),
  });

  // Every await below races `stop`, which rejects when the signal aborts or the time runs out:
  // closing a context under a pending Playwright call does not always settle that call.
  let stopWith: (failure: StepFailure) => void = () => {};
  const stop = new Promise<never>((_, reject) => {
    stopWith = reject;
  });
  const onAbort = () => stopWith(new StepFailure("timeout", "the run was aborted"));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timer = setTimeout(
    () => stopWith(new StepFailure("timeout", `chromium did not open a page in ${SETUP_MS} ms`)),
    SETUP_MS,
  );
  stop.catch(() => {});
  const bounded = <T>(operation: Promise<T>): Promise<T> => {
    operation.catch(() => {});
    return Promise.race([operation, stop]);
  };

  let current = -1;
  const opening = browser.newContext({ serviceWorkers: "block", acceptDownloads: false });
  try {
    const context = await bounded(opening);
    // Whatever the page asks for, nothing leaves loopback.
    await bounded(
      context.route(
        (url) => !isLoopback(url),
        (route) => route.abort("blockedbyclient").catch(() => {}),
      ),
    );
    await bounded(
      context.routeWebSocket(
        (url) => !LOOPBACK_HOSTS.has(url.hostname),
        (ws) => ws.close().catch(() => {}),
      ),
    );
    const page = await bounded(context.newPage());
    // The step's time is the product's: it starts once the page is open. The timer fires a
    // little after the deadline, so Playwright's own timeouts (which say more) come first.
    clearTimeout(timer);
    const deadline = performance.now() + options.timeoutMs;
    const ranOut = `the step's ${options.timeoutMs} ms ran out`;
    timer = setTimeout(() => stopWith(new StepFailure("timeout", ranOut)), options.timeoutMs + 500);
    for (const [index, action] of actions.entries()) {
      current = index;
      const timeout = Math.floor(deadline - performance.now());
      if (timeout <= 0)
        throw new StepFailure("timeout", "the step's time ran out before this action");
      observations.push(await bounded(perform(page, action, baseUrl, timeout)));
      // A redirect or a script may have taken the page elsewhere; it must stay on loopback.
      const landed = new URL(page.url());
      if ((landed.protocol === "http:" || landed.protocol === "https:") && !isLoopback(landed)) {
        throw new StepFailure("browser", `the page left loopback for ${landed.host}`);
      }
    }
    return result();
  } catch (error) {
    return result(failureOf(current, actions[current], error));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    // Bounded, since a context that never opened may never close either.
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      opening.then((context) => context.close()),
      new Promise((resolve) => {
        giveUp = setTimeout(resolve, 5_000);
      }),
    ]).catch(() => {});
    clearTimeout(giveUp);
  }
}

/** Does one action and says what happened, or throws. */
async function perform(
  page: Page,
  action: BrowserAction,
  baseUrl: string,
  timeout: number,
): Promise<string> {
  if ("goto" in action) {
    const url = parseTarget(action.goto, baseUrl);
    if (url === undefined || !isLoopback(url)) {
      throw new StepFailure(
        "browser",
        `goto ${action.goto} refused: the scenario browser only reaches http(s) on 127.0.0.1, localhost or ::1`,
      );
    }
    const response = await page.goto(url.href, { timeout });
    return `goto ${action.goto}: ${response?.status() ?? "no response"}`;
  }
  if ("click" in action) {
    await page.click(action.click, { timeout });
    return `click ${action.click}`;
  }
  if ("fill" in action) {
    await page.fill(action.fill.selector, action.fill.value, { timeout });
    return `fill ${action.fill.selector}`;
  }
  await page
    .locator(action.expect_text.selector ?? "body")
    .filter({ hasText: textPattern(action.expect_text.text), visible: true })
    .first()
    .waitFor({ state: "attached", timeout });
  return `text found in ${describeWhere(action.expect_text.selector)}`;
}

function failureOf(
  index: number,
  action: BrowserAction | undefined,
  error: unknown,
): NonNullable<BrowserStepResult["failure"]> {
  const at = Math.max(index, 0);
  if (error instanceof StepFailure) return { action: at, kind: error.kind, message: error.message };
  const kind = error instanceof errors.TimeoutError ? "timeout" : "browser";
  if (index < 0 || action === undefined) {
    return { action: at, kind, message: `the browser could not open a page: ${firstLine(error)}` };
  }
  if ("expect_text" in action) {
    // Playwright's own message would quote the text; ours never does.
    const where = describeWhere(action.expect_text.selector);
    return {
      action: at,
      kind,
      message:
        kind === "timeout"
          ? `the expected text was not found in ${where}`
          : `the browser could not look for the expected text in ${where} (is the selector valid?)`,
    };
  }
  return { action: at, kind, message: `${describe(action)}: ${firstLine(error)}` };
}

function parseTarget(target: string, baseUrl: string): URL | undefined {
  try {
    return new URL(target, baseUrl);
  } catch {
    return undefined;
  }
}

/** The expected text, case-sensitive, with any run of whitespace matching any other. */
function textPattern(text: string): RegExp {
  const words = text.trim().split(/\s+/);
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"));
}

function describeWhere(selector: string | undefined): string {
  return selector === undefined ? "the page body" : selector;
}

function describe(action: BrowserAction): string {
  if ("goto" in action) return `goto ${action.goto}`;
  if ("click" in action) return `click ${action.click}`;
  if ("fill" in action) return `fill ${action.fill.selector}`;
  return `expect_text in ${describeWhere(action.expect_text.selector)}`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
  return (message.split("\n")[0] ?? "").replace(/\u001b\[[0-9;]*m/g, "").trim();
}
