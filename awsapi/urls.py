from django.urls import path

from awsapi import pages

urlpatterns = [
    path("", pages.access_keys, name="access-keys"),
    path("<str:key_id>/revoke/", pages.revoke, name="revoke-access-key"),
]
