"""Errors of the AWS protocol, in AWS JSON 1.0's shape, which botocore and the AWS SDKs parse
into their modelled exceptions (client.exceptions.StateMachineDoesNotExist, ...)."""

from __future__ import annotations

from django.http import JsonResponse

from designer.actions import ActionError

# The namespace AWS Step Functions puts before its error codes in `__type`; SDKs read the
# part after '#'.
NAMESPACE = "com.amazonaws.swf.base.model"
# AWS answers 400 for every modelled error of Step Functions; these are the exceptions.
STATUS = {
    "MissingAuthenticationTokenException": 403,
    "AccessDeniedException": 400,
    "UnknownOperationException": 400,
    "ThrottlingException": 400,
    "InternalFailure": 500,
}
# An action's 403 (a role lacking) is AWS's AccessDeniedException whatever its generic code.
CODES_BY_ACTION_STATUS = {403: "AccessDeniedException", 429: "ThrottlingException"}


class AwsError(Exception):
    """``field`` names the request member at fault, which the REST API shows (awsapi.rest);
    AWS's protocol has no place for it."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def from_action(exc: ActionError, renames: dict[str, str] | None = None) -> AwsError:
    """An action's refusal under AWS's name for it in this operation (``renames`` maps the
    action's code to the operation's, e.g. a 409 conflict to TaskTimedOut)."""
    code = CODES_BY_ACTION_STATUS.get(exc.status, exc.code)
    code = (renames or {}).get(code, code)
    # Names of the REST API that AWS's JSON protocol does not have.
    code = {"PayloadTooLarge": "ValidationException"}.get(code, code)
    message = f"{exc.message} (field {exc.field})" if exc.field else exc.message
    return AwsError(code, message, exc.field)


def response(error: AwsError, status: int | None = None) -> JsonResponse:
    answer = JsonResponse(
        {"__type": f"{NAMESPACE}#{error.code}", "message": error.message},
        status=status or STATUS.get(error.code, 400),
        content_type="application/x-amz-json-1.0",
    )
    answer["x-amzn-ErrorType"] = error.code
    return answer
