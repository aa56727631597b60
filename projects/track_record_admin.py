"""Past projects in the admin: staff correct imported or approved records."""

from django.contrib import admin

from .models import PastParticipation, PastProject


class PastParticipationInline(admin.TabularInline):
    model = PastParticipation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(PastProject)
class PastProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "action", "year", "source", "reference"]
    list_filter = ["programme", "source", "year"]
    search_fields = ["title", "reference", "participations__organisation__name"]
    list_select_related = ["programme"]
    readonly_fields = ["source", "reference", "idea", "created_at", "updated_at"]
    filter_horizontal = ["themes"]
    inlines = [PastParticipationInline]
