import { describe, expect, it } from "vitest";
import { orderWorkflow } from "./fixtures";
import type { Definition } from "./types";
import {
  buildEdges,
  buildNodes,
  freeSpot,
  HEADER_HEIGHT,
  initialPositions,
  INNER_GAP,
  NODE_HEIGHT,
  NODE_WIDTH,
  positionsFromAutoLayout,
  scopeOrigin,
} from "./graph";

describe("buildNodes", () => {
  it("makes one typed node per top-level state with its badge facts", () => {
    const nodes = buildNodes({ definition: orderWorkflow(), positions: {} }).filter(
      (n) => n.parentId === undefined,
    );
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
      ["Ship", "container", "Map", false, true, 2],
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
    const unplaced = nodes
      .slice(2)
      .filter((n) => n.parentId === undefined)
      .map((n) => n.position);
    for (const position of unplaced) expect(position.y).toBeGreaterThan(300);
    expect(new Set(unplaced.map((p) => `${p.x},${p.y}`)).size).toBe(unplaced.length);
  });
});

describe("positionsFromAutoLayout", () => {
  it("takes graphviz's top-level boxes as they are: the cards have the same size", () => {
    const auto = {
      nodes: { A: { x: 100, y: 50, width: NODE_WIDTH, height: NODE_HEIGHT } },
      width: 400,
      height: 200,
    };
    expect(positionsFromAutoLayout(auto)).toEqual({ A: { x: 100, y: 50 } });
  });

  it("places inner states relative to their Map, and branch states relative to their lane", () => {
    const card = { width: NODE_WIDTH, height: NODE_HEIGHT };
    const split = "/States/M/ItemProcessor/States/P";
    const auto = {
      nodes: {
        M: { x: 10, y: 100, width: 500, height: 600 },
        [split]: { x: 30, y: 200, width: 460, height: 400 },
        [`${split}/Branches/1/States/B:1`]: { x: 300, y: 320, ...card },
        [`${split}/Branches/1/States/B:2`]: { x: 340, y: 420, ...card },
      },
      lanes: { [`${split}/Branches/1`]: { x: 280, y: 260, width: 220, height: 300 } },
      width: 600,
      height: 800,
    };
    const lane = scopeOrigin(`${split}/Branches/1`);
    const map = scopeOrigin("/States/M/ItemProcessor");
    expect(positionsFromAutoLayout(auto)).toEqual({
      M: { x: 10, y: 100 },
      [split]: { x: map.x, y: map.y + INNER_GAP },
      // The branch's states keep their arrangement, from where the lane's states start.
      [`${split}/Branches/1/States/B:1`]: { x: lane.x, y: lane.y + INNER_GAP },
      [`${split}/Branches/1/States/B:2`]: { x: lane.x + 40, y: lane.y + INNER_GAP + 100 },
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
    const taken = [{ x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT }];
    expect(freeSpot(taken, { x: 500, y: 500 })).toEqual({ x: 500, y: 500 });
  });

  it("moves a card off the cards it would cover, to the nearest free spot", () => {
    const card = { width: NODE_WIDTH, height: NODE_HEIGHT };
    const positions = [
      { x: 0, y: 0, ...card },
      { x: 0, y: 100, ...card },
    ];
    const spot = freeSpot(positions, { x: 10, y: 10 });
    for (const p of positions) {
      const apart = Math.abs(spot.x - p.x) >= NODE_WIDTH || Math.abs(spot.y - p.y) >= NODE_HEIGHT;
      expect(apart).toBe(true);
    }
    expect(Math.hypot(spot.x - 10, spot.y - 10)).toBeLessThan(NODE_WIDTH * 2);
  });
});

describe("nested containers", () => {
  const card = { Type: "Pass", End: true };
  const deep: Definition = {
    StartAt: "Outer",
    States: {
      Outer: {
        Type: "Map",
        ItemProcessor: {
          StartAt: "Split",
          States: {
            Split: {
              Type: "Parallel",
              Branches: [
                {
                  StartAt: "Inner",
                  States: {
                    Inner: {
                      Type: "Map",
                      ItemProcessor: { StartAt: "Leaf", States: { Leaf: card } },
                      End: true,
                    },
                  },
                },
                { StartAt: "Other", States: { Other: card } },
              ],
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };
  const split = "/States/Outer/ItemProcessor/States/Split";
  const leaf = `${split}/Branches/0/States/Inner/ItemProcessor/States/Leaf`;

  it("draws every state at every depth inside its container, one lane per branch", () => {
    const nodes = buildNodes({ definition: deep, positions: {} });
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(byId.get(split)?.parentId).toBe("Outer");
    expect(byId.get(`${split}/Branches/0`)?.type).toBe("lane");
    expect(byId.get(`${split}/Branches/1`)?.type).toBe("lane");
    expect(byId.get(`${split}/Branches/0/States/Inner`)?.parentId).toBe(`${split}/Branches/0`);
    expect(byId.get(leaf)?.parentId).toBe(`${split}/Branches/0/States/Inner`);
    expect(byId.get(`${split}/Branches/1/States/Other`)?.parentId).toBe(`${split}/Branches/1`);
    // React Flow needs every parent before its children.
    nodes.forEach((node, index) => {
      if (node.parentId) expect(nodes.findIndex((n) => n.id === node.parentId)).toBeLessThan(index);
    });
  });

  it("sizes each container to hold what it holds", () => {
    const nodes = buildNodes({ definition: deep, positions: { [leaf]: { x: 300, y: 400 } } });
    const inner = nodes.find((n) => n.id === `${split}/Branches/0/States/Inner`);
    expect(inner?.width).toBeGreaterThanOrEqual(300 + NODE_WIDTH);
    expect(inner?.height).toBeGreaterThanOrEqual(400 + NODE_HEIGHT);
    const outer = nodes.find((n) => n.id === "Outer");
    const splitNode = nodes.find((n) => n.id === split);
    expect(outer?.height ?? 0).toBeGreaterThan((splitNode?.height ?? 0) + HEADER_HEIGHT);
  });

  it("folds a collapsed container into a card and hides what it holds", () => {
    const nodes = buildNodes({ definition: deep, positions: {}, collapsed: new Set([split]) });
    expect(nodes.find((n) => n.id === split)?.type).toBe("state");
    expect(nodes.find((n) => n.id === split)?.data.collapsed).toBe(true);
    expect(nodes.some((n) => n.id.startsWith(`${split}/`))).toBe(false);
    expect(buildEdges(deep, new Set([split])).every((e) => !e.source.startsWith(`${split}/`))).toBe(
      true,
    );
  });

  it("draws the arrows inside containers between the inner states", () => {
    const definition = structuredClone(deep);
    const branch = (
      (definition["States"] as any).Outer.ItemProcessor.States.Split.Branches as any[]
    )[1];
    branch.States = { "A: 1": { Type: "Pass", Next: "B" }, B: card };
    branch.StartAt = "A: 1";
    const edge = buildEdges(definition).find((e) => e.target === `${split}/Branches/1/States/B`);
    expect(edge?.source).toBe(`${split}/Branches/1/States/A: 1`);
    expect(edge?.data?.scope).toBe(`${split}/Branches/1`);
  });
});

describe("initialPositions", () => {
  const auto = {
    nodes: {
      "Receive order": { x: 0, y: 0, width: NODE_WIDTH, height: NODE_HEIGHT },
      Ship: { x: 0, y: 300, width: 400, height: 300 },
      "/States/Ship/ItemProcessor/States/Label": {
        x: 20,
        y: 380,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
      },
    },
    width: 400,
    height: 700,
  };

  it("puts stored positions over graphviz's", () => {
    const stored = {
      Ship: { x: 5, y: 6 },
      "/States/Ship/ItemProcessor/States/Label": { x: 30, y: 90 },
    };
    const positions = initialPositions(orderWorkflow(), auto, stored);
    expect(positions["Ship"]).toEqual({ x: 5, y: 6 });
    expect(positions["Receive order"]).toEqual({ x: 0, y: 0 });
  });

  it("lets graphviz place a machine whose stored layout predates inner states", () => {
    const positions = initialPositions(orderWorkflow(), auto, { Ship: { x: 5, y: 6 } });
    expect(positions["Ship"]).toEqual({ x: 0, y: 300 });
  });

  it("keeps an old layout of a machine without Map or Parallel", () => {
    const flat = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };
    const positions = initialPositions(
      flat,
      { nodes: {}, width: 0, height: 0 },
      { A: { x: 1, y: 2 } },
    );
    expect(positions).toEqual({ A: { x: 1, y: 2 } });
  });
});
