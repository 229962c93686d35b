from django.urls import path

app_name = "portal"
# The portal's pages are built by the talent-portal part; ``link`` is the route that
# signed status links (receipts, notifications) point to.
urlpatterns: list = [
    path("l/<str:token>/", lambda request, token: None, name="link"),
]
