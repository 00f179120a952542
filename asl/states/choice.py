"""The Choice state: the first rule that matches names the next state
(https://states-language.net/#choice-state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl.data_flow import select_path
from asl.errors import StatesError
from asl.frames import (
    QUERY_EVALUATION_ERROR,
    Frame,
    Unprefixed,
    type_name,
)
from asl.history import to_json
from asl.machine import State

if TYPE_CHECKING:
    from asl.interpreter import Execution


def choice_state(ex: Execution, frame: Frame, st: State) -> None:
    if st.jsonata:
        bindings = ex.bindings(frame, st, input=frame.input)
        for rule in st.choices:
            # Validation requires Condition in every JSONata rule.
            assert rule.condition is not None
            matched = rule.condition.evaluate(bindings)
            if not isinstance(matched, bool):
                raise StatesError(
                    QUERY_EVALUATION_ERROR,
                    f"The JSONata expression '{rule.condition_text}' specified for "
                    "the field 'Condition' returned an unexpected result type. Expected "
                    f"'boolean', but was '{type_name(matched)}' for value: {to_json(matched)}",
                )
            if matched:
                # A rule's own Output/Assign take the place of the state's.
                output_template = rule.output or st.output
                assign_template = rule.assign_template or st.assign_template
                output = output_template.evaluate(bindings) if output_template else frame.input
                assigned = assign_template.evaluate(bindings) if assign_template else None
                ex.exit_state(frame, st, output, assigned, rule.next)
                return
        if st.default is None:
            raise Unprefixed("States.NoChoiceMatched", "No Matches!")
        output = st.output.evaluate(bindings) if st.output else frame.input
        assigned = st.assign_template.evaluate(bindings) if st.assign_template else None
        ex.exit_state(frame, st, output, assigned, st.default)
        return
    ctx = ex.context_object(frame, st)
    data = ex.effective_input(frame, st, ctx)
    variables = frame.vars
    for rule in st.choices:
        # Validation requires a test in every JSONPath rule.
        assert rule.test is not None
        if rule.test(data, ctx, variables):
            assign = rule.assign or st.assign
            assigned = assign.evaluate(data, ctx, variables) if assign else None
            out = select_path(st.output_path, data, ctx, variables) if st.output_path else data
            ex.exit_state(frame, st, out, assigned, rule.next)
            return
    if st.default is None:
        raise Unprefixed("States.NoChoiceMatched", "No Matches!")
    assigned = st.assign.evaluate(data, ctx, variables) if st.assign else None
    out = select_path(st.output_path, data, ctx, variables) if st.output_path else data
    ex.exit_state(frame, st, out, assigned, st.default)
