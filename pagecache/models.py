"""How often the records behind a district's pages have changed: the key of its cached pages.

A district's version is its ``PageVersion.version`` plus its rows in ``PageChange``. A write
adds a ``PageChange`` row: an insert, which waits on no other writer (a counter raised in
place would hold its row until the writer commits, queue every writer of a district behind
the slowest, and deadlock two that raise the same rows in opposite orders). Nightly,
``compact`` folds the rows into the counters in one statement, so the sum never moves back.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SITE = "*"  # records every page may show (stages, years, places, accounts)


class PageVersion(models.Model):
    """A district's (or the site's, ``SITE``) changes folded in by ``compact``."""

    scope = models.CharField(_("district"), max_length=4, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"


class PageChange(models.Model):
    """One write to the records a district's pages show, not yet folded into its version."""

    scope = models.CharField(_("district"), max_length=4, db_index=True)

    class Meta:
        verbose_name = _("page change")
        verbose_name_plural = _("page changes")

    def __str__(self) -> str:
        return self.scope
