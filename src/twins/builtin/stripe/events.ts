/** `/v1/events`: retrieve and list what the other routes emitted (`type` may end in `.*`). */
import type { Endpoint } from "./envelope.js";
import { retrieve } from "./errors.js";
import { listEndpoint } from "./lists.js";
import { allowOnly, bool, str, stringList } from "./params.js";

export const eventRoutes: Record<string, Endpoint> = {
  "GET /v1/events/:id": {
    handle(call, id) {
      allowOnly(call.params, []);
      return { body: retrieve(call.state.events, "event", id) };
    },
  },
  "GET /v1/events": listEndpoint({
    collection: (state) => state.events,
    url: "/v1/events",
    kind: "event",
    params: ["type", "types", "delivery_success"],
    filter(params) {
      const type = str(params, "type");
      const types = stringList(params, "types");
      bool(params, "delivery_success");
      const matches = (name: string) => {
        if (types && !types.includes(name)) return false;
        if (type === undefined) return true;
        if (type.endsWith(".*")) return name.startsWith(type.slice(0, -1));
        return name === type;
      };
      return (e) => matches(e.type);
    },
  }),
};
