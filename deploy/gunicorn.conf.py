"""gunicorn settings for the systemd unit (deploy/systemd/talentdesk-web.service).

The values live in one file, ``backend/config/gunicorn.conf.py`` (bind, workers, timeout,
logs on standard error, the redacting access logger, the metrics hook); this file loads it
so the unit and a hand-started gunicorn behave the same. Environment knobs:
``GUNICORN_BIND`` (``0.0.0.0:8000``), ``WEB_CONCURRENCY`` (4; about 2 per core),
``GUNICORN_TIMEOUT`` (30 s), ``GUNICORN_LOG_LEVEL``.
"""

import runpy
from pathlib import Path

_shared = Path(__file__).resolve().parent.parent / "backend" / "config" / "gunicorn.conf.py"
globals().update({k: v for k, v in runpy.run_path(str(_shared)).items() if not k.startswith("__")})
