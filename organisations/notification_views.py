"""The person's notifications on the site, and their e-mail preferences under /accounts/.

A notification belongs to one person: anyone else gets 404 for it. Its text is
rendered from its kind and parameters in the language of the page, so a
notification caused by a Lithuanian reads in Latvian for a Latvian reader.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerhub.adapter import remember_language

from . import notifications as notices
from .forms import NotificationSettingsForm
from .models import EmailFrequency, Notification, UserSettings

PAGE_SIZE = 30


def unread_first(queryset):
    """Unread notifications first, each part newest first."""
    return queryset.annotate(
        is_read=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("is_read", "-created_at", "-pk")


def with_text(notifications) -> list:
    """Attach ``rendered`` (title, note, reasons, url) in the active language to each one."""
    items = list(notifications)
    for notification in items:
        notification.rendered = notices.render(notification)
    return items


def _safe(request, target: str, fallback: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_GET
def notification_list(request):
    notifications = unread_first(
        Notification.objects.for_user(request.user).select_related("organisation")
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/notification_list.html",
        {
            "page_obj": page,
            "notifications": with_text(page.object_list),
            "unread": Notification.objects.for_user(request.user).unread().count(),
        },
    )


@login_required
@require_GET
def notification_open(request, pk: int):
    """Follow a notification's link; opening it marks it read."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notices.mark_read(user=request.user, pks=[notification.pk])
    return redirect(_safe(request, notification.url, reverse("notifications")))


@login_required
@require_POST
def notification_mark_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notices.mark_read(user=request.user, pks=[notification.pk])
    return redirect(_safe(request, request.POST.get("next", ""), reverse("notifications")))


@login_required
@require_POST
def notification_mark_all_read(request):
    count = notices.mark_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    return redirect(_safe(request, request.POST.get("next", ""), reverse("notifications")))


def _initial(user_settings: UserSettings | None, groups: dict[str, list[str]]) -> dict:
    initial = {
        "display_name": user_settings.display_name if user_settings else "",
        "language": user_settings.language if user_settings else translation.get_language(),
    }
    for index, kinds in enumerate(groups.values()):
        # A group shows what its first kind is set to; saving sets all its kinds alike.
        initial[f"group_{index}"] = (
            user_settings.frequency_for(kinds[0]) if user_settings else EmailFrequency.IMMEDIATELY
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def account_notifications(request):
    """The account page (/accounts/profile/): display name, language, and for each group
    of events e-mail at once, daily, or never; links to the account's other parts."""
    groups = notices.preference_groups()
    user_settings = UserSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST or None, groups=groups, initial=_initial(user_settings, groups)
    )
    if request.method == "POST" and form.is_valid():
        user_settings = user_settings or UserSettings(user=request.user)
        user_settings.display_name = form.cleaned_data["display_name"].strip()
        user_settings.language = form.cleaned_data["language"]
        user_settings.email_preferences = {
            **user_settings.email_preferences,
            **form.preferences(),
        }
        user_settings.full_clean()
        user_settings.save()
        # The site follows the chosen language from now on, like the language switcher.
        translation.activate(user_settings.language)
        messages.success(request, _("Your settings are saved."))
        return remember_language(redirect("account-profile"), user_settings.language)
    return render(request, "account/notification_settings.html", {"form": form})
