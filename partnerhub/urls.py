from allauth.account.decorators import secure_admin_login
from allauth.account.views import signup
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from organisations import account_views, notification_views

from . import views
from .pacing import answer_no_sooner_than

admin.site.site_header = "PartnerHub"
admin.site.site_title = "PartnerHub staff"
# Staff sign in through allauth like everyone else: the same rate limits and lock-outs,
# and the second factor that StaffMFAMiddleware requires of them.
admin.site.login = secure_admin_login(admin.site.login)

handler500 = "partnerhub.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/data/", account_views.data_export, name="account-data"),
    path("accounts/delete/", account_views.delete_account, name="account-delete"),
    path("accounts/profile/", notification_views.account_notifications, name="account-profile"),
    path(
        "accounts/notifications/",
        notification_views.account_notifications,
        name="account-notifications",
    ),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path(
        "notifications/<int:pk>/read/",
        notification_views.notification_mark_read,
        name="notification-read",
    ),
    path(
        "notifications/read/",
        notification_views.notification_mark_all_read,
        name="notifications-read-all",
    ),
    # Before allauth's own route: a registered and a new address answer in the same time.
    path(
        "accounts/signup/",
        answer_no_sooner_than("SIGNUP_ANSWER_SECONDS")(signup),
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("organisations/", include("organisations.urls")),
    path("", include("projects.urls")),
    path("", include("matching.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
