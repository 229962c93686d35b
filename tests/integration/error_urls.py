"""The product's URLconf plus two views that fail on purpose, for the server-error tests
(``tests/integration/test_server_errors.py``): never part of the product's routes."""

from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as product_urlpatterns


def boom(request):
    raise RuntimeError("a fault on purpose")


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    *product_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
