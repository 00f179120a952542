import os
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)  # before anything below imports models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.handlers import http_application  # noqa: E402
from config.middleware import limit_body  # noqa: E402
from executor.auth import TokenOrSessionAuthMiddleware  # noqa: E402
from executor.routing import websocket_urlpatterns  # noqa: E402


def browser_origin_validator(inner: Any) -> Any:
    """Browsers send Origin on every WebSocket handshake: checking it against ALLOWED_HOSTS
    stops another site's page from using a visitor's session. Programs (the websockets
    library, `?token=KEY`) send none, and channels' validator alone would refuse them."""
    checked = AllowedHostsOriginValidator(inner)

    async def validate(scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if any(name == b"origin" for name, _ in scope.get("headers", [])):
            return await checked(scope, receive, send)
        return await inner(scope, receive, send)

    return validate


application = ProtocolTypeRouter(
    {
        "http": limit_body(http_application()),
        "websocket": browser_origin_validator(
            TokenOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)
