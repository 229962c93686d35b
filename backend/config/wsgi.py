import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each worker refuses to serve with settings that would send dead links or lose every
# message (DEBUG off: a loopback or http PUBLIC_BASE_URL, a mail/SMS backend without its
# settings); gunicorn then stops with the reason on its error log.
from core.checks import refuse_to_start  # noqa: E402 - after Django is set up

refuse_to_start()
