from django.db import migrations

# The steps of the community right-livelihood programme in a target village (FY2560 guide).
DEFAULT_STAGES = [
    (1, "prepare", "เตรียมความพร้อมและคัดเลือกปราชญ์", "Preparation and choosing the sage"),
    (2, "train-team", "พัฒนาศักยภาพปราชญ์และทีมวิทยากร", "Training the sage and support team"),
    (3, "teach-households", "ถ่ายทอดความรู้สู่ครัวเรือนเป้าหมาย", "Teaching the target households"),
    (4, "support-livelihood", "สนับสนุนการประกอบอาชีพ", "Supporting the livelihood"),
    (5, "group", "รวมกลุ่มอาชีพและขยายผล", "Forming a livelihood group and spreading"),
    (6, "evaluate", "ติดตามและประเมินผล", "Follow-up and evaluation"),
]


def add_stages(apps, schema_editor):
    Stage = apps.get_model("assignments", "Stage")
    for order, code, name_th, name_en in DEFAULT_STAGES:
        Stage.objects.update_or_create(
            code=code, defaults={"order": order, "name_th": name_th, "name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_initial")]

    operations = [migrations.RunPython(add_stages, migrations.RunPython.noop)]
