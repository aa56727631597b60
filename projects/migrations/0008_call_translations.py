from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_past_projects"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="title_lv",
            field=models.CharField(blank=True, max_length=200, verbose_name="title in Latvian"),
        ),
        migrations.AddField(
            model_name="call",
            name="title_lt",
            field=models.CharField(blank=True, max_length=200, verbose_name="title in Lithuanian"),
        ),
        migrations.AddField(
            model_name="call",
            name="description_lv",
            field=models.TextField(
                blank=True, max_length=10000, verbose_name="description in Latvian"
            ),
        ),
        migrations.AddField(
            model_name="call",
            name="description_lt",
            field=models.TextField(
                blank=True, max_length=10000, verbose_name="description in Lithuanian"
            ),
        ),
    ]
