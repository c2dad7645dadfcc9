/** Start, exit and conditional nodes do no work: routing is the engine's (§4.3, §4.4, §4.7). */
import type { Handler } from "../engine/handler.js";

export const startHandler: Handler = { execute: async () => ({ status: "success" }) };
export const exitHandler: Handler = { execute: async () => ({ status: "success" }) };
export const conditionalHandler: Handler = {
  execute: async ({ node }) => ({
    status: "success",
    notes: `Conditional node evaluated: ${node.id}`,
  }),
};
