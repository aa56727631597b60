from django.db import migrations


def load(apps, schema_editor):
    from organisations.reference_data import load_taxonomies

    load_taxonomies(lambda name: apps.get_model("organisations", name))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
