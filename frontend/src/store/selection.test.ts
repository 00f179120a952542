// Several states selected at once: React Flow's select changes keep all of them, an edit keeps
// them, and picking one state alone (from the problems list, say) ends the group.
import { beforeEach, describe, expect, it } from "vitest";
import { setField } from "../asl/edits";
import { orderWorkflow } from "../asl/fixtures";
import { useGraph } from ".";

const selectedIds = () =>
  useGraph
    .getState()
    .nodes.filter((n) => n.selected)
    .map((n) => n.id)
    .sort();

beforeEach(() => {
  const definition = orderWorkflow();
  useGraph.setState({ definition, positions: {}, past: [], future: [], selected: null, nodes: [] });
  useGraph.getState().edit((d) => d); // builds the nodes
});

describe("selecting several states", () => {
  it("keeps each state React Flow selects, the last one in the form", () => {
    const store = useGraph.getState();
    store.onNodesChange([{ type: "select", id: "Pack", selected: true }]);
    store.onNodesChange([{ type: "select", id: "Out of stock", selected: true }]);
    expect(selectedIds()).toEqual(["Out of stock", "Pack"]);
    expect(useGraph.getState().selected).toBe("Out of stock");
    // Letting the one in the form go shows another still selected.
    useGraph.getState().onNodesChange([{ type: "select", id: "Out of stock", selected: false }]);
    expect(useGraph.getState().selected).toBe("Pack");
  });

  it("survives an edit, and ends when another state is picked alone", () => {
    const store = useGraph.getState();
    store.onNodesChange([
      { type: "select", id: "Pack", selected: true },
      { type: "select", id: "Receive order", selected: true },
    ]);
    useGraph.getState().edit((d) => setField(d, "Pack", "Comment", "wrap it"));
    expect(selectedIds()).toEqual(["Pack", "Receive order"]);
    useGraph.getState().select("Ship");
    expect(selectedIds()).toEqual(["Ship"]);
  });
});
