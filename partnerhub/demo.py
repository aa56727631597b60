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
from django.db import transaction
from django.utils import timezone

from organisations.importing import import_organisations
from organisations.models import Membership, Organisation
from organisations.reference_data import load_taxonomies
from partnerhub.csvio import ImportResult
from projects.importing import import_calls, import_ideas

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
# Shown in README: demo accounts are for trying the site on your own machine.
DEMO_PASSWORD = "partnerhub-demo"  # noqa: S105
STAFF_GROUP = "Agency staff"
STAFF_APPS = ("organisations", "projects", "matching")


class DemoDataError(RuntimeError):
    pass


@dataclass
class DemoResult:
    terms: int = 0
    imports: dict[str, ImportResult] = field(default_factory=dict)
    users_created: int = 0
    memberships_created: int = 0

    def lines(self) -> list[str]:
        lines = [f"taxonomy terms: {self.terms}"]
        lines += [f"{name}: {result.summary()}" for name, result in self.imports.items()]
        lines.append(f"users: created {self.users_created}")
        lines.append(f"memberships: created {self.memberships_created}")
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
    with (DEMO_DIR / "users.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            staff = row["role"] == "staff"
            user, created = _user(row["email"], row["name"], staff=staff)
            result.users_created += created
            if staff:
                user.groups.add(staff_group)
                continue
            organisation = Organisation.objects.get(name=row["organisation"])
            _membership, created = Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": row["role"]}
            )
            result.memberships_created += created
    return result
