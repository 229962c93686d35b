"""The production settings with the failing views of ``error_urls`` mounted."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.integration.error_urls"
