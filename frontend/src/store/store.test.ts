// The store without a server: edits, undo and redo are local; the validation request it sends
// afterwards fails quietly here, as it would offline.
import { beforeEach, describe, expect, it } from "vitest";
import { statesOf } from "../asl/definition";
import { renameState, setNext } from "../asl/edits";
import { orderWorkflow } from "../asl/fixtures";
import { isDirty, useGraph } from ".";

beforeEach(() => {
  const definition = orderWorkflow();
  const positions = { Pack: { x: 10, y: 20 } };
  useGraph.setState({
    machineName: "Orders",
    definition,
    positions,
    savedSnapshot: JSON.stringify({ definition, positions }),
    past: [],
    future: [],
    selected: null,
    nodes: [],
    edges: [],
  });
});

describe("the graph store", () => {
  it("rebuilds nodes, edges and the code view from an edit", () => {
    useGraph.getState().edit((d) => renameState(d, "Pack", "Wrap"));
    const state = useGraph.getState();
    expect(state.nodes.map((n) => n.id)).toContain("Wrap");
    expect(state.edges.some((e) => e.source === "Wrap" && e.target === "Ship")).toBe(true);
    expect(JSON.parse(state.codeText).States.Wrap.Type).toBe("Task");
    expect(isDirty(state)).toBe(true);
  });

  it("undoes and redoes edits in order", () => {
    const store = useGraph.getState();
    store.edit((d) => setNext(d, "Receive order", null));
    store.edit((d) => renameState(d, "Ship", "Send"));
    store.undo();
    expect(statesOf(useGraph.getState().definition)["Ship"]).toBeDefined();
    expect(statesOf(useGraph.getState().definition)["Receive order"]?.["End"]).toBe(true);
    store.undo();
    expect(useGraph.getState().definition).toEqual(orderWorkflow());
    expect(isDirty(useGraph.getState())).toBe(false);
    store.redo();
    store.redo();
    expect(statesOf(useGraph.getState().definition)["Send"]).toBeDefined();
    expect(useGraph.getState().future).toEqual([]);
  });

  it("forgets what was undone once a new edit is made", () => {
    const store = useGraph.getState();
    store.edit((d) => renameState(d, "Ship", "Send"));
    store.undo();
    store.edit((d) => renameState(d, "Pack", "Wrap"));
    expect(useGraph.getState().future).toEqual([]);
    store.redo();
    expect(statesOf(useGraph.getState().definition)["Send"]).toBeUndefined();
  });

  it("undoes a burst of typing in the code view as one change", () => {
    const store = useGraph.getState();
    const text = (comment: string) => JSON.stringify({ ...orderWorkflow(), Comment: comment });
    store.setCodeText(text("a"));
    store.setCodeText(text("ab"));
    store.setCodeText("{ not json");
    store.setCodeText(text("abc"));
    expect(useGraph.getState().definition["Comment"]).toBe("abc");
    store.undo();
    expect(useGraph.getState().definition).toEqual(orderWorkflow());
  });

  it("keeps the last good definition while the code view holds broken JSON", () => {
    useGraph.getState().setCodeText('{"StartAt": ');
    const state = useGraph.getState();
    expect(state.codeError).toMatch(/Not valid JSON/);
    expect(state.definition).toEqual(orderWorkflow());
    expect(state.past).toEqual([]);
  });

  it("reports an impossible edit as a notice and changes nothing", () => {
    const ok = useGraph.getState().edit((d) => renameState(d, "Pack", "Ship"));
    expect(ok).toBe(false);
    expect(useGraph.getState().notice).toEqual({
      kind: "error",
      text: 'A state named "Ship" already exists.',
    });
    expect(useGraph.getState().past).toEqual([]);
  });
});

describe("renaming and deleting on the canvas", () => {
  const ship = "/States/Ship/ItemProcessor/States";

  it("keeps the place of a renamed state and of every state inside it", () => {
    const positions = { Ship: { x: 300, y: 400 }, [`${ship}/Label`]: { x: 20, y: 80 } };
    useGraph.setState({ positions, collapsed: [] });
    expect(useGraph.getState().renameState("Ship", "Send: parcel")).toBe(true);
    const state = useGraph.getState();
    expect(state.positions["Send: parcel"]).toEqual({ x: 300, y: 400 });
    expect(state.positions["/States/Send: parcel/ItemProcessor/States/Label"]).toEqual({
      x: 20,
      y: 80,
    });
    expect(state.positions["Ship"]).toBeUndefined();
    expect(state.nodes.find((n) => n.id === "Send: parcel")?.position).toEqual({ x: 300, y: 400 });
    expect(state.selected).toBe("Send: parcel");
  });

  it("refuses a name another state has at any depth", () => {
    expect(useGraph.getState().renameState("Pack", "Label")).toBe(false);
    expect(useGraph.getState().notice?.text).toContain('"Label" already exists');
  });

  it("asks before deleting a state others lead to, and deletes nothing until told", () => {
    useGraph.getState().requestDelete(["Out of stock"]);
    const asked = useGraph.getState().confirmation;
    expect(asked?.details).toContain('Out of stock: "Is it in stock?" goes to it by default.');
    expect(statesOf(useGraph.getState().definition)["Out of stock"]).toBeDefined();
    useGraph.getState().answerConfirmation(false);
    expect(useGraph.getState().confirmation).toBeNull();
    expect(statesOf(useGraph.getState().definition)["Out of stock"]).toBeDefined();

    useGraph.getState().requestDelete(["Out of stock"]);
    useGraph.getState().answerConfirmation(true);
    expect(statesOf(useGraph.getState().definition)["Out of stock"]).toBeUndefined();
  });

  it("does not count what leads to a state from others deleted with it", () => {
    useGraph.getState().requestDelete(["Pack", "Ship"]);
    const details = useGraph.getState().confirmation?.details ?? [];
    expect(details.some((line) => line.includes('"Pack" goes on to it'))).toBe(false);
  });
});

describe("problems inside containers", () => {
  it("shows an inner state's problem on it, or on its container while folded", () => {
    const problem = {
      code: "X",
      message: "bad",
      location: "/States/Ship/ItemProcessor/States/Label/Next",
    };
    useGraph.setState({ collapsed: [] });
    useGraph.getState().edit((d) => d); // rebuild
    useGraph.setState({ diagnostics: [problem] });
    useGraph.getState().toggleCollapsed("Ship");
    const folded = useGraph.getState().nodes.find((n) => n.id === "Ship");
    expect(folded?.data.problems).toEqual([problem]);
    useGraph.getState().toggleCollapsed("Ship");
    const open = useGraph.getState().nodes;
    expect(open.find((n) => n.id === "Ship")?.data.problems).toEqual([]);
    const label = open.find((n) => n.id === "/States/Ship/ItemProcessor/States/Label");
    expect(label?.data.problems).toEqual([problem]);
  });
});
