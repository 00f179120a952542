import { describe, expect, it } from "vitest";
import { parsed } from "./JsonView";

describe("JSON text in the history", () => {
  it("is shown as the JSON it holds, not as an escaped string", () => {
    expect(parsed('{"quantity": 3, "tags": ["a"]}')).toEqual({ quantity: 3, tags: ["a"] });
  });

  it("leaves text that is not JSON as text", () => {
    expect(parsed("shipped")).toBe("shipped");
    expect(parsed({ already: "a value" })).toEqual({ already: "a value" });
  });
});
