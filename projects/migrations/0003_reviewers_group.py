"""The "Reviewers" group: staff who may see and decide the partnership review queue."""

from django.db import migrations

GROUP = "Reviewers"
CODENAME = "review_partnerships"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="projects", model="consortiumreview"
    )
    review, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=CODENAME,
        defaults={"name": "Can review partnerships"},
    )
    # Reviewers read the consortia and their history; they change nothing applicants wrote.
    viewing = [
        ("consortiumreview", "view_consortiumreview"),
        ("partnershipapplication", "view_partnershipapplication"),
        ("applicationevent", "view_applicationevent"),
        ("conversation", "view_conversation"),
        ("message", "view_message"),
    ]
    permissions = [review]
    for model, codename in viewing:
        model_type, _ = ContentType.objects.get_or_create(app_label="projects", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=model_type,
            codename=codename,
            defaults={"name": f"Can view {model}"},
        )
        permissions.append(permission)
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_partnerships"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
