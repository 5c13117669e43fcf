from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from khs import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/link/", views.member_link_request, name="member-link-request"),
    path("login/link/auth/", views.member_login, name="member-login"),
    path("cooperation/switch/", views.cooperation_switch, name="cooperation-switch"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("membership.urls")),
    path("", include("meetings.urls")),
    path("", include("billing.urls")),
    path("", include("publishing.urls")),
]
handler403 = "khs.views.error_403"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
