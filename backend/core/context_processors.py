from django.conf import settings


def talentdesk(request):
    """Values every page template may use."""
    return {"TALENTDESK_DEBUG": settings.DEBUG}
