"""Staff views of calls, ideas and applications; status changes go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from organisations.models import REGION_CHOICES, Kind
from partnerhub.admin_actions import run_with_note
from partnerhub.admin_filters import DeadlineFilter, country_filter
from partnerhub.search import FullTextAdminSearch

from . import partnerships
from .admin_review import messages_html, score_html  # also registers the review queue
from .importing import CALL_COLUMNS, CALL_TRANSLATION_COLUMNS, OPTIONAL_CALL_COLUMNS
from .models import (
    ApplicationEvent,
    Call,
    Message,
    PartnershipApplication,
    ProjectIdea,
    today,
)
from .track_record_admin import PastProjectAdmin  # noqa: F401  (registers past projects)


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
        fields = CALL_COLUMNS + OPTIONAL_CALL_COLUMNS + CALL_TRANSLATION_COLUMNS

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
    # Deadlines are mostly ahead: open / closing soon / closed, not "today, past 7 days".
    list_filter = (
        ("programme", admin.RelatedOnlyFieldListFilter),
        "partners_allowed",
        DeadlineFilter,
    )
    search_fields = ("code", "title", "title_lv", "title_lt", "description")
    list_select_related = ("programme",)
    date_hierarchy = "deadline"
    fieldsets = (
        (None, {"fields": ("programme", "code", "title", "description", "deadline", "link")}),
        (
            _("In Latvian and Lithuanian"),
            {
                "description": _(
                    "Shown to visitors reading the site in that language; "
                    "left empty, they see the English title and description."
                ),
                "fields": ("title_lv", "description_lv", "title_lt", "description_lt"),
            },
        ),
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
class ProjectIdeaAdmin(FullTextAdminSearch, admin.ModelAdmin):
    list_display = (
        "title",
        "lead",
        "call",
        "status",
        "effective",
        "is_public",
        "closes_on",
        "updated_at",
    )
    list_filter = (
        "status",
        ("programme", admin.RelatedOnlyFieldListFilter),
        ("call", admin.RelatedOnlyFieldListFilter),
        country_filter("lead__country", _("country of the lead")),
        ("hidden_at", admin.EmptyFieldListFilter),
    )
    # Besides these fields, the site's full-text search (FullTextAdminSearch).
    search_fields = ("title", "slug", "lead__name")
    list_select_related = ("lead", "call")
    autocomplete_fields = ("lead", "call")
    # Moderation goes through the actions, which tell the lead why.
    readonly_fields = ("created_by", "created_at", "updated_at", "hidden_at", "hidden_reason")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("themes", "target_groups", "activities", "fields_sought")
    date_hierarchy = "closes_on"
    actions = ["hide", "show"]

    @admin.display(description=_("as visitors see it"))
    def effective(self, idea):
        return idea.get_effective_status_display()

    @admin.display(description=_("public"), boolean=True, ordering="hidden_at")
    def is_public(self, idea):
        return not idea.is_hidden

    @admin.action(description=_("Hide from the public (with a reason)"), permissions=["change"])
    def hide(self, request, queryset):
        return run_with_note(
            self,
            request,
            queryset.select_related("lead"),
            apply=lambda idea, reason: partnerships.idea_hide(
                idea=idea, by=request.user, reason=reason
            ),
            title=_("Hide from the public"),
            intro=_(
                "Visitors and other organisations no longer see these ideas. The lead's owners "
                "and editors are told, with your reason, and see it on the idea's page."
            ),
            label=_("Reason the lead reads"),
            max_length=500,
            submit_label=_("Hide"),
            done=lambda count: ngettext("%d idea hidden.", "%d ideas hidden.", count) % count,
        )

    @admin.action(description=_("Show again to the public"), permissions=["change"])
    def show(self, request, queryset):
        count = 0
        for idea in queryset.filter(hidden_at__isnull=False).select_related("lead"):
            partnerships.idea_show(idea=idea, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%d idea is public again.", "%d ideas are public again.", count) % count,
            messages.SUCCESS,
        )


class ApplicationEventInline(admin.TabularInline):
    """The audited history: read-only, never edited or deleted by hand."""

    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "refused", "by", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnershipApplication)
class PartnershipApplicationAdmin(admin.ModelAdmin):
    """Read-only: applicants wrote it, and status changes go through the services.

    Staff decide on a whole consortium in the review queue (ConsortiumReviewAdmin),
    with a note, never on one application by hand.
    """

    list_display = ("organisation", "idea", "kind", "status", "score", "similar", "created_at")
    list_filter = (
        "status",
        "kind",
        "shortlisted",
        ("idea__call", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("organisation__name", "idea__title", "motivation")
    list_select_related = ("organisation", "idea")
    fieldsets = (
        (None, {"fields": ("idea", "organisation", "kind", "status", "shortlisted")}),
        (
            _("What the applicant wrote"),
            {
                "fields": (
                    "motivation",
                    "proposed_role",
                    "contribution",
                    "experience",
                    "contact_name",
                    "similar_to",
                )
            },
        ),
        (_("Match when it was made"), {"fields": ("score_breakdown",)}),
        (_("Messages"), {"fields": ("thread",)}),
        (None, {"fields": ("created_by", "created_at", "updated_at")}),
    )
    readonly_fields = (
        "idea",
        "organisation",
        "kind",
        "status",
        "shortlisted",
        "motivation",
        "proposed_role",
        "contribution",
        "experience",
        "contact_name",
        "similar_to",
        "score_breakdown",
        "thread",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = [ApplicationEventInline]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("copied motivation"), boolean=True)
    def similar(self, application):
        return application.similar_to_id is not None

    @admin.display(description=_("match score and reasons"))
    def score_breakdown(self, application):
        return score_html(
            application.score, application.score_components, application.score_reasons
        )

    @admin.display(description=_("messages"))
    def thread(self, application):
        found = (
            Message.objects.filter(conversation__application=application)
            .select_related("conversation", "organisation", "author")
            .order_by("created_at", "pk")
        )
        return messages_html(list(found))
