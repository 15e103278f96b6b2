"""What the navigation bar's unread count adds to every request, and the notification list.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a scratch database>
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/notifications.py [--users 20000] [--per-user 90]

Writes that many users with that many notifications each (a third unread: 90 days of a busy
officer), in a transaction rolled back at the end, then times with EXPLAIN ANALYZE (median
of 7): the user's load as Django's ModelBackend does it, the same with the unread count
(districts.notify.auth), and the first page of a person's list.
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")

import django

django.setup()

from django.db import connection, transaction
from django.utils import timezone

from districts.models import User
from districts.notify.auth import unread_count_subquery
from districts.notify.models import Notification


class Rollback(Exception):
    pass


def explain_ms(queryset) -> float:
    sql, params = queryset.query.sql_with_params()
    times = []
    with connection.cursor() as cursor:
        for _ in range(7):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            times.append(cursor.fetchone()[0][0]["Execution Time"])
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--per-user", type=int, default=90)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=f"bench-notify-{i}") for i in range(args.users)
            )
            now = timezone.now()
            batch = []
            for user in users:
                for j in range(args.per_user):
                    batch.append(
                        Notification(
                            user=user,
                            kind="advice",
                            text="มีคำแนะนำใหม่ต่อการลงพื้นที่บ้านหนองแสง",
                            url="/",
                            key=f"b:{j}",
                            read_at=None if j % 3 == 0 else now,
                        )
                    )
                if len(batch) >= 50_000:
                    Notification.objects.bulk_create(batch)
                    batch = []
            Notification.objects.bulk_create(batch)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE districts_notification")
            someone = users[len(users) // 2]
            total = Notification.objects.count()
            print(f"{len(users)} users, {total} notifications")
            plain = explain_ms(User.objects.filter(pk=someone.pk))
            counted = explain_ms(
                User.objects.annotate(unread_notifications=unread_count_subquery()).filter(
                    pk=someone.pk
                )
            )
            print(f"user load: {plain:.3f} ms; with the unread count: {counted:.3f} ms")
            listing = explain_ms(Notification.objects.visible_to(someone)[:30])
            print(f"the list's page of 30: {listing:.3f} ms")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
