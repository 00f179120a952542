"""The page where people make and revoke the access keys their programs sign with."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from awsapi import keys
from awsapi.models import AccessKey
from designer.actions import ActionError


@login_required
def access_keys(request: HttpRequest) -> HttpResponse:
    new_key, secret, error = None, "", ""
    if request.method == "POST":
        try:
            new_key, secret = keys.create_access_key(request.user)
        except ActionError as exc:
            error = exc.message
    shown = AccessKey.objects.filter(user=_signed_in(request))
    response = render(
        request,
        "awsapi/access_keys.html",
        {
            "keys": shown,
            "new_key": new_key,
            "secret": secret,
            "error": error,
            "endpoint": request.build_absolute_uri("/"),
        },
        status=400 if error else 200,
    )
    # The secret is on this page once: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _signed_in(request: HttpRequest) -> User:
    assert isinstance(request.user, User), "login_required lets only users in"
    return request.user


@require_POST
@login_required
def revoke(request: HttpRequest, key_id: str) -> HttpResponse:
    keys.revoke_access_key(request.user, key_id)
    return redirect("access-keys")
