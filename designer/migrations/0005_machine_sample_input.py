from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("designer", "0004_version_history")]

    operations = [
        migrations.AddField(
            model_name="statemachine",
            name="sample_input",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
