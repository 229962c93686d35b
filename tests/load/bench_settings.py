"""Settings for the benchmark server: the production settings plus one bare view.

The bare view (``/bench/bare/``) lives only in this URLconf, never in the product's:
it is the ceiling of the stack (Django, middleware, gunicorn) on the machine, and every
endpoint's throughput is reported as a ratio to it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.load.bench_urls"
