"""Who is told of a reviewed evaluation: the person who submitted it."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from districts import notify
from evaluations.models import ReviewStatus, VillageEvaluation


def evaluation_reviewed(evaluation: VillageEvaluation) -> None:
    if evaluation.submitted_by_id is None:
        return
    village = evaluation.target.village.name_th
    if evaluation.status == ReviewStatus.APPROVED:
        text = format_lazy(_("The evaluation of {village} is approved."), village=village)
    else:
        text = format_lazy(
            _("The evaluation of {village} is returned: {comment}"),
            village=village,
            comment=evaluation.review_comment[:200],
        )
    notify.send(
        [evaluation.submitted_by],
        notify.Kind.EVALUATION,
        text,
        reverse("evaluations:evaluation", args=[evaluation.target_id]),
        key=f"evaluation:{evaluation.pk}:{evaluation.status}:{int(evaluation.reviewed_at.timestamp())}",
        district=evaluation.target.district_id,
    )
