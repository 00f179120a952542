"""Checks for Map states: the item processor, its mode, and the Distributed Map fields
(ItemReader, ItemBatcher, ResultWriter, tolerated failures, Label)."""

from __future__ import annotations

from typing import Any

from asl.limits import MAX_BATCH_BYTES as _MAX_BATCH_BYTES
from asl.limits import MAX_BATCH_ITEMS as _MAX_BATCH_ITEMS
from asl.limits import MAX_LABEL_CHARS as _LABEL_LIMIT
from asl.validate_context import StateContext, SubMachine
from asl.validate_expressions import (
    JSONATA,
    check_jsonata,
    check_object_template,
    check_path,
    is_jsonata,
)
from asl.validate_fields import PROCESSOR_FIELDS
from asl.validate_report import kind_of, report_unknown_fields
from asl.validate_values import check_enum, check_int, check_string

_DISTRIBUTED_ONLY = (
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
)
_LABEL_FORBIDDEN = set(' <>{}[]?*"#%\\^|~`$&,;:/')

# A JSONata Map runs ToleratedFailurePercentage and ToleratedFailureCount in inline mode as
# well: AWS evaluates them there ("{% ... %}" or a number) and the Map runs, where a JSONPath
# inline Map is refused for them. The developer guide lists them with the Distributed Map
# (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html) and says
# nothing of inline JSONata; the rule is AWS's recorded behaviour (an inline JSONata Map with
# either field, as "{% $variable := 1 %}", succeeds in an execution recorded against AWS).
_INLINE_IN_JSONATA = frozenset({"ToleratedFailurePercentage", "ToleratedFailureCount"})

# Sub-object fields: (fields in any language, JSONPath-only fields, JSONata-only fields).
FieldSets = tuple[set[str], set[str], set[str]]

_READER_FIELDS: FieldSets = ({"Resource", "ReaderConfig"}, {"Parameters"}, {"Arguments"})
_READER_CONFIG_FIELDS: FieldSets = (
    {"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "ManifestType"},
    {"MaxItemsPath"},
    set(),
)
_BATCHER_FIELDS: FieldSets = (
    {"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"},
    {"MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"},
    set(),
)
_WRITER_FIELDS: FieldSets = ({"Resource", "WriterConfig"}, {"Parameters"}, {"Arguments"})
_WRITER_CONFIG_FIELDS: FieldSets = ({"Transformation", "OutputType"}, set(), set())
_PROCESSOR_CONFIG_FIELDS: FieldSets = ({"Mode", "ExecutionType"}, set(), set())


def _object(
    ctx: StateContext,
    value: Any,
    label: str,
    fields: FieldSets,
    *where: object,
) -> dict[str, Any] | None:
    """Checks ``value`` is an object holding only ``fields``; returns it when it is one."""
    if not isinstance(value, dict):
        ctx.add("INVALID_TYPE", f"{label} must be an object, not {kind_of(value)}.", *where)
        return None
    common, jsonpath_only, jsonata_only = fields
    own, other = (
        (jsonata_only, jsonpath_only) if ctx.language == JSONATA else (jsonpath_only, jsonata_only)
    )
    for key in value:
        if key in other:
            ctx.add(
                "FIELD_NOT_IN_QUERY_LANGUAGE",
                f"{label} uses {key}, which does not work in {ctx.language} states.",
                *where,
                key,
            )
    rest = {key: item for key, item in value.items() if key not in other}
    report_unknown_fields(ctx.report, rest, common | own, ctx.at(*where), label)
    return value


def _processor(ctx: StateContext) -> bool:
    """Checks the item processor and queues it for validation; True when distributed."""
    has_processor, has_iterator = "ItemProcessor" in ctx.state, "Iterator" in ctx.state
    if has_processor and has_iterator:
        ctx.add(
            "CONFLICTING_FIELDS",
            f"{ctx.title} has both ItemProcessor and Iterator (its older name); keep only ItemProcessor.",
            "Iterator",
        )
    if not (has_processor or has_iterator):
        ctx.add(
            "MISSING_FIELD",
            f"{ctx.title} needs an ItemProcessor, the states to run for each item.",
            "ItemProcessor",
        )
        return False
    key = "ItemProcessor" if has_processor else "Iterator"
    processor = ctx.state[key]
    ctx.facts.children.append(
        SubMachine(processor, ctx.at(key), f"the item processor of {ctx.owner}", PROCESSOR_FIELDS)
    )
    if not isinstance(processor, dict) or "ProcessorConfig" not in processor:
        return False
    label = f"ProcessorConfig of {ctx.owner}"
    config = _object(
        ctx, processor["ProcessorConfig"], label, _PROCESSOR_CONFIG_FIELDS, key, "ProcessorConfig"
    )
    if config is None:
        return False
    mode = config.get("Mode", "INLINE")
    if "Mode" in config:
        check_enum(
            ctx.report,
            mode,
            ctx.at(key, "ProcessorConfig", "Mode"),
            f"Mode in {label}",
            ("INLINE", "DISTRIBUTED"),
        )
    if "ExecutionType" in config:
        check_enum(
            ctx.report,
            config["ExecutionType"],
            ctx.at(key, "ProcessorConfig", "ExecutionType"),
            f"ExecutionType in {label}",
            ("STANDARD", "EXPRESS"),
        )
        if mode != "DISTRIBUTED":
            ctx.add(
                "DISTRIBUTED_ONLY_FIELD",
                f"{label} sets ExecutionType, which only applies when Mode is DISTRIBUTED.",
                key,
                "ProcessorConfig",
                "ExecutionType",
            )
    elif mode == "DISTRIBUTED":
        ctx.add(
            "MISSING_FIELD",
            f"{label} uses Mode DISTRIBUTED, so it needs an ExecutionType (STANDARD or EXPRESS).",
            key,
            "ProcessorConfig",
            "ExecutionType",
        )
    return bool(mode == "DISTRIBUTED")


def _items(ctx: StateContext) -> None:
    if ctx.has("ItemsPath"):
        ctx.path("ItemsPath", selection=True)
    if ctx.has("Items"):
        items = ctx.state["Items"]
        if is_jsonata(items):
            check_jsonata(ctx.report, items, ctx.at("Items"), ctx.what("Items"))
        elif not isinstance(items, list):
            ctx.add(
                "INVALID_TYPE",
                f"{ctx.what('Items')} must be a list or a JSONata expression, not {kind_of(items)}.",
                "Items",
            )
    if ctx.has("Parameters") and ctx.has("ItemSelector"):
        ctx.add(
            "CONFLICTING_FIELDS",
            f"{ctx.title} has both ItemSelector and Parameters (its older name); keep only ItemSelector.",
            "Parameters",
        )
    if ctx.has("ItemSelector"):
        check_object_template(
            ctx.report,
            ctx.state["ItemSelector"],
            ctx.at("ItemSelector"),
            ctx.what("ItemSelector"),
            ctx.language,
        )


def _limits(ctx: StateContext) -> None:
    for key in ("MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount"):
        ctx.exclusive(key, f"{key}Path")
        if ctx.has(f"{key}Path"):
            ctx.path(f"{key}Path", reference=True)
    if ctx.has("MaxConcurrency"):
        ctx.whole_number("MaxConcurrency", minimum=0)
    if ctx.has("ToleratedFailureCount"):
        ctx.whole_number("ToleratedFailureCount", minimum=0)
    if ctx.has("ToleratedFailurePercentage"):
        ctx.number("ToleratedFailurePercentage", minimum=0, maximum=100)
    if ctx.has("Label") and ctx.text("Label"):
        label = ctx.state["Label"]
        if len(label) > _LABEL_LIMIT or any(
            c in _LABEL_FORBIDDEN or not c.isprintable() for c in label
        ):
            ctx.add(
                "INVALID_LABEL",
                f"{ctx.what('Label')} must be at most {_LABEL_LIMIT} characters without spaces or "
                'any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /.',
                "Label",
            )


def _resource_and_arguments(
    ctx: StateContext, holder: dict[str, Any], label: str, key: str
) -> None:
    if "Resource" in holder:
        check_string(
            ctx.report,
            holder["Resource"],
            ctx.at(key, "Resource"),
            f"Resource in {label}",
            non_empty=True,
        )
    arguments = "Arguments" if ctx.language == JSONATA else "Parameters"
    if arguments in holder:
        check_object_template(
            ctx.report,
            holder[arguments],
            ctx.at(key, arguments),
            f"{arguments} in {label}",
            ctx.language,
        )


def _item_reader(ctx: StateContext) -> None:
    label = f"ItemReader of {ctx.owner}"
    reader = _object(ctx, ctx.state["ItemReader"], label, _READER_FIELDS, "ItemReader")
    if reader is None:
        return
    if "Resource" not in reader:
        ctx.add(
            "MISSING_FIELD",
            f"{label} needs a Resource, the action that reads the items.",
            "ItemReader",
            "Resource",
        )
    _resource_and_arguments(ctx, reader, label, "ItemReader")
    if "ReaderConfig" not in reader:
        return
    config_label = f"ReaderConfig in {label}"
    config = _object(
        ctx,
        reader["ReaderConfig"],
        config_label,
        _READER_CONFIG_FIELDS,
        "ItemReader",
        "ReaderConfig",
    )
    if config is None:
        return

    def at(field: str) -> str:
        return ctx.at("ItemReader", "ReaderConfig", field)

    if "InputType" in config:
        check_enum(
            ctx.report,
            config["InputType"],
            at("InputType"),
            f"InputType in {config_label}",
            ("CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"),
        )
    if "CSVHeaderLocation" in config:
        check_enum(
            ctx.report,
            config["CSVHeaderLocation"],
            at("CSVHeaderLocation"),
            f"CSVHeaderLocation in {config_label}",
            ("FIRST_ROW", "GIVEN"),
        )
        if config["CSVHeaderLocation"] == "GIVEN" and "CSVHeaders" not in config:
            ctx.add(
                "MISSING_FIELD",
                f"{config_label} takes its CSV headers as GIVEN, so it needs CSVHeaders.",
                "ItemReader",
                "ReaderConfig",
                "CSVHeaders",
            )
    if "CSVHeaders" in config:
        headers = config["CSVHeaders"]
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            ctx.add(
                "INVALID_TYPE",
                f"CSVHeaders in {config_label} must be a list of column names.",
                "ItemReader",
                "ReaderConfig",
                "CSVHeaders",
            )
    if "CSVDelimiter" in config:
        check_enum(
            ctx.report,
            config["CSVDelimiter"],
            at("CSVDelimiter"),
            f"CSVDelimiter in {config_label}",
            ("COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
        )
    if "ManifestType" in config:
        check_string(
            ctx.report,
            config["ManifestType"],
            at("ManifestType"),
            f"ManifestType in {config_label}",
        )
    ctx.exclusive("MaxItems", "MaxItemsPath", "ItemReader", "ReaderConfig")
    if "MaxItems" in config:
        check_int(
            ctx.report,
            config["MaxItems"],
            at("MaxItems"),
            f"MaxItems in {config_label}",
            minimum=0,
            maximum=100_000_000,
            language=ctx.language,
        )
    if "MaxItemsPath" in config and ctx.language != JSONATA:
        check_path(
            ctx.report,
            config["MaxItemsPath"],
            at("MaxItemsPath"),
            f"MaxItemsPath in {config_label}",
            reference=True,
        )


def _item_batcher(ctx: StateContext) -> None:
    label = f"ItemBatcher of {ctx.owner}"
    batcher = _object(ctx, ctx.state["ItemBatcher"], label, _BATCHER_FIELDS, "ItemBatcher")
    if batcher is None:
        return
    limits = {"MaxItemsPerBatch": _MAX_BATCH_ITEMS, "MaxInputBytesPerBatch": _MAX_BATCH_BYTES}
    if not any(key in batcher or f"{key}Path" in batcher for key in limits):
        ctx.add(
            "MISSING_FIELD",
            f"{label} needs MaxItemsPerBatch or MaxInputBytesPerBatch to know how big a batch is.",
            "ItemBatcher",
        )
    for key, maximum in limits.items():
        ctx.exclusive(key, f"{key}Path", "ItemBatcher")
        if key in batcher:
            check_int(
                ctx.report,
                batcher[key],
                ctx.at("ItemBatcher", key),
                f"{key} in {label}",
                minimum=1,
                maximum=maximum,
                language=ctx.language,
            )
        if f"{key}Path" in batcher and ctx.language != JSONATA:
            check_path(
                ctx.report,
                batcher[f"{key}Path"],
                ctx.at("ItemBatcher", f"{key}Path"),
                f"{key}Path in {label}",
                reference=True,
            )
    if "BatchInput" in batcher:
        check_object_template(
            ctx.report,
            batcher["BatchInput"],
            ctx.at("ItemBatcher", "BatchInput"),
            f"BatchInput in {label}",
            ctx.language,
        )


def _result_writer(ctx: StateContext) -> None:
    label = f"ResultWriter of {ctx.owner}"
    writer = _object(ctx, ctx.state["ResultWriter"], label, _WRITER_FIELDS, "ResultWriter")
    if writer is None:
        return
    arguments = "Arguments" if ctx.language == JSONATA else "Parameters"
    if not writer:
        ctx.add(
            "EMPTY_VALUE",
            f"{label} must have a WriterConfig, or a Resource with {arguments}.",
            "ResultWriter",
        )
    elif ("Resource" in writer) != (arguments in writer):
        missing = arguments if "Resource" in writer else "Resource"
        ctx.add(
            "MISSING_FIELD",
            f"{label} needs both Resource and {arguments} to export results; {missing} is missing.",
            "ResultWriter",
            missing,
        )
    _resource_and_arguments(ctx, writer, label, "ResultWriter")
    if "WriterConfig" in writer:
        config_label = f"WriterConfig in {label}"
        config = _object(
            ctx,
            writer["WriterConfig"],
            config_label,
            _WRITER_CONFIG_FIELDS,
            "ResultWriter",
            "WriterConfig",
        )
        if config is None:
            return
        if "Transformation" in config:
            check_enum(
                ctx.report,
                config["Transformation"],
                ctx.at("ResultWriter", "WriterConfig", "Transformation"),
                f"Transformation in {config_label}",
                ("NONE", "COMPACT", "FLATTEN"),
            )
        if "OutputType" in config:
            check_enum(
                ctx.report,
                config["OutputType"],
                ctx.at("ResultWriter", "WriterConfig", "OutputType"),
                f"OutputType in {config_label}",
                ("JSON", "JSONL"),
            )


def check_map(ctx: StateContext) -> None:
    distributed = _processor(ctx)
    _items(ctx)
    _limits(ctx)
    if not distributed:
        for key in _DISTRIBUTED_ONLY:
            if ctx.language == JSONATA and key in _INLINE_IN_JSONATA:
                continue
            if ctx.has(key):
                ctx.add(
                    "DISTRIBUTED_ONLY_FIELD",
                    f"{ctx.title} uses {key}, which only works in a Distributed Map; set "
                    "ProcessorConfig Mode to DISTRIBUTED or remove it.",
                    key,
                )
    if ctx.has("ItemReader"):
        _item_reader(ctx)
    if ctx.has("ItemBatcher"):
        _item_batcher(ctx)
    if ctx.has("ResultWriter"):
        _result_writer(ctx)
