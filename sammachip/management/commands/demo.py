from django.core.management.base import BaseCommand, CommandError

from sammachip.demo import DEMO_LOGINS, PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the Khon Kaen FY2560 demo (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        try:
            report = build_demo()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo: {report}.")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, who in DEMO_LOGINS:
            self.stdout.write(f"  {username:<40} {who}")
