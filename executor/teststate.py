"""TestState: one state evaluated on its own, as AWS's TestState API does, with the task
functions this server has registered serving its Lambda resources.

https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
"""

from __future__ import annotations

from typing import Any

import asl
from asl.choice_trace import trace
from asl.test_state import find_state
from designer import json_text
from designer.actions import ActionError
from executor.functions import registered

# What AWS's TestState takes as JSON text, with the error code of each: a REST client may
# send the JSON value instead (designer.json_text).
JSON_TEXT_FIELDS = {
    "definition": "InvalidDefinition",
    "input": "InvalidExecutionInput",
    "variables": "ValidationException",
    "context": "ValidationException",
}
INSPECTION_LEVELS = ("INFO", "DEBUG", "TRACE")


def test_state(data: dict[str, Any]) -> dict[str, Any]:
    """Runs TestState on a request shaped like AWS's (definition, input, inspectionLevel, mock,
    variables, context, stateName) and answers with asl.test_state's result. Statecraft's own
    ``explainChoice: true`` adds ``choiceTrace`` for a Choice state: each rule with the values
    it compared and the one that matched (asl.choice_trace), which AWS's answer leaves out."""
    definition, input, variables, context = (
        json_text.value_of(data.get(field), field, code) for field, code in JSON_TEXT_FIELDS.items()
    )
    level = data.get("inspectionLevel", "INFO")
    if level not in INSPECTION_LEVELS:
        raise ActionError(
            f"inspectionLevel must be one of {', '.join(INSPECTION_LEVELS)}.", "inspectionLevel"
        )
    if variables is not None and not isinstance(variables, dict):
        raise ActionError("variables must be a JSON object.", "variables")
    if context is not None and not isinstance(context, dict):
        raise ActionError("context must be a JSON object.", "context")
    state_name = data.get("stateName")
    if state_name is not None and not isinstance(state_name, str):
        raise ActionError("stateName must be a string.", "stateName")
    explain = data.get("explainChoice", False)
    if not isinstance(explain, bool):
        raise ActionError("explainChoice must be true or false.", "explainChoice")
    try:
        result = asl.test_state(
            definition,
            {} if input is None else input,
            inspection_level=level,
            mock=data.get("mock"),
            variables=variables,
            context=context,
            state_name=state_name,
            functions=registered(),
        )
    except asl.ValidationError as invalid:
        first = invalid.diagnostics[0] if invalid.diagnostics else None
        message = first.message if first else "The state is not valid."
        # A diagnostic about the request itself (/mock, /stateName) names that field.
        location = first.location.split("/")[1] if first and first.location else ""
        field = location if location in ("mock", "stateName") else "definition"
        raise ActionError(message, field, invalid.diagnostics, code="InvalidDefinition") from None
    answer = {
        "status": result.status,
        "output": result.output,
        "error": result.error,
        "cause": result.cause,
        "nextState": result.next_state,
        "inspectionData": result.inspection_data,
    }
    if explain:
        answer["choiceTrace"] = choice_trace(definition, state_name, input, context, variables)
    return answer


def choice_trace(
    definition: Any, state_name: str | None, input: Any, context: Any, variables: Any
) -> dict[str, Any] | None:
    """Why the Choice state went where it went; None for any other type of state."""
    state = find_state(definition, state_name) if state_name else definition
    if not isinstance(state, dict) or state.get("Type") != "Choice":
        return None
    jsonata = bool(state_name) and definition.get("QueryLanguage") == "JSONata"
    return trace(state, {} if input is None else input, context, variables, jsonata=jsonata)
