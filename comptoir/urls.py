"""Root URL map: each edge app owns its own prefix."""

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/agent/", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("comptoir.api.urls")),
    path("agent/email/", include("comptoir.channels.email.urls")),
    path("agent/tokens/", include("comptoir.api.token_urls")),
    path("agent/webhooks/", include("comptoir.api.webhook_urls")),
    path("agent/casework/", include("comptoir.casework.urls")),
    path("agent/admin/", include("comptoir.admin_center.urls")),
    path("agent/", include("comptoir.agent.urls")),
    path("help/", include("comptoir.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
