import { describe, expect, it } from "vitest";
import { editDistance, lookAlike } from "./look-alike.js";
import { POPULAR_PACKAGES } from "./popular-packages.js";

describe("editDistance", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("lodahs", "lodash")).toBe(1);
    expect(editDistance("expresss", "express")).toBe(1);
    expect(editDistance("reqeusts", "request")).toBe(2);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("lookAlike", () => {
  const popular = POPULAR_PACKAGES;

  it("names the popular package a near miss imitates", () => {
    expect(lookAlike("expresss", popular)).toEqual({ similar_to: "express", distance: 1 });
    expect(lookAlike("loadsh", popular)).toEqual({ similar_to: "lodash", distance: 1 });
    expect(lookAlike("reqeusts", popular)).toEqual({ similar_to: "request", distance: 2 });
    expect(lookAlike("Lodash4", popular)).toEqual({ similar_to: "lodash", distance: 1 });
  });

  it("treats a dropped or changed separator, or a borrowed scope, as a look-alike", () => {
    expect(lookAlike("crossenv", popular)).toEqual({ similar_to: "cross-env", distance: 0 });
    expect(lookAlike("cross_env", popular)).toEqual({ similar_to: "cross-env", distance: 0 });
    expect(lookAlike("socketio", popular)).toEqual({ similar_to: "socket.io", distance: 0 });
    expect(lookAlike("@evil/cross_env", popular)).toEqual({ similar_to: "cross-env", distance: 0 });
    expect(lookAlike("@evil/lodahs", popular)).toEqual({ similar_to: "lodash", distance: 1 });
    expect(lookAlike("@babel/cor", popular)).toEqual({ similar_to: "@babel/core", distance: 1 });
  });

  it("leaves popular names, distant names, plugin-shaped scoped names and short names alone", () => {
    for (const name of [
      "express",
      "preact",
      "vuex",
      "@types/node",
      "@sentry/react",
      "@twin/logger",
    ])
      expect(lookAlike(name, popular)).toEqual({ similar_to: "", distance: 0 });
    expect(lookAlike("quartz-clock", popular).similar_to).toBe("");
    expect(lookAlike("expressive-router", popular).similar_to).toBe("");
    // Two letters are within one edit of half the short names there are.
    expect(lookAlike("ns", popular).similar_to).toBe("");
  });

  it("stops at two edits", () => {
    expect(lookAlike("exprezzz", popular).similar_to).toBe("");
  });
});
