"""The staff review queue in the admin: submitted consortia, their history, and the decisions.

Who sees it: users with the ``projects.review_partnerships`` permission (the
"Reviewers" group of migration 0003, and superusers). Nobody edits a review,
an application or a message here: the three decisions go through
``partnerships.review_decide`` (the same service as everywhere, which
notifies the lead and the partners and refuses a reviewer who belongs to the
consortium), each with a required note.
"""

from __future__ import annotations

import datetime
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matching.labels import component_label
from organisations.models import Kind, Organisation
from partnerhub.admin_actions import NoteForm, note_page, run_with_note
from partnerhub.csvio import write_rows

from . import partnerships
from .models import (
    ApplicationEvent,
    ApplicationStatus,
    ConsortiumReview,
    Conversation,
    Message,
    PartnershipApplication,
    ReviewStatus,
)

REVIEW_PERMISSION = "projects.review_partnerships"

#: Statuses an application has while (or after) its organisation was in a submitted consortium.
MEMBER_STATUSES = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
)

KIND_LABELS = dict(Kind.choices)


def can_review(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(REVIEW_PERMISSION)


# --- Readable scores ------------------------------------------------------------------------


def _percent(value) -> int | None:
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return None
    return max(0, min(100, number))


def score_html(score, components, reasons):
    """A score as people read it: the total, one bar per component, the reasons as bullets."""
    components = components if isinstance(components, dict) else {}
    reasons = [str(reason) for reason in reasons] if isinstance(reasons, list | tuple) else []
    if score is None and not components and not reasons:
        return gettext("No match score was recorded.")
    rows = []
    for name, value in components.items():
        percent = _percent(value)
        if percent is None:
            continue
        rows.append((component_label(name), percent, percent, percent))
    # <meter> draws the bar itself: the admin's CSP allows no inline styles.
    bars = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td><meter min="0" max="100" value="{}">{}%</meter></td>'
        "<td>{}</td></tr>",
        rows,
    )
    total = format_html("<p><strong>{}</strong> / 100</p>", score) if score is not None else ""
    table = format_html('<table class="score-components">{}</table>', bars) if rows else ""
    bullets = (
        format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in reasons)))
        if reasons
        else ""
    )
    return format_html("{}{}{}", total, table, bullets)


def _country_name(code: str) -> str:
    return f"{countries.name(code) or code} ({code})" if code else ""


def members_html(snapshot: dict):
    """The consortium as submitted: one row per member with its score and reasons."""
    members = snapshot.get("members") or []
    if not members:
        return gettext("The snapshot lists no members.")
    rows = []
    for member in members:
        url = (
            reverse("admin:organisations_organisation_change", args=[member["id"]])
            if member.get("id")
            else ""
        )
        name = format_html('<a href="{}">{}</a>', url, member.get("name", "")) if url else ""
        if member.get("role") == "lead":
            role = gettext("lead")
        elif member.get("proposed_role"):
            role = gettext("partner: %(role)s") % {"role": member["proposed_role"]}
        else:
            role = gettext("partner")
        rows.append(
            (
                name,
                role,
                _country_name(member.get("country", "")),
                KIND_LABELS.get(member.get("kind", ""), member.get("kind", "")),
                "✓" if member.get("verified") else "—",
                score_html(member.get("score"), member.get("components"), member.get("reasons")),
            )
        )
    head = format_html(
        "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        gettext("Organisation"),
        gettext("Role"),
        gettext("Country"),
        gettext("Kind"),
        gettext("Verified"),
        gettext("Match score and reasons"),
    )
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        rows,
    )
    return format_html("<table>{}<tbody>{}</tbody></table>", head, body)


def events_html(events):
    """The history of every application of the idea, refused attempts included."""
    rows = [
        (
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
            event.application.organisation.name,
            event.get_from_status_display() or "—",
            event.get_to_status_display(),
            gettext("refused: someone decided first") if event.refused else "",
            str(event.by) if event.by else "—",
            linebreaksbr(event.note),
        )
        for event in events
    ]
    if not rows:
        return gettext("No history yet.")
    head = format_html(
        "<thead><tr>{}</tr></thead>",
        format_html_join(
            "",
            "<th>{}</th>",
            (
                (label,)
                for label in (
                    gettext("When"),
                    gettext("Organisation"),
                    gettext("From"),
                    gettext("To"),
                    gettext("Refused"),
                    gettext("By"),
                    gettext("Note"),
                )
            ),
        ),
    )
    body = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        rows,
    )
    return format_html("<table>{}<tbody>{}</tbody></table>", head, body)


def messages_html(messages_):
    """Messages of the applications' threads, oldest first, grouped by thread."""
    if not messages_:
        return gettext("No messages.")
    parts = []
    current = None
    for message in messages_:
        if message.conversation_id != current:
            current = message.conversation_id
            parts.append(format_html("<h4>{}</h4>", message.conversation.subject))
        parts.append(
            format_html(
                "<p><strong>{}</strong> · {} · {}</p><blockquote>{}</blockquote>",
                message.organisation.name,
                str(message.author) if message.author else "—",
                timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M"),
                linebreaksbr(message.body),
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))


# --- Filters -----------------------------------------------------------------------------


def _member_applications():
    return PartnershipApplication.objects.filter(idea=OuterRef("idea"), status__in=MEMBER_STATUSES)


class CountryFilter(admin.SimpleListFilter):
    title = _("country of a member")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = set(
            Organisation.objects.filter(ideas__reviews__isnull=False).values_list(
                "country", flat=True
            )
        ) | set(
            PartnershipApplication.objects.filter(
                idea__reviews__isnull=False, status__in=MEMBER_STATUSES
            ).values_list("organisation__country", flat=True)
        )
        return sorted(((code, _country_name(code)) for code in codes if code), key=lambda c: c[1])

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        return queryset.filter(
            Q(idea__lead__country=code)
            | Exists(_member_applications().filter(organisation__country=code))
        )


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified members")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("all", _("every member verified")), ("not", _("a member not verified"))]

    def queryset(self, request, queryset):
        unverified = Q(idea__lead__is_verified=False) | Exists(
            _member_applications().filter(organisation__is_verified=False)
        )
        if self.value() == "all":
            return queryset.exclude(unverified)
        if self.value() == "not":
            return queryset.filter(unverified)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    title = _("waiting since")
    parameter_name = "waiting"
    DAYS = {"3d": 3, "2w": 14}

    def lookups(self, request, model_admin):
        return [("3d", _("more than 3 days")), ("2w", _("more than 2 weeks"))]

    def queryset(self, request, queryset):
        days = self.DAYS.get(self.value())
        if days is None:
            return queryset
        return queryset.filter(
            status=ReviewStatus.UNDER_REVIEW,
            submitted_at__lt=timezone.now() - datetime.timedelta(days=days),
        )


# --- The decision ------------------------------------------------------------------------

DECISION_LABELS = {
    ReviewStatus.APPROVED: _("Approve"),
    ReviewStatus.REJECTED: _("Reject"),
    ReviewStatus.CHANGES_REQUESTED: _("Request changes"),
}

NOTE_LABEL = _("Note to the lead and the partners")
NOTE_HELP = _("Required. Everyone in the consortium reads it with the decision.")


class DecisionForm(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, label=NOTE_LABEL, help_text=NOTE_HELP, max_length=2000, **kwargs)
        self.fields = {
            "decision": forms.ChoiceField(
                label=_("Decision"),
                choices=list(DECISION_LABELS.items()),
                widget=forms.RadioSelect,
            ),
            **self.fields,
        }


def _decide(request, review: ConsortiumReview, decision: str, note: str) -> None:
    partnerships.review_decide(review=review, decision=decision, by=request.user, note=note)


def _decision_action(decision: str, name: str):
    def action(modeladmin, request, queryset):
        return run_with_note(
            modeladmin,
            request,
            queryset.select_related("idea__lead"),
            apply=lambda review, note: _decide(request, review, decision, note),
            title=DECISION_LABELS[decision],
            intro=_("The lead and the partners of these consortia are told, with your note."),
            label=NOTE_LABEL,
            help_text=NOTE_HELP,
            submit_label=DECISION_LABELS[decision],
            done=decided_count_message,
        )

    action.__name__ = name
    return admin.action(description=DECISION_LABELS[decision], permissions=["review"])(action)


def decided_count_message(count: int) -> str:
    return ngettext("%d consortium decided.", "%d consortia decided.", count) % count


# --- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "idea",
    "lead",
    "lead_country",
    "call",
    "programme",
    "members",
    "countries",
    "eligible_when_submitted",
    "status",
    "submitted_at",
    "submitted_by",
    "decided_at",
    "decided_by",
    "note",
]


def _stamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def review_row(review: ConsortiumReview) -> dict:
    snapshot = review.snapshot or {}
    members = snapshot.get("members") or []
    eligible = snapshot.get("eligible")
    return {
        "idea": review.idea.title,
        "lead": review.idea.lead.name,
        "lead_country": review.idea.lead.country.code,
        "call": snapshot.get("call") or (review.idea.call.code if review.idea.call_id else ""),
        "programme": snapshot.get("programme", ""),
        "members": "; ".join(m.get("name", "") for m in members),
        "countries": "; ".join(snapshot.get("countries") or []),
        "eligible_when_submitted": "" if eligible is None else ("yes" if eligible else "no"),
        "status": review.status,
        "submitted_at": _stamp(review.submitted_at),
        "submitted_by": review.submitted_by.email if review.submitted_by else "",
        "decided_at": _stamp(review.decided_at),
        "decided_by": review.decided_by.email if review.decided_by else "",
        "note": review.note,
    }


def export_reviews_csv(queryset) -> str:
    stream = io.StringIO()
    reviews = queryset.select_related(
        "idea__lead", "idea__call", "submitted_by", "decided_by"
    ).order_by("submitted_at", "pk")
    # write_rows neutralises formula cells (a note typed as "=HYPERLINK(…)").
    write_rows(stream, CSV_COLUMNS, (review_row(r) for r in reviews))
    return stream.getvalue()


# --- The admin ---------------------------------------------------------------------------


class ReviewerOnly:
    """View-only admin pages that only reviewers see; nothing is added, changed or deleted."""

    def has_module_permission(self, request):
        return can_review(request.user)

    def has_view_permission(self, request, obj=None):
        return can_review(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return can_review(request.user)


@admin.register(ConsortiumReview)
class ConsortiumReviewAdmin(ReviewerOnly, admin.ModelAdmin):
    list_display = (
        "idea",
        "lead",
        "call",
        "status",
        "member_summary",
        "eligible",
        "submitted_at",
        "waiting",
        "decided_by",
    )
    list_filter = (
        "status",
        ("idea__programme", admin.RelatedOnlyFieldListFilter),
        ("idea__call", admin.RelatedOnlyFieldListFilter),
        CountryFilter,
        VerifiedFilter,
        WaitingFilter,
    )
    search_fields = ("idea__title", "idea__lead__name", "note")
    list_select_related = ("idea__lead", "idea__call", "decided_by")
    date_hierarchy = "submitted_at"
    # "under-review" sorts last alphabetically: descending puts the waiting ones first.
    ordering = ("-status", "submitted_at")
    change_form_template = "admin/projects/consortiumreview/change_form.html"
    fieldsets = (
        (
            None,
            {"fields": ("idea_link", "status", "submitted_by", "submitted_at", "verdict")},
        ),
        (_("Consortium as submitted"), {"fields": ("members",)}),
        (_("Decision"), {"fields": ("decided_by", "decided_at", "note")}),
        (_("History of the applications"), {"fields": ("history",)}),
        (_("Messages between the lead and the partners"), {"fields": ("thread",)}),
    )
    readonly_fields = (
        "idea_link",
        "status",
        "submitted_by",
        "submitted_at",
        "verdict",
        "members",
        "decided_by",
        "decided_at",
        "note",
        "history",
        "thread",
    )
    actions = [
        _decision_action(ReviewStatus.APPROVED, "approve"),
        _decision_action(ReviewStatus.REJECTED, "reject"),
        _decision_action(ReviewStatus.CHANGES_REQUESTED, "request_changes"),
        "export_csv",
    ]

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="projects_consortiumreview_decide",
            ),
        ]
        return urls + super().get_urls()

    # Columns -----------------------------------------------------------------------------

    @admin.display(description=_("lead"), ordering="idea__lead__name")
    def lead(self, review):
        return f"{review.idea.lead.name} ({review.idea.lead.country.code})"

    @admin.display(description=_("call"), ordering="idea__call__code")
    def call(self, review):
        return review.idea.call.code if review.idea.call_id else "—"

    @admin.display(description=_("members"))
    def member_summary(self, review):
        members = (review.snapshot or {}).get("members") or []
        countries_ = ", ".join((review.snapshot or {}).get("countries") or [])
        return f"{len(members)} · {countries_}"

    @admin.display(description=_("eligible when submitted"), boolean=True)
    def eligible(self, review):
        return (review.snapshot or {}).get("eligible")

    @admin.display(description=_("waiting"), ordering="submitted_at")
    def waiting(self, review):
        if review.status != ReviewStatus.UNDER_REVIEW:
            return "—"
        return timesince(review.submitted_at)

    # The change page -----------------------------------------------------------------------

    @admin.display(description=_("idea"))
    def idea_link(self, review):
        idea = review.idea
        return format_html(
            '<a href="{}">{}</a> · {} ({}) · <a href="{}">{}</a>',
            reverse("admin:projects_projectidea_change", args=[idea.pk]),
            idea.title,
            idea.lead.name,
            idea.lead.country.code,
            idea.get_absolute_url(),
            gettext("as the public sees it"),
        )

    @admin.display(description=_("call's verdict when submitted"))
    def verdict(self, review):
        snapshot = review.snapshot or {}
        if snapshot.get("eligible") is None:
            return gettext("No call: no rules to check.")
        if snapshot["eligible"]:
            return gettext("Eligible")
        return format_html(
            "{}<ul>{}</ul>",
            gettext("Not eligible:"),
            format_html_join("", "<li>{}</li>", ((p,) for p in snapshot.get("verdict") or [])),
        )

    @admin.display(description=_("members"))
    def members(self, review):
        return members_html(review.snapshot or {})

    @admin.display(description=_("history"))
    def history(self, review):
        events = (
            ApplicationEvent.objects.filter(application__idea_id=review.idea_id)
            .select_related("application__organisation", "by")
            .order_by("at", "pk")
        )
        return events_html(list(events))

    @admin.display(description=_("messages"))
    def thread(self, review):
        found = (
            Message.objects.filter(conversation__application__idea_id=review.idea_id)
            .select_related("conversation", "organisation", "author")
            .order_by("conversation_id", "created_at", "pk")
        )
        return messages_html(list(found))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("idea__lead", "idea__call")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "decide_url": reverse("admin:projects_consortiumreview_decide", args=[object_id]),
            "can_decide": can_review(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Decisions -----------------------------------------------------------------------------

    def decide_view(self, request, object_id):
        if not can_review(request.user):
            raise PermissionDenied
        review = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:projects_consortiumreview_change", args=[review.pk])
        if request.method == "POST":
            form = DecisionForm(request.POST)
            if form.is_valid():
                try:
                    _decide(
                        request, review, form.cleaned_data["decision"], form.cleaned_data["note"]
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("Decided: %(status)s. The lead and the partners are told.")
                        % {"status": review.get_status_display()},
                        messages.SUCCESS,
                    )
                return HttpResponseRedirect(change_url)
        else:
            form = DecisionForm(initial={"decision": request.GET.get("decision")})
        return note_page(
            self,
            request,
            objects=[review],
            form=form,
            title=gettext("Decide on this consortium"),
            intro=gettext("The lead and the partners are told, with your note."),
            submit_label=gettext("Decide"),
            cancel_url=change_url,
        )

    @admin.action(description=_("Export the selected decisions to CSV"), permissions=["review"])
    def export_csv(self, request, queryset):
        response = HttpResponse(export_reviews_csv(queryset), content_type="text/csv")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="consortium-reviews-{stamp}.csv"'
        return response


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ("created_at", "organisation", "author", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(ReviewerOnly, admin.ModelAdmin):
    """Threads between organisations, read by reviewers when a consortium is under review."""

    list_display = ("subject", "starter", "recipient", "idea", "last_message_at")
    list_filter = (("idea__call", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("subject", "starter__name", "recipient__name", "idea__title")
    list_select_related = ("starter", "recipient", "idea")
    fields = ("subject", "starter", "recipient", "idea", "application", "created_at")
    readonly_fields = fields
    inlines = [MessageInline]
    actions = None
