import { describe, expect, it } from "vitest";
import { orderWorkflow } from "./fixtures";
import type { Definition } from "./types";
import {
  buildEdges,
  buildNodes,
  freeSpot,
  LAYOUT_SPREAD,
  NODE_HEIGHT,
  NODE_WIDTH,
  positionsFromAutoLayout,
} from "./graph";

describe("buildNodes", () => {
  it("makes one typed node per top-level state with its badge facts", () => {
    const nodes = buildNodes({ definition: orderWorkflow(), positions: {} });
    const summary = nodes.map((n) => [
      n.id,
      n.type,
      n.data.stateType,
      n.data.isStart,
      n.data.isEnd,
      n.data.innerCount,
    ]);
    expect(summary).toEqual([
      ["Receive order", "state", "Pass", true, false, null],
      ["Is it in stock?", "state", "Choice", false, false, null],
      ["Pack", "state", "Task", false, false, null],
      ["Ship", "state", "Map", false, true, 2],
      ["Out of stock", "state", "Fail", false, true, null],
    ]);
  });

  it("carries each state's run status and problems", () => {
    const problem = { code: "X", message: "bad", location: "/States/Pack/Resource" };
    const nodes = buildNodes({
      definition: orderWorkflow(),
      positions: {},
      statuses: { Pack: "running" },
      problems: { Pack: [problem] },
    });
    const pack = nodes.find((n) => n.id === "Pack");
    expect(pack?.data.status).toBe("running");
    expect(pack?.data.problems).toEqual([problem]);
    expect(nodes.find((n) => n.id === "Ship")?.data.status).toBe("idle");
  });

  it("counts the states of every Parallel branch", () => {
    const definition: Definition = {
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
            { StartAt: "B", States: { B: { Type: "Pass", Next: "C" }, C: { Type: "Succeed" } } },
          ],
          End: true,
        },
      },
    };
    expect(buildNodes({ definition, positions: {} })[0]?.data.innerCount).toBe(3);
  });

  it("uses stored positions and puts unplaced states below the placed ones", () => {
    const nodes = buildNodes({
      definition: orderWorkflow(),
      positions: { "Receive order": { x: 10, y: 20 }, "Is it in stock?": { x: 10, y: 300 } },
    });
    expect(nodes[0]?.position).toEqual({ x: 10, y: 20 });
    const unplaced = nodes.slice(2).map((n) => n.position);
    for (const position of unplaced) expect(position.y).toBeGreaterThan(300);
    expect(new Set(unplaced.map((p) => `${p.x},${p.y}`)).size).toBe(unplaced.length);
  });
});

describe("positionsFromAutoLayout", () => {
  it("centres our cards on graphviz's boxes, spread out", () => {
    const auto = {
      nodes: { A: { x: 100, y: 50, width: 120, height: 40 } },
      width: 400,
      height: 200,
    };
    expect(positionsFromAutoLayout(auto)).toEqual({
      A: { x: 160 * LAYOUT_SPREAD.x - NODE_WIDTH / 2, y: 70 * LAYOUT_SPREAD.y - NODE_HEIGHT / 2 },
    });
  });

  it("keeps the order of graphviz's ranks", () => {
    const box = { width: 100, height: 40 };
    const auto = {
      nodes: { A: { x: 0, y: 0, ...box }, B: { x: 0, y: 90, ...box } },
      width: 100,
      height: 130,
    };
    const positions = positionsFromAutoLayout(auto);
    expect((positions["B"]?.y ?? 0) - (positions["A"]?.y ?? 0)).toBeGreaterThan(NODE_HEIGHT);
  });
});

describe("buildEdges", () => {
  it("labels Choice edges, dashes Catch edges and gives every edge a unique id", () => {
    const edges = buildEdges(orderWorkflow());
    expect(edges.find((e) => e.data?.transition.kind === "default")?.label).toBe("Default");
    const catchEdge = edges.find((e) => e.data?.transition.kind === "catch");
    expect(catchEdge?.style?.strokeDasharray).toBeTruthy();
    expect(edges.find((e) => e.data?.transition.kind === "next")?.style).toBeUndefined();
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });
});

describe("freeSpot", () => {
  it("keeps the wanted spot when it is free", () => {
    expect(freeSpot({ A: { x: 0, y: 0 } }, { x: 500, y: 500 })).toEqual({ x: 500, y: 500 });
  });

  it("moves a card off the cards it would cover, to the nearest free spot", () => {
    const positions = { A: { x: 0, y: 0 }, B: { x: 0, y: 100 } };
    const spot = freeSpot(positions, { x: 10, y: 10 });
    for (const p of Object.values(positions)) {
      const apart = Math.abs(spot.x - p.x) >= NODE_WIDTH || Math.abs(spot.y - p.y) >= NODE_HEIGHT;
      expect(apart).toBe(true);
    }
    expect(Math.hypot(spot.x - 10, spot.y - 10)).toBeLessThan(NODE_WIDTH * 2);
  });
});
