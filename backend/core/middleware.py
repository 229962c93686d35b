"""Responses are private unless a view says otherwise.

Staff pages, the API and the portal show personal data (names, document numbers, phone
numbers). A shared proxy or the browser's back button must not keep them, so every
dynamic response without its own ``Cache-Control`` gets Django's never-cache headers
(``no-store`` among them). Static files never reach this middleware (WhiteNoise answers
them first, with their own long-lived caching).
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class PrivateByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
