"""Workspace tests: a signed-in client per persona."""

import pytest
from django.test import Client


@pytest.fixture
def login():
    """``login(persona)`` → a test client signed in as that persona's user."""

    def make(persona, **headers):
        client = Client(**headers)
        client.force_login(persona.user)
        return client

    return make


@pytest.fixture
def htmx():
    """Headers of an htmx request swapping ``target``."""

    def make(target):
        return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}

    return make
