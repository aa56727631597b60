"""The demo installation: reference data, calls, organisations, ideas and people.

Everything is loaded through the same import services the staff use, so the
demo also proves that the shipped CSV files are valid. Loading twice changes
nothing.
"""

import csv
import datetime
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.importing import import_organisations
from organisations.models import Membership, Notification, Organisation, UserSettings
from organisations.reference_data import load_taxonomies
from partnerhub.csvio import ImportResult
from projects import partnerships
from projects.importing import import_calls, import_ideas
from projects.models import (
    ApplicationStatus,
    Conversation,
    PartnershipApplication,
    ProjectIdea,
    ReviewStatus,
)

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# Shown in README: demo accounts are for trying the site on your own machine.
DEMO_PASSWORD = "partnerhub-demo"  # noqa: S105
STAFF_GROUP = "Agency staff"
#: Made by projects migration 0003; the demo staff account reviews consortia.
REVIEWERS_GROUP = "Reviewers"
STAFF_APPS = ("organisations", "projects", "matching")


class DemoDataError(RuntimeError):
    pass


@dataclass
class DemoResult:
    terms: int = 0
    imports: dict[str, ImportResult] = field(default_factory=dict)
    users_created: int = 0
    memberships_created: int = 0
    partnership_steps: int = 0

    def lines(self) -> list[str]:
        lines = [f"taxonomy terms: {self.terms}"]
        lines += [f"{name}: {result.summary()}" for name, result in self.imports.items()]
        lines.append(f"users: created {self.users_created}")
        lines.append(f"memberships: created {self.memberships_created}")
        lines.append(f"partnership steps: played {self.partnership_steps}")
        return lines


def _import(name: str, importer) -> ImportResult:
    with (DEMO_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        result = importer(stream)
    if result.rejected or result.aborted:
        details = "; ".join(str(error) for error in result.errors[:5])
        raise DemoDataError(f"fixtures/demo/{name}.csv has bad rows: {details}")
    return result


def _staff_group() -> Group:
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS).exclude(
        codename__startswith="delete_"
    )
    group.permissions.add(*permissions)
    return group


def _user(email: str, name: str, *, staff: bool) -> tuple[object, bool]:
    User = get_user_model()
    first, _sep, last = name.partition(" ")
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"username": email, "first_name": first, "last_name": last, "is_staff": staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    # The name sign-in messages, e-mails and other organisations show.
    UserSettings.objects.get_or_create(user=user, defaults={"display_name": name})
    return user, created


def _spread_profile_dates(since: datetime.datetime) -> None:
    """Give the organisations created just now believable ages (1 to 700 days).

    Freshness counts in matching and the directory shows it; a demo whose every
    profile was "updated a minute ago" would hide both. Deterministic per name.
    """
    now = timezone.now()
    for pk, name in Organisation.objects.filter(created_at__gte=since).values_list("pk", "name"):
        age = datetime.timedelta(days=1 + zlib.crc32(name.encode()) % 700)
        Organisation.objects.filter(pk=pk).update(
            created_at=now - age - datetime.timedelta(days=200), updated_at=now - age
        )


@transaction.atomic
def load_demo_data() -> DemoResult:
    """Load (or refresh) the demo data; safe to run on every `make run`."""
    started = timezone.now()
    result = DemoResult()
    result.terms = load_taxonomies(lambda name: apps.get_model("organisations", name))
    result.imports["calls"] = _import("calls", import_calls)
    result.imports["organisations"] = _import("organisations", import_organisations)
    result.imports["ideas"] = _import("ideas", import_ideas)
    _spread_profile_dates(started)

    staff_group = _staff_group()
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    with (DEMO_DIR / "users.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            staff = row["role"] == "staff"
            user, created = _user(row["email"], row["name"], staff=staff)
            result.users_created += created
            if staff:
                # No organisation: a reviewer never decides on a consortium of their own.
                user.groups.add(staff_group, reviewers)
                continue
            organisation = Organisation.objects.get(name=row["organisation"])
            _membership, created = Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": row["role"]}
            )
            result.memberships_created += created
    result.partnership_steps = _play_partnerships()
    return result


# --- Partnerships -------------------------------------------------------------------------
#
# fixtures/demo/partnerships.csv tells short stories, one step a row, played through
# the same services as the site, so the applications, invitations, reviews (with
# real snapshots), conversations and notifications are what users would have made.
# A step that is already done is skipped, so a second run adds nothing.

DECISION_STEPS = {
    "approve": ReviewStatus.APPROVED,
    "reject": ReviewStatus.REJECTED,
    "changes": ReviewStatus.CHANGES_REQUESTED,
}
ANSWER_STEPS = {
    "accept": (partnerships.application_accept, ApplicationStatus.ACCEPTED),
    "decline": (partnerships.application_decline, ApplicationStatus.DECLINED),
    "withdraw": (partnerships.application_withdraw, ApplicationStatus.WITHDRAWN),
}


def _sender(conversation: Conversation, user) -> Organisation:
    """The side of the conversation that ``user`` writes for."""
    mine = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    for organisation in (conversation.starter, conversation.recipient):
        if organisation.pk in mine:
            return organisation
    raise DemoDataError(f"{user.email} belongs to neither side of “{conversation.subject}”")


def _play(row: dict, *, users: dict, ideas: dict, organisations: dict) -> bool:
    """Play one step; False when it was already done."""
    step = row["step"]
    idea = ideas[row["idea"]]
    by = users[row["by"]]
    organisation = organisations[row["organisation"]] if row["organisation"] else None
    text = row["text"]
    application = (
        PartnershipApplication.objects.filter(idea=idea, organisation=organisation).first()
        if organisation is not None
        else None
    )
    if step in ("apply", "invite"):
        if application is not None:
            return False
        if step == "apply":
            partnerships.application_apply(
                idea=idea,
                organisation=organisation,
                by=by,
                motivation=text,
                proposed_role=row["role"],
                contact_name=by.get_full_name(),
            )
        else:
            partnerships.application_invite(idea=idea, organisation=organisation, by=by, note=text)
        return True
    if application is None and (
        step in ANSWER_STEPS or step == "shortlist" or (step == "message" and not row["subject"])
    ):
        raise DemoDataError(f"{step}: {row['organisation']} has no application to {idea.slug}")
    if step in ANSWER_STEPS:
        service, status = ANSWER_STEPS[step]
        if application.events.filter(to_status=status, refused=False).exists():
            return False
        service(application=application, by=by, note=text)
        return True
    if step == "shortlist":
        if application.shortlisted:
            return False
        partnerships.application_shortlist(application=application, by=by)
        return True
    if step == "submit":
        if idea.reviews.exists():
            return False
        review = partnerships.consortium_submit(idea=idea, by=by)
        if row["days_ago"]:
            # Reviews waiting for some days, so the queue's "waiting since" filter shows them.
            review.submitted_at = timezone.now() - datetime.timedelta(days=int(row["days_ago"]))
            review.save(update_fields=["submitted_at"])
        return True
    if step in DECISION_STEPS:
        review = idea.reviews.order_by("-submitted_at", "-pk").first()
        if review is None or review.status != ReviewStatus.UNDER_REVIEW:
            return False
        partnerships.review_decide(review=review, decision=DECISION_STEPS[step], by=by, note=text)
        return True
    if step == "contact":
        sender = Organisation.objects.filter(memberships__user=by).first()
        if Conversation.objects.filter(
            starter=sender, recipient=organisation, subject=row["subject"]
        ).exists():
            return False
        partnerships.conversation_start(
            sender=sender,
            recipient=organisation,
            by=by,
            subject=row["subject"],
            body=text,
            idea=idea,
        )
        return True
    if step == "message":
        if row["subject"]:
            conversation = Conversation.objects.filter(subject=row["subject"], idea=idea).get(
                Q(starter=organisation) | Q(recipient=organisation)
            )
        else:
            conversation = partnerships.conversation_for_application(application, by=by)
        if conversation.messages.filter(body=text.strip()).exists():
            return False
        partnerships.message_post(
            conversation=conversation, sender=_sender(conversation, by), by=by, body=text
        )
        return True
    raise DemoDataError(f"unknown step {step!r}")


def _play_partnerships() -> int:
    with (DEMO_DIR / "partnerships.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    users = {
        user.email: user
        for user in get_user_model().objects.filter(email__in={row["by"] for row in rows})
    }
    ideas = {
        idea.slug: idea for idea in ProjectIdea.objects.filter(slug__in={r["idea"] for r in rows})
    }
    organisations = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(name__in={r["organisation"] for r in rows})
    }
    played = 0
    for line, row in enumerate(rows, start=2):
        try:
            played += _play(row, users=users, ideas=ideas, organisations=organisations)
        except KeyError as error:
            raise DemoDataError(
                f"fixtures/demo/partnerships.csv line {line}: unknown {error}"
            ) from error
        except ValidationError as error:
            raise DemoDataError(
                f"fixtures/demo/partnerships.csv line {line}: {' '.join(error.messages)}"
            ) from error
    # The stories' notifications stay in the app; nobody needs them as e-mails, and the
    # worker beside `make run` would otherwise print a hundred of them at the first start.
    Notification.objects.unsent().update(email_status=Notification.EmailStatus.SKIPPED)
    return played
