import { describe, expect, it } from "vitest";
import { buildEdges, buildNodes, NODE_HEIGHT, NODE_WIDTH } from "../asl/graph";
import type { Definition } from "../asl/types";
import { LABEL_HEIGHT, MAX_LABEL_CHARS, placeLabels, shorten } from "./edgeLabels";

const measure = (text: string): number => text.length * 7 + 12;

/** A Choice of five rules over five targets side by side, all close below it. */
const WIDE: Definition = {
  StartAt: "Pick",
  States: {
    Pick: {
      Type: "Choice",
      Choices: [0, 1, 2, 3, 4].map((k) => ({
        Variable: "$.total",
        NumericGreaterThan: k * 100,
        Next: `Target ${k}`,
      })),
      Default: "Target 0",
    },
    ...Object.fromEntries([0, 1, 2, 3, 4].map((k) => [`Target ${k}`, { Type: "Succeed" }])),
  },
};
const POSITIONS = {
  Pick: { x: 480, y: 0 },
  ...Object.fromEntries([0, 1, 2, 3, 4].map((k) => [`Target ${k}`, { x: k * 240, y: 160 }])),
};

function rect(x: number, y: number, width: number, height: number) {
  return { left: x, top: y, right: x + width, bottom: y + height };
}

function overlap(a: ReturnType<typeof rect>, b: ReturnType<typeof rect>): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe("placeLabels", () => {
  it("puts every label of a wide Choice clear of the others and of every card", () => {
    const nodes = buildNodes({ definition: WIDE, positions: POSITIONS });
    const edges = buildEdges(WIDE);
    const placed = [...placeLabels(nodes, edges, measure).values()];
    expect(placed).toHaveLength(6);
    const boxes = placed.map((p) =>
      rect(p.x - p.width / 2, p.y - LABEL_HEIGHT / 2, p.width, LABEL_HEIGHT),
    );
    const cards = nodes.map((n) => rect(n.position.x, n.position.y, NODE_WIDTH, NODE_HEIGHT));
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlap(a, b)).toBe(false)));
    boxes.forEach((a) => cards.forEach((c) => expect(overlap(a, c)).toBe(false)));
  });

  it("shortens a long label and keeps the whole text for hovering", () => {
    const long = '$.customer.loyalty.programme.tier = "platinum"';
    expect(shorten(long)).toHaveLength(MAX_LABEL_CHARS);
    expect(shorten(long).endsWith("…")).toBe(true);
    expect(shorten("Default")).toBe("Default");
  });
});
