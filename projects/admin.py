"""Staff views of calls, ideas and applications; status changes go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organisations.models import REGION_CHOICES, Kind

from . import services
from .importing import CALL_COLUMNS, OPTIONAL_CALL_COLUMNS
from .models import (
    ApplicationEvent,
    ApplicationStatus,
    Call,
    PartnershipApplication,
    ProjectIdea,
    today,
)


class CallAdminForm(forms.ModelForm):
    link = forms.URLField(label=capfirst(_("link")), required=False, assume_scheme="https")
    allowed_kinds = forms.MultipleChoiceField(
        label=_("eligible kinds of organisation"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means any kind."),
    )
    applicant_kinds = forms.MultipleChoiceField(
        label=_("kinds of organisation that may apply"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every eligible kind may apply."),
    )
    eligible_regions = forms.MultipleChoiceField(
        label=_("eligible regions (NUTS)"),
        choices=REGION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The programme area. Organisations from a country with regions ticked here must "
            "be in one of them; other eligible countries are not limited."
        ),
    )

    class Meta:
        model = Call
        # The columns of a calls CSV: staff edit what an import would set.
        fields = CALL_COLUMNS + OPTIONAL_CALL_COLUMNS

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if self.instance.pk is None and deadline and deadline < today():
            raise ValidationError(_("A new call cannot have a deadline in the past."))
        return deadline


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = (
        "code",
        "title",
        "programme",
        "deadline",
        "min_organisations",
        "min_countries",
        "partners_allowed",
        "idea_count",
    )
    list_filter = ("programme", "partners_allowed", "deadline")
    search_fields = ("code", "title", "description")
    list_select_related = ("programme",)
    date_hierarchy = "deadline"
    fieldsets = (
        (None, {"fields": ("programme", "code", "title", "description", "deadline", "link")}),
        (
            _("Eligibility rules"),
            {
                "fields": (
                    "min_organisations",
                    "min_countries",
                    "eligible_countries",
                    "required_countries",
                    "required_group_label",
                    "required_each",
                    "allowed_kinds",
                    "partners_allowed",
                )
            },
        ),
        (
            _("Who may apply"),
            {"fields": ("applicant_countries", "applicant_kinds", "eligible_regions")},
        ),
        (
            _("Duration and funding"),
            {"fields": ("min_months", "max_months", "budget_min", "budget_max", "lump_sums")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(idea_total=Count("ideas"))

    @admin.display(description=_("ideas"), ordering="idea_total")
    def idea_count(self, call):
        return call.idea_total


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "lead", "call", "status", "effective", "closes_on", "updated_at")
    list_filter = ("status", "programme", "call", "lead__country")
    search_fields = ("title", "slug", "lead__name", "search_text")
    list_select_related = ("lead", "call")
    autocomplete_fields = ("lead", "call")
    readonly_fields = ("created_by", "created_at", "updated_at")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("themes", "target_groups", "activities", "fields_sought")
    date_hierarchy = "closes_on"

    @admin.display(description=_("as visitors see it"))
    def effective(self, idea):
        return idea.get_effective_status_display()


class ApplicationEventInline(admin.TabularInline):
    """The audited history: read-only, never edited or deleted by hand."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _transition_action(to_status: str, label):
    def action(modeladmin, request, queryset):
        done = 0
        for application in queryset:
            try:
                services.application_transition(
                    application=application, to_status=to_status, by=request.user
                )
                done += 1
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{application}: {' '.join(error.messages)}", messages.WARNING
                )
        if done:
            modeladmin.message_user(request, _("%(count)d applications moved.") % {"count": done})

    action.__name__ = f"move_to_{to_status.replace('-', '_')}"
    return admin.action(description=label)(action)


@admin.register(PartnershipApplication)
class PartnershipApplicationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "idea", "kind", "status", "score", "created_at")
    list_filter = ("status", "kind", "idea__call")
    search_fields = ("organisation__name", "idea__title", "motivation")
    list_select_related = ("organisation", "idea")
    autocomplete_fields = ("organisation", "idea")
    # Status changes only through the actions, so every one is recorded as an event.
    readonly_fields = (
        "status",
        "score",
        "score_components",
        "score_reasons",
        "created_by",
        "created_at",
    )
    inlines = [ApplicationEventInline]
    actions = [
        _transition_action(ApplicationStatus.UNDER_REVIEW, _("Move to staff review")),
        _transition_action(ApplicationStatus.APPROVED, _("Approve")),
        _transition_action(ApplicationStatus.REJECTED, _("Reject")),
    ]
