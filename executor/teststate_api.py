"""REST TestState: POST /api/v1/test-state/, a thin view over executor.teststate."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from config.handlers import runs_long
from designer import json_text
from designer.api import body
from designer.api_schema import errors
from executor import teststate


class Mock(serializers.Serializer):
    result = serializers.CharField(required=False, help_text="The task's result, as JSON text.")
    errorOutput = serializers.DictField(  # noqa: N815 - AWS's field names
        required=False, help_text='The task\'s error: {"error": "...", "cause": "..."}.'
    )
    fieldValidationMode = serializers.ChoiceField(  # noqa: N815
        ["STRICT", "PRESENT", "NONE"], required=False
    )


class TestStateIn(serializers.Serializer):
    definition = serializers.JSONField(
        help_text="One state, or a whole definition with stateName: an object or JSON text."
    )
    input = serializers.JSONField(required=False, help_text=json_text.HELP)
    inspectionLevel = serializers.ChoiceField(  # noqa: N815
        teststate.INSPECTION_LEVELS, default="INFO"
    )
    stateName = serializers.CharField(required=False)  # noqa: N815
    mock = Mock(required=False)
    variables = serializers.JSONField(
        required=False, help_text=f"An object of variables: {json_text.HELP}"
    )
    context = serializers.JSONField(
        required=False, help_text=f"The context object ($$): {json_text.HELP}"
    )
    explainChoice = serializers.BooleanField(  # noqa: N815
        required=False,
        default=False,
        help_text="Statecraft's own: for a Choice state, also answer choiceTrace.",
    )


class TestStateOut(serializers.Serializer):
    status = serializers.ChoiceField(["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"])
    output = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    nextState = serializers.CharField(allow_null=True)  # noqa: N815
    inspectionData = serializers.JSONField(  # noqa: N815
        allow_null=True, help_text="The data flow, step by step (DEBUG and TRACE)."
    )
    choiceTrace = serializers.JSONField(  # noqa: N815
        required=False,
        allow_null=True,
        help_text="With explainChoice, for a Choice: each rule, the values it compared, the "
        "one that matched and the next state.",
    )


@extend_schema(request=TestStateIn, responses={200: TestStateOut, **errors(body=True)})
@runs_long  # a registered function may take seconds
@api_view(["POST"])
def test_state(request: Request) -> Response:
    return Response(teststate.test_state(body(request)))
