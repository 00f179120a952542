"""Import of a definition file (JSON or YAML) into the designer: the file's text is read into a
definition and checked, so the designer can put it in the draft and say what is wrong."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer import actions
from designer import api_schema as out
from designer.api import body, get_machine
from designer.api_errors import error_body
from designer.definition_files import FileProblem, read_definition


class DefinitionFileIn(serializers.Serializer):
    text = serializers.CharField(help_text="The file's content, JSON or YAML.")
    filename = serializers.CharField(
        required=False, help_text="Its name: .yaml/.yml is read as YAML, .json as JSON."
    )


class ReadFile(serializers.Serializer):
    definition = serializers.JSONField()
    format = serializers.ChoiceField(["json", "yaml"])
    diagnostics = out.Diagnostic(many=True, help_text="The definition's problems, by state.")


@extend_schema(request=DefinitionFileIn, responses={200: ReadFile, **out.errors(404, body=True)})
@api_view(["POST"])
def read_file(request: Request, name: str) -> Response:
    """Reads a file's text into a definition. Nothing is saved: the designer puts it in the
    draft. A parse error is a 400 naming the line and column (also given as numbers)."""
    machine = get_machine(request, name, "edit")
    data = body(request)
    text, filename = data.get("text"), data.get("filename", "")
    if not isinstance(text, str):
        raise actions.ActionError("Send the file's content as text.", field="text")
    if not isinstance(filename, str):
        raise actions.ActionError("The filename must be text.", field="filename")
    actions.check_storable(text, "text")
    try:
        read = read_definition(text, filename)
    except FileProblem as problem:
        refusal = error_body(problem.message, "InvalidDefinitionFile", "text")
        return Response({**refusal, "line": problem.line, "column": problem.column}, status=400)
    diagnostics = actions.validate(read.definition, machine.type)
    return Response(
        {
            "definition": read.definition,
            "format": read.format,
            "diagnostics": [d._asdict() for d in diagnostics],
        }
    )
