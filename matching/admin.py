from django.contrib import admin

from .models import Dismissal


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("idea", "organisation", "by", "created_at")
    list_filter = ("created_at",)
    search_fields = ("idea__title", "organisation__name")
    list_select_related = ("idea", "organisation", "by")
    raw_id_fields = ("idea", "organisation", "by")
    readonly_fields = ("created_at",)
