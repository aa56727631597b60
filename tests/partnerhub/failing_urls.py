"""A URLconf whose only page fails, to see the site's own 500 page."""

from django.urls import path

handler500 = "partnerhub.views.server_error"


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("", fail)]
