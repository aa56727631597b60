"""Admin list filters that offer only what is there: present countries, deadlines ahead."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def country_filter(field_path: str, title) -> type[admin.SimpleListFilter]:
    """A filter on ``field_path`` listing only the countries some row has, by name."""

    class PresentCountryFilter(admin.SimpleListFilter):
        parameter_name = field_path.replace("__", "_")

        def lookups(self, request, model_admin):
            codes = (
                model_admin.model._default_manager.exclude(**{field_path: ""})
                .values_list(field_path, flat=True)
                .distinct()
                .order_by()
            )
            found = {str(code) for code in codes if code}
            return sorted(
                ((code, countries.name(code) or code) for code in found), key=lambda c: c[1]
            )

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{field_path: self.value()})
            return queryset

    PresentCountryFilter.title = title
    return PresentCountryFilter


class DeadlineFilter(admin.SimpleListFilter):
    """Calls by their deadline as staff think of it: still open, closing soon, closed."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("30", _("Open, closing within 30 days")),
            ("90", _("Open, closing within 90 days")),
            ("open", _("Open")),
            ("closed", _("Closed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value in ("30", "90"):
            return queryset.filter(
                deadline__gte=today, deadline__lte=today + datetime.timedelta(days=int(value))
            )
        if value == "open":
            return queryset.filter(deadline__gte=today)
        if value == "closed":
            return queryset.filter(deadline__lt=today)
        return queryset
