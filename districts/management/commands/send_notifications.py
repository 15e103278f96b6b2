from django.core.management.base import BaseCommand

from districts.notify.delivery import send_due


class Command(BaseCommand):
    help = (
        "Send the notifications that are due: held in quiet hours (LINE, 21:00-07:00), waiting "
        "to be tried again, or never taken by a worker. Run it every 5 minutes (cron); the "
        "worker sends the others as they come."
    )

    def handle(self, *args, **options):
        counts = send_due()
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing due"
        self.stdout.write(summary)
