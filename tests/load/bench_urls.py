from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urls


def bare(request):
    """The smallest Django view: the same middleware as every page, no database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *product_urls]
