"""Background work: large imports are checked and applied by `manage.py db_worker`."""

from django_tasks import task

from imports import services as imports
from imports.models import ImportBatch


@task()
def check_import(batch_id: int) -> None:
    imports.run_check(ImportBatch.objects.get(pk=batch_id))


@task()
def apply_import(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    imports.run_apply(batch, batch.uploaded_by)
