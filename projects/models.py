"""Funding calls, project ideas, and the applications that form a consortium."""

import datetime

from django.conf import settings
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from organisations.models import (
    REGION_CHOICES,
    Activity,
    FieldOfActivity,
    Kind,
    Language,
    Organisation,
    Programme,
    TargetGroup,
    Theme,
)
from partnerhub.fields import CodeListField, has_code
from partnerhub.validators import validate_name

from . import search_index
from .eligibility import Rules


def today() -> datetime.date:
    return timezone.localdate()


class CallQuerySet(models.QuerySet):
    def open(self, on: datetime.date | None = None):
        return self.filter(deadline__gte=on or today())

    def eligible_for_country(self, code: str):
        """Calls open to organisations from ``code`` (an empty list of countries means any)."""
        return self.filter(Q(eligible_countries="") | has_code("eligible_countries", code.upper()))


#: Languages a call's title and description can be stored in besides English.
TRANSLATED_LANGUAGES = ("lv", "lt")


class Call(models.Model):
    """A funding opportunity and the eligibility rules its consortium must meet."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    code = models.CharField(_("action code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # The title and description in Latvian and Lithuanian; empty shows the English one.
    title_lv = models.CharField(_("title in Latvian"), max_length=200, blank=True)
    title_lt = models.CharField(_("title in Lithuanian"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    description_lv = models.TextField(_("description in Latvian"), max_length=10000, blank=True)
    description_lt = models.TextField(_("description in Lithuanian"), max_length=10000, blank=True)
    deadline = models.DateField(_("deadline"))
    link = models.URLField(_("link"), blank=True)
    min_organisations = models.PositiveSmallIntegerField(_("minimum organisations"), default=1)
    min_countries = models.PositiveSmallIntegerField(_("minimum distinct countries"), default=1)
    eligible_countries = CountryField(
        _("eligible countries"), multiple=True, blank=True, help_text=_("Empty means any country.")
    )
    required_countries = CountryField(
        _("required country group"),
        multiple=True,
        blank=True,
        help_text=_("At least one organisation of the consortium must come from one of these."),
    )
    required_group_label = models.CharField(
        _("name of the required group"), max_length=120, blank=True
    )
    allowed_kinds = CodeListField(
        _("eligible kinds of organisation"),
        choices=Kind.choices,
        help_text=_("Empty means any kind."),
    )
    applicant_countries = CountryField(
        _("countries that may apply"),
        multiple=True,
        blank=True,
        help_text=_(
            "Empty means every eligible country. Eligible countries not listed here take part "
            "as partners only."
        ),
    )
    applicant_kinds = CodeListField(
        _("kinds of organisation that may apply"),
        choices=Kind.choices,
        help_text=_("Empty means every eligible kind."),
    )
    required_each = CountryField(
        _("countries that must each be represented"),
        multiple=True,
        blank=True,
        help_text=_("At least one organisation from each of these countries, e.g. LV and LT."),
    )
    eligible_regions = CodeListField(
        _("eligible regions (NUTS)"),
        choices=REGION_CHOICES,
        help_text=_(
            "The programme area. Organisations from a country with regions listed here must "
            "be in one of them; other eligible countries are not limited."
        ),
    )
    partners_allowed = models.BooleanField(
        _("takes partners"),
        default=True,
        help_text=_("Untick for calls where the applicant carries out the project alone."),
    )
    min_months = models.PositiveSmallIntegerField(
        _("minimum duration (months)"), null=True, blank=True
    )
    max_months = models.PositiveSmallIntegerField(
        _("maximum duration (months)"), null=True, blank=True
    )
    budget_min = models.PositiveIntegerField(_("minimum budget (EUR)"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("maximum budget (EUR)"), null=True, blank=True)
    lump_sums = models.CharField(
        _("lump sums (EUR)"), max_length=200, blank=True, help_text=_("Separated by ';'.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "code"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="call_budget_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(min_organisations__gte=1), name="call_min_orgs_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(min_countries__gte=1), name="call_min_countries_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(min_months__isnull=True)
                | Q(max_months__isnull=True)
                | Q(min_months__lte=models.F("max_months")),
                name="call_min_months_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.local_title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:call-detail", kwargs={"code": self.code})

    def _in_language(self, field: str) -> str:
        """``field`` in the active language (``title_lv`` …), else the English one."""
        language = (get_language() or "").split("-")[0]
        if language in TRANSLATED_LANGUAGES:
            return getattr(self, f"{field}_{language}") or getattr(self, field)
        return getattr(self, field)

    @property
    def local_title(self) -> str:
        return self._in_language("title")

    @property
    def local_description(self) -> str:
        return self._in_language("description")

    @property
    def is_open(self) -> bool:
        return self.deadline >= today()

    @property
    def lump_sum_amounts(self) -> tuple[int, ...]:
        """The lump sums as whole euros; parts that are not amounts are left out (see clean)."""
        amounts = []
        for part in self.lump_sums.split(";"):
            digits = part.strip().replace(" ", "").replace("\u202f", "")
            if digits.isdigit():
                amounts.append(int(digits))
        return tuple(amounts)

    @property
    def rules(self) -> Rules:
        return Rules(
            min_organisations=self.min_organisations,
            min_countries=self.min_countries,
            eligible_countries=frozenset(c.code for c in self.eligible_countries),
            required_countries=frozenset(c.code for c in self.required_countries),
            required_group_label=self.required_group_label,
            allowed_kinds=frozenset(self.allowed_kinds),
            applicant_countries=frozenset(c.code for c in self.applicant_countries),
            applicant_kinds=frozenset(self.applicant_kinds),
            required_each=frozenset(c.code for c in self.required_each),
            eligible_regions=frozenset(self.eligible_regions),
            partners_allowed=self.partners_allowed,
            min_months=self.min_months,
            max_months=self.max_months,
            budget_min=self.budget_min,
            budget_max=self.budget_max,
            lump_sums=self.lump_sum_amounts,
            deadline=self.deadline,
        )

    def clean(self):
        errors = {}
        parts = [part.strip() for part in self.lump_sums.split(";") if part.strip()]
        if len(parts) != len(self.lump_sum_amounts):
            errors["lump_sums"] = _("Lump sums are whole amounts in euros separated by ';'.")
        eligible = {c.code for c in self.eligible_countries}
        for name in ("applicant_countries", "required_each", "required_countries"):
            outside = {c.code for c in getattr(self, name)} - eligible if eligible else set()
            if outside:
                errors[name] = _("%(countries)s must also be among the eligible countries.") % {
                    "countries": ", ".join(sorted(outside))
                }
        if self.applicant_kinds and self.allowed_kinds:
            outside = set(self.applicant_kinds) - set(self.allowed_kinds)
            if outside:
                errors["applicant_kinds"] = _(
                    "Kinds that may apply must also be eligible kinds: %(kinds)s."
                ) % {"kinds": ", ".join(sorted(outside))}
        if not self.partners_allowed and (self.min_organisations > 1 or self.min_countries > 1):
            errors["partners_allowed"] = _(
                "A call that takes no partners needs a minimum of 1 organisation from 1 country."
            )
        if errors:
            raise ValidationError(errors)


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for partners")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class ProjectIdeaQuerySet(models.QuerySet):
    def open(self, on: datetime.date | None = None):
        """Open and still taking partner applications: past its closing date an idea closes itself.

        An idea hidden by staff moderation takes no applications and is suggested to no one.
        """
        return self.filter(
            status=IdeaStatus.OPEN, closes_on__gte=on or today(), hidden_at__isnull=True
        )

    def published(self):
        return self.exclude(status=IdeaStatus.DRAFT)

    def visible_to(self, user):
        """Drafts are seen only by their own organisation; staff see everything."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        published = Q(status__in=[IdeaStatus.OPEN, IdeaStatus.CLOSED, IdeaStatus.ARCHIVED])
        public = published & Q(
            lead__is_active=True, lead__hidden_at__isnull=True, hidden_at__isnull=True
        )
        if not user.is_authenticated:
            return self.filter(public)
        own = Q(lead__in=Organisation.objects.member_of(user))
        return self.filter(public | own)

    def editable_by(self, user):
        return self.filter(lead__in=Organisation.objects.editable_by(user))

    def of_member(self, user):
        """Ideas led by an organisation the user belongs to, in any role."""
        return self.filter(lead__in=Organisation.objects.member_of(user))

    def closed(self, on: datetime.date | None = None):
        """Closed by hand, or open but past the closing date (closed by itself)."""
        return self.filter(
            Q(status=IdeaStatus.CLOSED) | Q(status=IdeaStatus.OPEN, closes_on__lt=on or today())
        )

    def open_or_own_drafts(self, user):
        """What the idea list shows by default: ideas taking partners, plus the user's drafts."""
        return self.filter(
            Q(status=IdeaStatus.OPEN, closes_on__gte=today())
            | Q(status=IdeaStatus.DRAFT, lead__in=Organisation.objects.member_of(user))
        )


class ProjectIdea(models.Model):
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_name])
    summary = models.TextField(_("summary"), max_length=3000)
    goals = models.TextField(_("goals"), max_length=3000, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="ideas"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="ideas"
    )
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), blank=True, related_name="ideas"
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    budget = models.PositiveIntegerField(_("estimated budget (EUR)"), null=True, blank=True)
    countries_sought = CountryField(_("partner countries sought"), multiple=True, blank=True)
    kinds_sought = CodeListField(_("kinds of partner sought"), choices=Kind.choices)
    fields_sought = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("fields of activity sought"), blank=True, related_name="+"
    )
    partners_wanted = models.PositiveSmallIntegerField(_("partners wanted"), default=1)
    language = models.ForeignKey(
        Language,
        verbose_name=_("working language"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closes_on = models.DateField(_("partner applications close on"))
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_text = models.TextField(editable=False, default="")
    hidden_at = models.DateTimeField(_("hidden from the public at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectIdeaQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "title"]
        verbose_name = _("project idea")
        verbose_name_plural = _("project ideas")
        constraints = [
            models.UniqueConstraint(fields=["lead", "title"], name="idea_unique_lead_title"),
        ]
        indexes = [
            models.Index(fields=["status", "closes_on"]),
            # A profile's ideas: its open (or, for members, all) ideas, by closing date.
            models.Index(fields=["lead", "status", "closes_on"], name="idea_lead_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.call_id and not self.programme_id:
            self.programme_id = self.call.programme_id
        # The search document (projects/search_index.py); derived, so no write path forgets it.
        self.search_text = search_index.build(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("projects:idea-detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == IdeaStatus.OPEN and self.closes_on >= today()

    @property
    def effective_status(self) -> str:
        """The status a visitor sees: an open idea past its closing date reads as closed."""
        if self.status == IdeaStatus.OPEN and self.closes_on < today():
            return IdeaStatus.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return IdeaStatus(self.effective_status).label

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def clean(self):
        if self.call_id and self.programme_id and self.call.programme_id != self.programme_id:
            raise ValidationError({"programme": _("The programme must be the call's programme.")})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted by the lead")
    UNDER_REVIEW = "under-review", _("Under staff review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# An organisation whose application reached one of these is part of the consortium.
CONSORTIUM_STATUSES = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.APPROVED,
)


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("Application to join")
    INVITATION = "invitation", _("Invitation from the lead")


#: Waiting for the other side's answer.
PENDING_STATUSES = (ApplicationStatus.SUBMITTED,)


class PartnershipApplicationQuerySet(models.QuerySet):
    def in_consortium(self):
        return self.filter(status__in=CONSORTIUM_STATUSES)

    def pending(self):
        return self.filter(status__in=PENDING_STATUSES)

    def of_lead_member(self, user):
        """Applications and invitations of ideas led by an organisation the user belongs to."""
        return self.filter(idea__lead__in=Organisation.objects.member_of(user))

    def of_partner_member(self, user):
        """Applications and invitations of an organisation the user belongs to (the partner side)."""
        return self.filter(organisation__in=Organisation.objects.member_of(user))

    def visible_to(self, user):
        """Both sides see an application: the lead's members and the partner's members."""
        if not user.is_authenticated:
            return self.none()
        mine = Organisation.objects.member_of(user).values("pk")
        return self.filter(Q(idea__lead__in=mine) | Q(organisation__in=mine))


class PartnershipApplication(models.Model):
    """An organisation's request to join an idea, or the lead's invitation to it."""

    idea = models.ForeignKey(ProjectIdea, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=ApplicationKind.choices,
        default=ApplicationKind.APPLICATION,
    )
    motivation = models.TextField(_("motivation"), max_length=3000, blank=True)
    proposed_role = models.CharField(_("proposed role"), max_length=200, blank=True)
    contribution = models.TextField(_("contribution"), max_length=2000, blank=True)
    experience = models.TextField(_("relevant experience"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    # The organisation sent a nearly identical motivation to another idea: shown to
    # the lead and to staff, so copy-paste applications are recognised.
    similar_to = models.ForeignKey(
        "self",
        verbose_name=_("motivation nearly the same as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    # The match as it was when the application was made, for reviewers.
    score = models.PositiveSmallIntegerField(_("match score"), null=True, blank=True)
    score_components = models.JSONField(_("score components"), default=dict, blank=True)
    score_reasons = models.JSONField(_("score reasons"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnershipApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partnership application")
        verbose_name_plural = _("partnership applications")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "organisation"], name="application_unique_idea_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.idea}"


class ApplicationEvent(models.Model):
    """One status transition of an application: who, when, and why."""

    application = models.ForeignKey(
        PartnershipApplication, on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # An attempt that lost a race (someone else decided first): kept so the history
    # shows both clicks, but it changed nothing.
    refused = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        arrow = "↛" if self.refused else "→"
        return f"{self.from_status or '∅'} {arrow} {self.to_status}"


class ReviewStatus(models.TextChoices):
    UNDER_REVIEW = "under-review", _("Under staff review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes", _("Changes requested")


class ConsortiumReviewQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ReviewStatus.UNDER_REVIEW)


class ConsortiumReview(models.Model):
    """A consortium submitted by its lead for staff review, and the staff decision on it.

    ``snapshot`` keeps the consortium as it was submitted (members with their
    countries, kinds, scores and reasons, the call's verdict), so reviewers
    judge what was sent even if profiles change later.
    """

    idea = models.ForeignKey(
        ProjectIdea, verbose_name=_("idea"), on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNDER_REVIEW,
    )
    snapshot = models.JSONField(_("consortium as submitted"), default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("decision note"), max_length=2000, blank=True)

    objects = ConsortiumReviewQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("consortium review")
        verbose_name_plural = _("consortium reviews")
        permissions = [("review_partnerships", "Can review partnerships")]
        constraints = [
            models.UniqueConstraint(
                fields=["idea"],
                condition=Q(status="under-review"),
                name="review_one_waiting_per_idea",
            )
        ]

    def __str__(self) -> str:
        return f"{self.idea} ({self.get_status_display()})"


class ConversationQuerySet(models.QuerySet):
    def of_organisations(self, organisations):
        return self.filter(Q(starter__in=organisations) | Q(recipient__in=organisations))

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.of_organisations(Organisation.objects.member_of(user).values("pk"))


class Conversation(models.Model):
    """A message thread between two organisations, tied to an idea or application when there is one.

    Members write as their organisation; neither side sees the other's e-mail address.
    """

    starter = models.ForeignKey(
        Organisation,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="conversations_started",
    )
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("with"),
        on_delete=models.PROTECT,
        related_name="conversations_received",
    )
    idea = models.ForeignKey(
        ProjectIdea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    application = models.OneToOneField(
        PartnershipApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversation",
    )
    subject = models.CharField(_("subject"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now, db_index=True)
    starter_read_at = models.DateTimeField(null=True, blank=True)
    recipient_read_at = models.DateTimeField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(starter=models.F("recipient")), name="conversation_two_sides"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("projects:conversation-detail", kwargs={"pk": self.pk})

    def other_side(self, organisation: Organisation) -> Organisation:
        return self.recipient if organisation.pk == self.starter_id else self.starter

    def read_at_for(self, organisation: Organisation):
        return (
            self.starter_read_at if organisation.pk == self.starter_id else self.recipient_read_at
        )


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="messages"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body[:40]}"


# --- Track records: projects organisations carried out together ---------------------------


class PastProjectSource(models.TextChoices):
    PARTNERHUB = "partnerhub", _("Approved on PartnerHub")
    PROFILE = "profile", _("Entered on the profile")
    IMPORT = "import", _("Imported")


class ParticipationRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


class PastProjectQuerySet(models.QuerySet):
    def of(self, organisation):
        """Projects `organisation` took part in (a subquery: no join to de-duplicate)."""
        return self.filter(
            pk__in=PastParticipation.objects.filter(organisation=organisation).values(
                "past_project_id"
            )
        )


class PastProject(models.Model):
    """A project carried out by a consortium: the evidence behind a track record."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="past_projects",
    )
    action = models.CharField(_("action"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            django_validators.MinValueValidator(1980),
            django_validators.MaxValueValidator(2100),
        ],
        help_text=_("The year the project started."),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="past_projects"
    )
    link = models.URLField(_("link"), blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=PastProjectSource.choices, editable=False
    )
    # The import's project_id; the approved idea for projects formed on PartnerHub.
    reference = models.CharField(_("reference"), max_length=100, blank=True, editable=False)
    idea = models.OneToOneField(
        ProjectIdea,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="past_project",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PastProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("past project")
        verbose_name_plural = _("past projects")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"],
                condition=~Q(reference=""),
                name="past_project_unique_reference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.programme_id and self.programme.label}, {self.year})"


class PastParticipation(models.Model):
    past_project = models.ForeignKey(
        PastProject, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="past_participations"
    )
    role = models.CharField(_("role"), max_length=12, choices=ParticipationRole.choices)

    class Meta:
        ordering = ["past_project", "-role", "pk"]
        verbose_name = _("participation in a past project")
        verbose_name_plural = _("participations in past projects")
        constraints = [
            models.UniqueConstraint(
                fields=["past_project", "organisation"], name="past_participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.past_project}"
