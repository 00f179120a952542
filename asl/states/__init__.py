"""One module per state type (https://states-language.net/#state-types).

Each module's handlers take ``(ex, frame, st)``: the ``asl.interpreter.Execution`` whose
public methods they call (``emit``, ``parameters``, ``finish``, ``exit_state``,
``handle_failure``, ``spawn`` ...), the frame that entered the state and the compiled
state.  ``ENTER`` maps a state type to the handler that runs it when it is entered (or
retried); the others continue a state whose frame was waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from asl.frames import Frame
from asl.machine import State
from asl.states.choice import choice_state
from asl.states.fail import fail_state
from asl.states.map import map_child_finished, map_reenter, map_state
from asl.states.parallel import parallel_child_finished, parallel_reenter, parallel_state
from asl.states.pass_ import pass_state
from asl.states.succeed import succeed_state
from asl.states.task import task_answered, task_outcome_event, task_state
from asl.states.wait import wait_done, wait_state

if TYPE_CHECKING:
    from asl.interpreter import Execution

Handler = Callable[["Execution", Frame, State], None]

ENTER: dict[str, Handler] = {
    "Pass": pass_state,
    "Succeed": succeed_state,
    "Fail": fail_state,
    "Choice": choice_state,
    "Wait": wait_state,
    "Task": task_state,
    "Parallel": parallel_state,
    "Map": map_state,
}

# A redriven Map or Parallel reruns only its children that did not succeed.
REENTER: dict[str, Handler] = {"Parallel": parallel_reenter, "Map": map_reenter}

__all__ = [
    "ENTER",
    "REENTER",
    "Handler",
    "map_child_finished",
    "parallel_child_finished",
    "task_answered",
    "task_outcome_event",
    "wait_done",
]
