// The form edits one state, which may sit inside a Map or a Parallel branch: this context says
// which scope, so every field's edit and diagnostics aim at the right place.
import { createContext, useCallback, useContext } from "react";
import { editScope, scopeAt, stateKey } from "../asl/scopes";
import type { Definition } from "../asl/types";
import { useGraph } from "../store";

export const ScopeContext = createContext("");

export function useScope(): string {
  return useContext(ScopeContext);
}

/** The store's edit, applied to the scope of the state being edited. */
export function useScopedEdit(): (change: (definition: Definition) => Definition) => boolean {
  const scope = useScope();
  const edit = useGraph((s) => s.edit);
  return useCallback(
    (change) => edit((definition) => editScope(definition, scope, change)),
    [edit, scope],
  );
}

/** The machine (or inner machine) the state being edited belongs to. */
export function useScopeDefinition(): Definition {
  const scope = useScope();
  return useGraph((s) => scopeAt(s.definition, scope) ?? {});
}

export function useStateKey(name: string): string {
  return stateKey(useScope(), name);
}
