"""The default steps of the community right-livelihood programme in a target village.

A plain list (no models), so the data migration that seeds them and the demo share it.
"""

# (order, code, Thai name, English name)
DEFAULT_STAGES = [
    (1, "prepare", "เตรียมความพร้อมและคัดเลือกปราชญ์", "Preparation and choosing the sage"),
    (2, "train-team", "พัฒนาศักยภาพปราชญ์และทีมวิทยากร", "Training the sage and support team"),
    (3, "teach-households", "ถ่ายทอดความรู้สู่ครัวเรือนเป้าหมาย", "Teaching the target households"),
    (4, "support-livelihood", "สนับสนุนการประกอบอาชีพ", "Supporting the livelihood"),
    (5, "group", "รวมกลุ่มอาชีพและขยายผล", "Forming a livelihood group and spreading"),
    (6, "evaluate", "ติดตามและประเมินผล", "Follow-up and evaluation"),
]


def ensure_default_stages(stage_model) -> None:
    """Create the default stages that are missing (by code); never changes existing ones."""
    for order, code, name_th, name_en in DEFAULT_STAGES:
        if not stage_model.objects.filter(code=code).exists():
            stage_model.objects.create(code=code, order=order, name_th=name_th, name_en=name_en)
