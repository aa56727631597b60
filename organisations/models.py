"""Organisations, their people, and the vocabularies that describe them."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from matching.text import normalise
from partnerhub.validators import validate_name

from .regions import region_choices, regions_by_country
from .taxonomy import Activity, FieldOfActivity, Language, Programme, TargetGroup, Theme

#: Every listed region, for validation and the admin; the profile form offers only its country's.
REGION_CHOICES = [
    (code, f"{name} ({code})") for rows in regions_by_country().values() for code, name in rows
]

__all__ = [
    "Activity",
    "Experience",
    "FieldOfActivity",
    "Invitation",
    "Kind",
    "Language",
    "Membership",
    "Notification",
    "NotificationQuerySet",
    "Organisation",
    "Programme",
    "Role",
    "Sector",
    "TargetGroup",
    "Theme",
    "UserSettings",
]


class Sector(models.TextChoices):
    NGO = "ngo", _("Non-governmental")
    PUBLIC = "public", _("Public")
    EDUCATION = "education", _("Education")
    PRIVATE = "private", _("Private")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    FOUNDATION = "foundation", _("Foundation")
    COMMUNITY_GROUP = "community-group", _("Community group")
    INFORMAL_GROUP = "informal-group", _("Informal group")
    MUNICIPALITY = "municipality", _("Municipality")
    PUBLIC_INSTITUTION = "public-institution", _("Public institution")
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University or college")
    TRAINING_PROVIDER = "training-provider", _("Training provider")
    SOCIAL_ENTERPRISE = "social-enterprise", _("Social enterprise")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


SECTOR_OF_KIND: dict[str, str] = {
    Kind.ASSOCIATION: Sector.NGO,
    Kind.FOUNDATION: Sector.NGO,
    Kind.COMMUNITY_GROUP: Sector.NGO,
    Kind.INFORMAL_GROUP: Sector.NGO,
    Kind.MUNICIPALITY: Sector.PUBLIC,
    Kind.PUBLIC_INSTITUTION: Sector.PUBLIC,
    Kind.SCHOOL: Sector.EDUCATION,
    Kind.UNIVERSITY: Sector.EDUCATION,
    Kind.TRAINING_PROVIDER: Sector.EDUCATION,
    Kind.SOCIAL_ENTERPRISE: Sector.PRIVATE,
    Kind.COMPANY: Sector.PRIVATE,
    Kind.OTHER: Sector.OTHER,
}


def kinds_in_sector(sector: str) -> list[str]:
    return [str(kind) for kind, kind_sector in SECTOR_OF_KIND.items() if kind_sector == sector]


class Experience(models.TextChoices):
    NONE = "none", _("No international experience yet")
    SOME = "some", _("Some international projects")
    EXPERIENCED = "experienced", _("Experienced in international projects")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


WRITE_ROLES = (Role.OWNER, Role.EDITOR)

oid_validator = RegexValidator(
    r"^E\d{8}$",
    _("An Erasmus+ organisation ID is the letter E followed by 8 digits, e.g. E10123456."),
)


# Extensions a stored logo may have; the form names the file after its content.
LOGO_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp"})


def logo_upload_to(instance, filename: str) -> str:
    """logos/<random>.<ext>: never the uploader's file name, which could be anything."""
    extension = PurePosixPath(filename).suffix.lower()
    return f"logos/{uuid.uuid4().hex}{extension if extension in LOGO_EXTENSIONS else ''}"


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        """Profiles the public sees: not deactivated and not hidden by staff moderation."""
        return self.filter(is_active=True, hidden_at__isnull=True)

    def member_of(self, user):
        """Organisations the user belongs to, in any role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def visible_to(self, user):
        """Active profiles are public; inactive ones only to their members and staff."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        if not user.is_authenticated:
            return self.active()
        # A subquery rather than a join: no duplicate rows, so no DISTINCT, and
        # aggregates (directory facet counts) stay correct.
        mine = Membership.objects.filter(user=user).values("organisation_id")
        return self.filter(Q(is_active=True, hidden_at__isnull=True) | Q(pk__in=mine))

    def editable_by(self, user):
        """Organisations whose profile (and ideas) the user may change: owners and editors."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role__in=WRITE_ROLES)

    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Role.OWNER)

    def with_taxonomies(self):
        return self.prefetch_related("fields", "themes", "target_groups", "languages", "programmes")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city or town"), max_length=100)
    # A NUTS code from the country's list (organisations/data/regions.csv):
    # cross-border calls fund only some regions of a country.
    region = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        choices=REGION_CHOICES,
        help_text=_("Cross-border programmes fund only some regions of a country."),
    )
    description = models.TextField(_("description"), max_length=5000, blank=True)
    fields = models.ManyToManyField(
        FieldOfActivity,
        verbose_name=_("fields of activity"),
        blank=True,
        related_name="organisations",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="organisations"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="organisations"
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("working languages"), blank=True, related_name="organisations"
    )
    experience = models.CharField(
        _("international experience"),
        max_length=20,
        choices=Experience.choices,
        default=Experience.NONE,
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("programmes worked in"), blank=True, related_name="organisations"
    )
    oid = models.CharField(
        _("Erasmus+ organisation ID (OID)"), max_length=9, blank=True, validators=[oid_validator]
    )
    registration_number = models.CharField(
        _("national registration number"), max_length=50, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public contact e-mail"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    # Moderation: staff hide a profile from the public with a reason its owners are told,
    # instead of editing what the organisation wrote.
    hidden_at = models.DateTimeField(_("hidden from the public at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The full-text search document (partnerhub.search): stems of the name and
    # of city and description; the database indexes it (organisations/search_index.py).
    search_text = models.TextField(editable=False, default="")
    # The normalised name alone, so directory relevance can rank name matches first.
    search_name = models.CharField(max_length=200, editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country"], name="organisation_unique_name_country"
            ),
            models.UniqueConstraint(
                fields=["oid"], condition=~Q(oid=""), name="organisation_unique_oid"
            ),
        ]
        indexes = [
            models.Index(fields=["country", "kind"]),
            models.Index(fields=["-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived for search only; kept here so no write path can forget it.
        self.search_text = self.build_search_text()
        self.search_name = normalise(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.region and self.region not in dict(region_choices(self.country.code or "")):
            raise ValidationError(
                {"region": _("Choose a region of the organisation's own country.")}
            )

    @property
    def sector(self) -> str:
        return SECTOR_OF_KIND.get(self.kind, Sector.OTHER)

    def get_sector_display(self) -> str:
        return Sector(self.sector).label

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def build_search_text(self) -> str:
        """The search document of the name, city and description (organisations/search_index.py)."""
        from .search_index import document

        return document(name=self.name, city=self.city, description=self.description)


class MembershipQuerySet(models.QuerySet):
    def owners(self):
        return self.filter(role=Role.OWNER)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    # PROTECT: an organisation is deactivated, never deleted with its people.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in WRITE_ROLES


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, declined_at__isnull=True)

    def for_user(self, user):
        """Invitations addressed to one of the user's verified e-mail addresses."""
        if not user.is_authenticated:
            return self.none()
        from allauth.account.models import EmailAddress

        emails = [
            email.lower()
            for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        ]
        return self.filter(email__in=emails)


class Invitation(models.Model):
    """An owner's invitation for an e-mail address to join an organisation in a role.

    The invitee joins by signing in with that address (verified) and accepting.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    # Stored lower-case: addresses are compared case-insensitively.
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(accepted_at__isnull=True, declined_at__isnull=True),
                name="invitation_unique_pending",
                violation_error_message=_("This address already has a pending invitation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation} ({self.get_role_display()})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.declined_at is None


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    NEVER = "never", _("Never")


class UserSettings(models.Model):
    """What a person chose for themselves: how they are named, their language, their e-mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="settings"
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Notification kind → EmailFrequency; a kind not listed is e-mailed immediately.
    email_preferences = models.JSONField(_("e-mail preferences"), default=dict, blank=True)

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")

    def __str__(self) -> str:
        return self.display_name or str(self.user)

    def frequency_for(self, kind: str) -> str:
        value = self.email_preferences.get(kind, EmailFrequency.IMMEDIATELY)
        return value if value in EmailFrequency.values else EmailFrequency.IMMEDIATELY


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def unsent(self):
        """Notifications whose e-mail is still owed: not sent, not given up on, not opted out."""
        return self.filter(email_status=Notification.EmailStatus.PENDING)


class Notification(models.Model):
    """One event told to one person: in the app at once, by e-mail through the task queue.

    The text is rendered from ``kind`` and ``params`` in the reader's language
    when it is shown or mailed (``organisations.notifications``), so a Latvian
    reader reads Latvian even when a Lithuanian caused the event.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, given up")
        SKIPPED = "skipped", _("not e-mailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        help_text=_("The organisation the recipient is told about as a member of."),
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
