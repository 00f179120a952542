import { describe, expect, it } from "vitest";
import { placementOf, resultPathFor } from "./resultPlacement";

describe("where a state's result goes, in words", () => {
  it("reads unset and $ as replacing, null as dropping, $.name as beside the data", () => {
    expect(placementOf(undefined).where).toBe("replace");
    expect(placementOf("$").where).toBe("replace");
    expect(placementOf(null).where).toBe("drop");
    expect(placementOf("$.packed")).toEqual({ where: "beside", key: "packed" });
  });

  it("leaves a deeper or odd path to the path box", () => {
    expect(placementOf("$.order.result").where).toBe("path");
    expect(placementOf("$['a b']").where).toBe("path");
  });

  it("writes back the ResultPath each choice means", () => {
    expect(resultPathFor("beside", "checks", "")).toBe("$.checks");
    expect(resultPathFor("drop", "", "")).toBeNull();
    expect(resultPathFor("replace", "", "")).toBeUndefined();
    expect(resultPathFor("path", "", "$.a.b")).toBe("$.a.b");
  });
});
