from django.db import migrations

from assignments.stages import ensure_default_stages


def add_stages(apps, schema_editor):
    ensure_default_stages(apps.get_model("assignments", "Stage"))


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_initial")]

    operations = [migrations.RunPython(add_stages, migrations.RunPython.noop)]
