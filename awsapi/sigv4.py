"""Who sent a request: its AWS Signature Version 4, checked with botocore's own signer.

The request is rebuilt as botocore's AWSRequest with the headers the client signed, and
botocore computes the signature the holder of the secret would have sent
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials
from django.http import HttpRequest
from django.utils import timezone

from awsapi import keys
from awsapi.errors import AwsError
from awsapi.models import AccessKey

AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/"
    r"(?P<service>[^/,\s]+)/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;_.-]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)
TIMESTAMP = "%Y%m%dT%H%M%SZ"
# AWS refuses a request signed more than 15 minutes before or after its own clock.
MAX_SKEW = dt.timedelta(minutes=15)


class _Signer(SigV4Auth):
    """botocore's signer over exactly the headers the client says it signed (botocore would
    leave out a few, such as user-agent, that another SDK may sign)."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: list[str]):
        super().__init__(credentials, service, region)
        self.signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name in self.signed:
            for value in request.headers.get_all(name) or []:
                chosen.add_header(name, value)
        return chosen


def authenticate(request: HttpRequest) -> Any:
    """The active user whose access key signed ``request``; an AwsError otherwise."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise AwsError("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = AUTHORIZATION.match(header)
    if match is None:
        raise AwsError(
            "IncompleteSignatureException",
            "The Authorization header is not an AWS4-HMAC-SHA256 signature with Credential, "
            "SignedHeaders and Signature.",
        )
    key = (
        AccessKey.objects.select_related("user")
        .filter(access_key_id=match["key"], revoked_at__isnull=True)
        .first()
    )
    secret = keys.secret_of(key) if key is not None else None
    if key is None or secret is None or not key.user.is_active:
        raise AwsError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    stamp = request.headers.get("X-Amz-Date", "")
    try:
        signed_at = dt.datetime.strptime(stamp, TIMESTAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        raise AwsError(
            "IncompleteSignatureException", "The X-Amz-Date header must be like 20260101T000000Z."
        ) from None
    now = timezone.now()
    if abs(now - signed_at) > MAX_SKEW:
        raise AwsError(
            "InvalidSignatureException",
            f"Signature expired: {stamp} is now earlier than "
            f"{(now - MAX_SKEW).strftime(TIMESTAMP)} ({now.strftime(TIMESTAMP)} - 15 min.)"
            if signed_at < now
            else f"Signature not yet current: {stamp} is still later than "
            f"{(now + MAX_SKEW).strftime(TIMESTAMP)} ({now.strftime(TIMESTAMP)} + 15 min.)",
        )
    signed = match["headers"].split(";")
    if "host" not in signed or match["date"] != stamp[:8]:
        raise AwsError(
            "IncompleteSignatureException",
            "The signature must cover the host header, and its scope the date of X-Amz-Date.",
        )
    expected = _expected_signature(request, secret, match, signed, stamp)
    if not hmac.compare_digest(expected, match["signature"]):
        raise AwsError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    if key.last_used_at is None or now - key.last_used_at > dt.timedelta(minutes=1):
        # At most once a minute: a busy worker must not write a row per request.
        AccessKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user


def _expected_signature(
    request: HttpRequest, secret: str, match: re.Match[str], signed: list[str], stamp: str
) -> str:
    headers = HTTPHeaders()
    for name in signed:
        value = request.headers.get(name)
        if value is not None:
            headers.add_header(name, value)
    url = f"http://{request.headers.get('Host', '')}{request.get_full_path()}"
    aws_request = AWSRequest(method=request.method, url=url, headers=headers, data=request.body)
    aws_request.context["timestamp"] = stamp
    signer = _Signer(Credentials(match["key"], secret), match["service"], match["region"], signed)
    canonical = signer.canonical_request(aws_request)
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))
