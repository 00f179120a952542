from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script, for the CSP.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("designer.api_urls")),
    path("api/v1/", include("executor.api_urls")),
    path("", include("designer.urls")),
    path("", include("executor.urls")),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
