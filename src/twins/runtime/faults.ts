/**
 * Faults on a seeded schedule: latency, error rates, timeouts, connection resets and rate
 * limiting by a real request budget (a token bucket), per route or for all.
 */
import { z } from "zod";
import type { RateLimitState, SeededRandom } from "./contract.js";

const latencySchema = z.union([
  z.strictObject({ fixed: z.number().nonnegative() }),
  z.strictObject({ uniform: z.tuple([z.number().nonnegative(), z.number().nonnegative()]) }),
  z.strictObject({
    lognormal: z.strictObject({ median: z.number().positive(), sigma: z.number().positive() }),
  }),
]);

export const faultRuleSchema = z.strictObject({
  /** "METHOD /path" with `*` wildcards; "*" or absent: every route. */
  route: z.string().optional(),
  latency: latencySchema.optional(),
  error_rate: z.number().min(0).max(1).optional(),
  error_status: z.number().int().min(400).max(599).default(503),
  timeout_rate: z.number().min(0).max(1).optional(),
  /** How long a timed-out request hangs before the twin gives up on it. */
  timeout_ms: z.number().int().positive().default(30_000),
  reset_rate: z.number().min(0).max(1).optional(),
  rate_limit: z
    .strictObject({ limit: z.number().int().positive(), per_seconds: z.number().positive() })
    .optional(),
});
export const faultProfileSchema = z.strictObject({
  rules: z.array(faultRuleSchema).default([]),
});
export type FaultProfile = z.input<typeof faultProfileSchema>;
type Rule = z.output<typeof faultRuleSchema>;

export type FaultDecision =
  | { kind: "pass"; delayMs: number }
  | { kind: "error"; delayMs: number; status: number }
  | { kind: "timeout"; delayMs: number; hangMs: number }
  | { kind: "reset"; delayMs: number }
  | { kind: "rate_limit"; delayMs: number; bucket: RateLimitState };

interface Bucket {
  tokens: number;
  /** Real monotonic ms of the last refill: clients back off in real time. */
  refilledAt: number;
}

export interface FaultEngine {
  profile(): z.output<typeof faultProfileSchema>;
  setProfile(profile: FaultProfile): void;
  decide(method: string, path: string, nowSeconds: number): FaultDecision;
  /** The bucket that applies to this route, for headers on every answer; undefined without one. */
  bucketFor(method: string, path: string, nowSeconds: number): RateLimitState | undefined;
  reset(): void;
}

/** A rule's route as a test, compiled once per profile: it runs on every request. */
function routeMatcher(rule: Rule): (method: string, path: string) => boolean {
  if (!rule.route || rule.route === "*") return () => true;
  const [wantMethod = "*", wantPath = "*"] = rule.route.includes(" ")
    ? rule.route.split(/\s+/, 2)
    : ["*", rule.route];
  const method = wantMethod.toUpperCase();
  const pattern = new RegExp(
    `^${wantPath.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`,
  );
  return (given, path) => (method === "*" || method === given.toUpperCase()) && pattern.test(path);
}

export function createFaultEngine(
  random: SeededRandom,
  initial: FaultProfile = {},
  monotonicMs: () => number = () => performance.now(),
): FaultEngine {
  let profile = faultProfileSchema.parse(initial);
  let matchers = profile.rules.map(routeMatcher);
  let buckets = new Map<number, Bucket>();

  const stateOf = (rule: Rule, index: number, nowSeconds: number, take: boolean) => {
    const limit = rule.rate_limit;
    if (!limit) return undefined;
    const perMs = limit.limit / (limit.per_seconds * 1000);
    const now = monotonicMs();
    const bucket = buckets.get(index) ?? { tokens: limit.limit, refilledAt: now };
    bucket.tokens = Math.min(limit.limit, bucket.tokens + (now - bucket.refilledAt) * perMs);
    bucket.refilledAt = now;
    const allowed = bucket.tokens >= 1;
    if (take && allowed) bucket.tokens -= 1;
    buckets.set(index, bucket);
    const missing = limit.limit - bucket.tokens;
    const state: RateLimitState = {
      limit: limit.limit,
      remaining: Math.max(0, Math.floor(bucket.tokens)),
      resetAt: nowSeconds + Math.ceil(missing / perMs / 1000),
      resetAfter: Math.ceil(missing / perMs / 1000),
      retryAfter: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
    };
    return { allowed, state };
  };

  const delayOf = (rule: Rule): number => {
    const latency = rule.latency;
    if (!latency) return 0;
    if ("fixed" in latency) return latency.fixed;
    if ("uniform" in latency) {
      const [low, high] = latency.uniform;
      return Math.round(low + random.next() * (high - low));
    }
    // Box-Muller from two seeded draws.
    const u = Math.max(random.next(), Number.EPSILON);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
    return Math.round(latency.lognormal.median * Math.exp(latency.lognormal.sigma * normal));
  };

  return {
    profile: () => profile,
    setProfile(next) {
      profile = faultProfileSchema.parse(next);
      matchers = profile.rules.map(routeMatcher);
      buckets = new Map();
    },
    reset() {
      buckets = new Map();
    },
    decide(method, path, nowSeconds) {
      let delayMs = 0;
      for (const [index, rule] of profile.rules.entries()) {
        if (!matchers[index]?.(method, path)) continue;
        delayMs += delayOf(rule);
        const limited = stateOf(rule, index, nowSeconds, true);
        if (limited && !limited.allowed)
          return { kind: "rate_limit", delayMs, bucket: limited.state };
        // One draw per rate, always, so a schedule does not shift when one rate changes.
        const drawReset = random.next();
        const drawTimeout = random.next();
        const drawError = random.next();
        if (rule.reset_rate && drawReset < rule.reset_rate) return { kind: "reset", delayMs };
        if (rule.timeout_rate && drawTimeout < rule.timeout_rate)
          return { kind: "timeout", delayMs, hangMs: rule.timeout_ms };
        if (rule.error_rate && drawError < rule.error_rate)
          return { kind: "error", delayMs, status: rule.error_status };
      }
      return { kind: "pass", delayMs };
    },
    bucketFor(method, path, nowSeconds) {
      for (const [index, rule] of profile.rules.entries())
        if (rule.rate_limit && matchers[index]?.(method, path))
          return stateOf(rule, index, nowSeconds, false)?.state;
      return undefined;
    },
  };
}
