"""Every existing account gets a display name: the names already stored, else the e-mail's local part.

"anna.berzina@example.org" becomes "Anna Berzina": a starting point the person can
change on their account page; sign-in messages and e-mails greet people by it.
"""

from django.conf import settings
from django.db import migrations


def name_from(user) -> str:
    full = f"{user.first_name} {user.last_name}".strip()
    if full:
        return full[:100]
    local = (user.email or user.username or "").split("@")[0]
    words = [word for word in local.replace("_", ".").replace("-", ".").split(".") if word]
    return " ".join(word[:1].upper() + word[1:] for word in words)[:100]


def fill(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    UserSettings = apps.get_model("organisations", "UserSettings")
    have = dict(UserSettings.objects.values_list("user_id", "display_name"))
    for user in User.objects.only("pk", "first_name", "last_name", "email", "username").iterator():
        if have.get(user.pk):
            continue
        name = name_from(user)
        if not name:
            continue
        if user.pk in have:
            UserSettings.objects.filter(user_id=user.pk).update(display_name=name)
        else:
            UserSettings.objects.create(user_id=user.pk, display_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0008_search_index_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
