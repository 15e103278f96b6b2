"""The worker's part: each delivery is sent by `manage.py db_worker`, never in a request."""

from django_tasks import task

from districts.notify import delivery


@task()
def deliver(delivery_id: int) -> None:
    delivery.deliver(delivery_id)
