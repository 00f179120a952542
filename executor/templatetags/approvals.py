"""The header's approvals badge: how many task tokens wait for the signed-in user. The page
shows it at once; static/app/badge.js keeps it live."""

from typing import Any

from django import template

from executor.approvals import waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def approvals_waiting(context: dict[str, Any]) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return waiting_for(user).count()
