"""Command line: ``python -m asl validate FILE`` and ``python -m asl run FILE [--input JSON]``.

``validate`` prints one diagnostic a line and exits 1 when the definition is invalid;
``run`` prints the execution's result (status, output, error, cause) as JSON and exits 1
unless the execution succeeded.  ``--input @FILE`` reads the input from a file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asl import ValidationError, parse, run


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as ex:
        raise SystemExit(f"{what} is not valid JSON: {ex}") from None


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as ex:
        raise SystemExit(f"cannot read {path}: {ex.strerror}") from None


def _definition(path: str) -> Any:
    return _load_json(_read(path), path)


def _validate(args: argparse.Namespace) -> int:
    try:
        parse(_definition(args.file))
    except ValidationError as ex:
        for diagnostic in ex.diagnostics:
            print(
                f"{args.file}: {diagnostic.location or '/'}: {diagnostic.message} "
                f"[{diagnostic.code}]"
            )
        return 1
    print(f"{args.file}: valid")
    return 0


def _run(args: argparse.Namespace) -> int:
    text = args.input
    data = _load_json(_read(text[1:]) if text.startswith("@") else text, "--input")
    try:
        machine = parse(_definition(args.file))
    except ValidationError as ex:
        for diagnostic in ex.diagnostics:
            print(f"{args.file}: {diagnostic}", file=sys.stderr)
        return 1
    result = run(machine, data)
    report: dict[str, Any] = {"status": result.status}
    if result.status == "SUCCEEDED":
        report["output"] = result.output
    else:
        report["error"] = result.error
        report["cause"] = result.cause
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if result.status == "SUCCEEDED" else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m asl", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a definition")
    check.add_argument("file")
    check.set_defaults(handler=_validate)
    execute = commands.add_parser("run", help="run a definition in-process")
    execute.add_argument("file")
    execute.add_argument("--input", default="{}", help="JSON text, or @FILE")
    execute.set_defaults(handler=_run)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
