from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from awsapi import views as awsapi_views

# The split view serves Swagger UI's start-up script as a file, so scripts stay 'self' only;
# Swagger UI itself writes a <style> element, allowed on this page alone.
swagger_ui = csp_update({"style-src": [UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)
# Redoc styles itself with <style> elements and renders in a worker it starts from a blob.
redoc = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="schema")
)

SCHEMA = {
    # The long poll is a plain async view, which drf-spectacular cannot see: a hook documents it.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "executor.api_schema.document_activity_poll",
    ],
    # Programs send JSON; only that is documented. DRF parses forms too, but a malformed
    # multipart body never reaches Django: Daphne (Twisted) answers it with an empty 400.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(custom_settings=SCHEMA), name="schema"),
    path("api/v1/docs/", swagger_ui, name="api-docs"),
    path("api/v1/redoc/", redoc, name="api-redoc"),
    path("api/v1/", include("designer.api_urls")),
    path("api/v1/", include("executor.api_urls")),
    path("api/v1/", include("awsapi.rest_urls")),
    # AWS SDKs POST to the base URL (endpoint_url=http://host:port); other requests to /
    # are the home page's.
    path("", awsapi_views.root),
    path("access-keys/", include("awsapi.urls")),
    path("", include("designer.urls")),
    path("", include("executor.urls")),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
