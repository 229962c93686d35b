"""CSRF protection for the portal's forms, which browsers send with ``Origin: null``.

Every portal page carries ``Referrer-Policy: no-referrer`` so that no address of the
portal (a reference, a status link) ever leaks in a Referer. Under that policy a browser
sends a same-origin form POST with ``Origin: null`` and no Referer (Fetch standard,
"serializing a request origin"), which Django's CSRF middleware refuses. The portal's
POST views are therefore exempt from the global middleware and checked here instead, by
Django's own middleware with one change: an ``Origin: null`` passes the origin check only
when the browser's fetch metadata says the request is same-origin
(``Sec-Fetch-Site: same-origin``, a header no page can set), or when the browser sends no
fetch metadata at all. The token check that follows is Django's, unchanged: a forged
cross-site form carries neither the token nor the ``SameSite=Lax`` CSRF cookie.
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt


class PortalCsrfMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return request.META.get("HTTP_SEC_FETCH_SITE") in (None, "same-origin")
        return super()._origin_verified(request)


_portal_csrf = decorator_from_middleware(PortalCsrfMiddleware)


def portal_csrf_protect(view):
    """Check the CSRF token the portal's way (above) instead of the global middleware's."""
    return csrf_exempt(_portal_csrf(view))
