/**
 * Slack's rate limits on the virtual clock: a token bucket per method for its tier, and
 * chat.postMessage's one message a second per channel, with a burst.
 */
import type { Call, MethodSpec } from "./method.js";
import { str } from "./params.js";

/** Slack's documented per-minute budgets for each tier. */
const TIER_PER_MINUTE: Record<number, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };
/** chat.postMessage: one message a second per channel, "with short bursts" allowed. */
const POST_PER_SECOND = 1;
const DEFAULT_POST_BURST = 5;

/**
 * Takes one request from a token bucket on the virtual clock; returns the seconds to wait
 * when it is empty, or 0 when the request may go.
 */
function take(call: Call, key: string, capacity: number, perSecond: number): number {
  const now = call.twin.clock.now();
  const bucket = call.state.buckets[key] ?? { tokens: capacity, at: now };
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
  bucket.at = now;
  call.state.buckets[key] = bucket;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
}

export function rateLimit(call: Call, method: string, spec: MethodSpec): number {
  const options = call.twin.options;
  if (options.rateLimits === false) return 0;
  if (spec.tier === "post") {
    // The channel bucket only applies to a channel that exists; errors are not throttled.
    const ref = str(call.params, "channel")?.replace(/^#/, "");
    const channel = call.state.channels.find((c) => c.id === ref || c.name === ref);
    if (!channel) return 0;
    const burst =
      typeof options.postMessageBurst === "number" ? options.postMessageBurst : DEFAULT_POST_BURST;
    return take(call, `chat.postMessage:${channel.id}`, burst, POST_PER_SECOND);
  }
  const tiers = (options.tiers ?? {}) as Record<string, number>;
  const tier = tiers[method] ?? spec.tier;
  const perMinute = TIER_PER_MINUTE[tier] ?? TIER_PER_MINUTE[3] ?? 50;
  return take(call, method, perMinute, perMinute / 60);
}
