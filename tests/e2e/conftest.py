"""Browser tests: the fixtures (``browser``, ``new_page``, ``screenshot``) live in
``tests/browser.py``, registered once for the whole suite by ``tests/conftest.py`` so that
one Chromium serves every module that drives a browser."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
