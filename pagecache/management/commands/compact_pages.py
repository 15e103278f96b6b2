from django.core.management.base import BaseCommand

from pagecache.cache import compact
from pagecache.models import PageChange


class Command(BaseCommand):
    help = (
        "Fold the page changes written since the last run into the districts' page versions "
        "(kept pages stay valid). Run it nightly, with refresh_figures: every write adds a "
        "row, and a page's version counts the rows of its districts."
    )

    def handle(self, *args, **options):
        rows = PageChange.objects.count()
        compact()
        self.stdout.write(f"{rows} page changes folded")
