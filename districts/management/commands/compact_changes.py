from django.core.management.base import BaseCommand

from districts import changes


class Command(BaseCommand):
    help = (
        "Fold the changes written since the last run into the districts' change counts "
        "(every count stays as it was, so nothing kept goes stale). Run it nightly, with "
        "refresh_figures: every write adds a row, and a count reads the rows of its district."
    )

    def handle(self, *args, **options):
        folded = changes.compact()
        self.stdout.write(f"{folded} changes folded")
