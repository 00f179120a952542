import { describe, expect, it } from "vitest";
import { buildEdges, buildNodes } from "../asl/graph";
import { orderWorkflow } from "../asl/fixtures";
import { canvasSvg, wrapName } from "./exportImage";

describe("wrapName", () => {
  it("breaks at spaces and cuts only a word longer than a line", () => {
    expect(wrapName("Check the whole order for fraud before shipping")).toEqual([
      "Check the whole order",
      "for fraud before",
      "shipping",
    ]);
    expect(wrapName("x".repeat(30))).toEqual(["x".repeat(24), "x".repeat(6)]);
  });
});

describe("canvasSvg", () => {
  it("draws every state, inner ones too, with its name as text, escaped", () => {
    const definition = orderWorkflow();
    const states = definition["States"] as Record<string, unknown>;
    states["Ship"] = { ...(states["Ship"] as object), Comment: "x" };
    states["R&D <check>"] = { Type: "Succeed" };
    const nodes = buildNodes({ definition, positions: {} });
    const { svg, width, height } = canvasSvg("Orders", nodes, buildEdges(definition));
    for (const name of ["Receive order", "Pack", "Ship", "Label", "Post", "Out of stock"]) {
      expect(svg).toContain(`data-state="${name}"`);
    }
    expect(svg).toContain("R&amp;D &lt;check&gt;");
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(200);
    expect(svg.match(/marker-end/g)?.length).toBe(buildEdges(definition).length);
  });
});
