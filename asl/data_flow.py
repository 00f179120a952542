"""InputPath and OutputPath, as every state type applies them.

"If the path does not match anything in the input, the state fails with States.Runtime"
(https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
"""

from __future__ import annotations

from typing import Any

from asl.errors import StatesError
from asl.jsonpath import PathNotFound
from asl.machine import Evaluable


def _brackets(path_text: str) -> str:
    """``$.a.b`` as AWS prints it in path errors: ``$['a']['b']``."""
    if not path_text.startswith("$."):
        return path_text
    names = path_text[2:].split(".")
    if not all(name.isidentifier() for name in names):
        return f"$['{path_text[2:]}']"
    return "$" + "".join(f"['{name}']" for name in names)


def select_path(path: Evaluable, data: Any, context: Any, variables: Any) -> Any:
    """InputPath / OutputPath: a path that matches nothing is a States.Runtime error."""
    try:
        return path.evaluate(data, context, variables)
    except PathNotFound:
        text = getattr(path, "text", str(path))
        raise StatesError(
            "States.Runtime", f"Invalid path '{text}' : No results for path: {_brackets(text)}"
        ) from None
