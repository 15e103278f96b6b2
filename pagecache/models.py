"""How often the records behind a district's pages have changed: the key of its cached pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SITE = "*"  # records every page may show (stages, years, places, accounts)


class PageVersion(models.Model):
    """A counter per district (and one for the whole site, ``SITE``) that every write of a
    record its pages show raises by one. A page's cache key holds the sum of the counters it
    depends on: a district page its district's and the site's, the province page its
    districts' and the site's, the country page all of them. A counter only grows, so any
    write changes the sum and the next request renders the page again."""

    scope = models.CharField(_("district"), max_length=4, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
