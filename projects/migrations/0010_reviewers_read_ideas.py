"""Reviewers may read, in the admin, the idea and the organisations a review is about.

The review page links to the idea's admin page; without these view permissions a
reviewer followed that link into a 403.
"""

from django.db import migrations

GROUP = "Reviewers"
VIEWING = [
    ("projects", "projectidea"),
    ("projects", "call"),
    ("organisations", "organisation"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model in VIEWING:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"view_{model}",
            defaults={"name": f"Can view {model}"},
        )
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                codename__in=[f"view_{model}" for _app, model in VIEWING],
                content_type__model__in=[model for _app, model in VIEWING],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_idea_lead_status_index"),
        ("organisations", "0011_search_side_tables"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
