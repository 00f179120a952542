"""Where a Map keeps its inner states, read from the raw definition: the one home of the
ItemProcessor/Iterator pair (Iterator is the older name, still accepted) and of what makes a
Map distributed (https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html)."""

from __future__ import annotations

from typing import Any


def processor_field(state: dict[str, Any]) -> str:
    """The field that holds the Map's inner states."""
    return "ItemProcessor" if "ItemProcessor" in state else "Iterator"


def is_distributed(processor: Any) -> bool:
    """Whether the processor runs its items as child workflows (Mode DISTRIBUTED)."""
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    return isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
