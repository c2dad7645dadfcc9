/** Stripe's list answers: newest first, `limit`, `starting_after`, `ending_before`, `has_more`. */

import type { Call, Endpoint } from "./envelope.js";
import { StripeApiError } from "./errors.js";
import { allowOnly, int, type Params, str } from "./params.js";
import type { StripeState } from "./state.js";

export const LIST_PARAMS = ["limit", "starting_after", "ending_before", "created"] as const;

function createdFilter(params: Params): ((created: number) => boolean) | undefined {
  const value = params.created;
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    const exact = int(params, "created");
    return (created) => created === exact;
  }
  if (Array.isArray(value)) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      message: "Invalid hash",
      param: "created",
    });
  }
  const bounds: [string, (a: number, b: number) => boolean][] = [
    ["gt", (a, b) => a > b],
    ["gte", (a, b) => a >= b],
    ["lt", (a, b) => a < b],
    ["lte", (a, b) => a <= b],
  ];
  const tests: ((created: number) => boolean)[] = [];
  for (const key of Object.keys(value)) {
    const bound = bounds.find(([name]) => name === key);
    if (!bound) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        code: "parameter_unknown",
        message: `Received unknown parameter: created[${key}]`,
        param: `created[${key}]`,
      });
    }
    const limit = int(value as Params, key);
    if (limit === undefined) continue;
    tests.push((created) => bound[1](created, limit));
  }
  return (created) => tests.every((test) => test(created));
}

/**
 * One page of `collection` (kept oldest first, answered newest first) under `url`, with the
 * endpoint's own filter. `kind` names the object in "No such ..." for a bad cursor.
 */
export function listPage<T extends { id: string; created: number }>(
  call: Call,
  collection: Record<string, T>,
  url: string,
  kind: string,
  filter: (item: T) => boolean = () => true,
): { object: "list"; data: T[]; has_more: boolean; url: string } {
  const { params } = call;
  const limit = int(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      message:
        limit < 1
          ? "This value must be greater than or equal to 1."
          : "This value must be less than or equal to 100.",
      param: "limit",
    });
  }
  const startingAfter = str(params, "starting_after");
  const endingBefore = str(params, "ending_before");
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw new StripeApiError(400, {
      type: "invalid_request_error",
      code: "parameters_exclusive",
      message: "You may only specify one of these parameters: ending_before, starting_after.",
      param: "ending_before",
    });
  }
  const created = createdFilter(params);
  const keep = (item: T) => filter(item) && (!created || created(item.created));
  const all = Object.values(collection).reverse();
  const cursor = startingAfter ?? endingBefore;
  const cursorParam = startingAfter !== undefined ? "starting_after" : "ending_before";
  let data: T[];
  let hasMore: boolean;
  if (cursor === undefined) {
    const matching = all.filter(keep);
    data = matching.slice(0, limit);
    hasMore = matching.length > limit;
  } else {
    const index = all.findIndex((item) => item.id === cursor);
    if (index === -1) {
      throw new StripeApiError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such ${kind}: '${cursor}'`,
        param: cursorParam,
      });
    }
    if (startingAfter !== undefined) {
      const matching = all.slice(index + 1).filter(keep);
      data = matching.slice(0, limit);
      hasMore = matching.length > limit;
    } else {
      const matching = all.slice(0, index).filter(keep);
      data = matching.slice(Math.max(0, matching.length - limit));
      hasMore = matching.length > limit;
    }
  }
  return { object: "list", data, has_more: hasMore, url };
}

/**
 * A list route over one collection: only the list params and `params` are allowed, `filter`
 * reads the endpoint's own params (before the page's) and picks the items it keeps.
 */
export function listEndpoint<T extends { id: string; created: number }>(route: {
  collection: (state: StripeState) => Record<string, T>;
  url: string;
  kind: string;
  params?: readonly string[];
  expandable?: readonly string[];
  filter?: (params: Params) => (item: T) => boolean;
}): Endpoint {
  return {
    list: true,
    ...(route.expandable ? { expandable: route.expandable } : {}),
    handle(call) {
      allowOnly(call.params, [...LIST_PARAMS, ...(route.params ?? [])]);
      const keep = route.filter?.(call.params);
      return {
        body: listPage(call, route.collection(call.state), route.url, route.kind, keep),
      };
    },
  };
}
