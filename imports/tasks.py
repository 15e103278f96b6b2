"""Background work: large imports are checked and applied by `manage.py db_worker`."""

from django_tasks import task

from imports import services


@task()
def check_import(batch_id: int) -> None:
    services.worker_check(batch_id=batch_id)


@task()
def apply_import(batch_id: int) -> None:
    services.worker_apply(batch_id=batch_id)
