// The simulator's walk through the draft: the state being tried, its input and mock, each
// answer from TestState, and the path walked so far. Kept outside the panel so switching tabs
// loses nothing.
import { create } from "zustand";
import { typeOf } from "../../asl/definition";
import { addressOf, allStateKeys, stateAt } from "../../asl/scopes";
import type { JsonValue } from "../../asl/types";
import { useGraph } from "../../store";
import { messageOf } from "../../store/derive";
import { testState, type Mock, type TestStateAnswer } from "./testStateApi";

export type MockKind = "result" | "error" | "none";

/** One variable of the Variables form: its name and its value as typed. */
export interface VariableRow {
  name: string;
  text: string;
}

/** A value as the form shows it: JSON, so that 42 and "42" stay apart. */
export const rowsOf = (variables: Record<string, JsonValue>): VariableRow[] =>
  Object.entries(variables).map(([name, value]) => ({ name, text: JSON.stringify(value) }));

/** The form's variables: a value is read as JSON when it is JSON, else taken as text. */
export function variablesOf(rows: VariableRow[]): Record<string, JsonValue> {
  const variables: Record<string, JsonValue> = {};
  for (const { name, text } of rows) {
    if (!name.trim()) continue;
    try {
      variables[name.trim()] = JSON.parse(text) as JsonValue;
    } catch {
      variables[name.trim()] = text;
    }
  }
  return variables;
}

export interface Walked {
  key: string;
  name: string;
  input: JsonValue;
  /** The variables given, in scope when the state started. */
  variables: Record<string, JsonValue>;
  answer: TestStateAnswer;
}

interface SimulatorStore {
  key: string | null;
  inputText: string;
  mockKind: MockKind;
  mockResult: JsonValue;
  mockError: string;
  mockCause: string;
  /** The variables in scope when the state starts, and the state they were set for. */
  variableRows: VariableRow[];
  variablesFor: string | null;
  running: boolean;
  error: string | null;
  /** The states simulated in order; the last one is shown. */
  walked: Walked[];
  pick(key: string | null): void;
  setInput(text: string): void;
  setVariables(rows: VariableRow[], forKey: string | null): void;
  setMock(
    change: Partial<Pick<SimulatorStore, "mockKind" | "mockResult" | "mockError" | "mockCause">>,
  ): void;
  simulate(): Promise<void>;
  /** Moves on to the state the last answer named, with its output as the input. */
  step(): Promise<void>;
  startOver(): void;
}

/** The types TestState runs only with a mock (asl/test_state.py _needs_mock). */
export function needsMock(state: JsonValue | null): boolean {
  if (!state || typeof state !== "object" || Array.isArray(state)) return false;
  const type = typeOf(state);
  if (type === "Map" || type === "Parallel") return true;
  if (type !== "Task") return false;
  const resource = typeof state["Resource"] === "string" ? state["Resource"] : "";
  return resource.includes(":activity:") || /\.(sync|waitForTaskToken)(:|$)/.test(resource);
}

/** Whether a state's work can be mocked: a Task, Map or Parallel. */
export function takesMock(type: string): boolean {
  return type === "Task" || type === "Map" || type === "Parallel";
}

/** The key of the state called `name` anywhere in the draft (names are unique in a machine). */
export function keyNamed(name: string): string | null {
  const definition = useGraph.getState().definition;
  return allStateKeys(definition).find((key) => addressOf(key).name === name) ?? null;
}

function defaultMockKind(key: string | null): MockKind {
  if (!key) return "result";
  const state = stateAt(useGraph.getState().definition, key);
  return state && takesMock(typeOf(state)) ? "result" : "none";
}

export const useSimulator = create<SimulatorStore>()((set, get) => ({
  key: null,
  inputText: "{}",
  mockKind: "result",
  mockResult: {},
  mockError: "",
  mockCause: "",
  variableRows: [],
  variablesFor: null,
  running: false,
  error: null,
  walked: [],

  pick(key) {
    if (key === get().key) return;
    set({ key, error: null, mockKind: defaultMockKind(key) });
  },

  setInput(text) {
    set({ inputText: text });
  },

  setVariables(rows, forKey) {
    set({ variableRows: rows, variablesFor: forKey });
  },

  setMock(change) {
    set(change);
  },

  async simulate() {
    const { key, inputText, mockKind, mockResult, mockError, mockCause, variableRows } = get();
    if (!key) return;
    let input: JsonValue;
    try {
      input = JSON.parse(inputText) as JsonValue;
    } catch (error) {
      set({ error: `The input is not valid JSON: ${messageOf(error)}` });
      return;
    }
    const { definition } = useGraph.getState();
    const state = stateAt(definition, key);
    if (!state) {
      set({ error: "That state is no longer in the draft." });
      return;
    }
    const name = addressOf(key).name;
    let mock: Mock | undefined;
    if (takesMock(typeOf(state)) && mockKind === "result") {
      mock = { result: JSON.stringify(mockResult) };
    } else if (takesMock(typeOf(state)) && mockKind === "error") {
      if (!mockError.trim()) {
        set({ error: "Give the error's name, e.g. States.Timeout." });
        return;
      }
      mock = { errorOutput: { error: mockError.trim(), cause: mockCause } };
    }
    const variables = variablesOf(variableRows);
    set({ running: true, error: null });
    try {
      const answer = await testState({
        definition,
        stateName: name,
        input,
        inspectionLevel: "DEBUG",
        explainChoice: true,
        ...(mock ? { mock } : {}),
        ...(Object.keys(variables).length ? { variables } : {}),
      });
      set({ running: false, walked: [...get().walked, { key, name, input, variables, answer }] });
    } catch (error) {
      set({ running: false, error: messageOf(error) });
    }
  },

  async step() {
    const last = get().walked[get().walked.length - 1];
    const next = last?.answer.nextState;
    if (!last || !next) return;
    const key = keyNamed(next);
    if (!key) {
      set({ error: `The draft has no state named ${next}.` });
      return;
    }
    const state = stateAt(useGraph.getState().definition, key);
    set({
      key,
      inputText: JSON.stringify(last.answer.output ?? {}, null, 2),
      // The next state starts with the variables this one left: the walk is a run's path.
      variableRows: rowsOf(
        last.answer.inspectionData?.variables ?? variablesOf(get().variableRows),
      ),
      variablesFor: key,
      mockKind: defaultMockKind(key),
      mockResult: {},
      mockError: "",
      mockCause: "",
      error: null,
    });
    // A state with work to mock waits for the person to give the mock; others run at once.
    if (!(state && takesMock(typeOf(state)))) await get().simulate();
  },

  startOver() {
    set({ walked: [], error: null });
  },
}));
