"""The programme's people outside the office who are not tied to one target village: sages,
the district's sage network and its forums, partner agencies.

The tables kept their names (``districts_*``) when the models moved here from ``districts``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from districts.lib import thai
from districts.models import (
    District,
    Officer,
    PhoneField,
    Synced,
    Village,
    by_given_name,
    scope_of,
)


class SageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sages teach: district staff may find one anywhere in their province."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.province_id:
            return self.filter(district__province_id=scope.province_id)
        return self.none()


class Sage(Synced):
    """ปราชญ์สัมมาชีพชุมชน: a villager who teaches a livelihood and leads a support team."""

    name = models.CharField(_("name"), max_length=200)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="sages", verbose_name=_("village")
    )
    # Kept from the village code so scoping needs no joins through tambon and village.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="sages", verbose_name=_("district")
    )
    expertise = models.CharField(
        _("livelihood expertise"), max_length=300, help_text=_("What the sage can teach.")
    )
    phone = PhoneField(_("phone"), max_length=30, blank=True)

    change_district = "district_id"

    objects = SageQuerySet.as_manager()

    class Meta:
        db_table = "districts_sage"
        ordering = [by_given_name()]
        verbose_name = _("sage")
        verbose_name_plural = _("sages")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.district_id = self.village_id[:4]
        super().save(*args, **kwargs)


class SageNetworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))


class SageNetwork(models.Model):
    """เครือข่ายปราชญ์: one per district."""

    district = models.OneToOneField(
        District, on_delete=models.PROTECT, related_name="sage_network", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        Sage, blank=True, related_name="networks", verbose_name=_("members")
    )

    change_district = "district_id"

    objects = SageNetworkQuerySet.as_manager()

    class Meta:
        db_table = "districts_sagenetwork"
        verbose_name = _("sage network")
        verbose_name_plural = _("sage networks")

    def __str__(self) -> str:
        return self.name


class ForumStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


class ForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("network__district"))


class Forum(Synced):
    """เวทีแลกเปลี่ยนเรียนรู้: sages and staff meet and learn; planned ahead, then recorded."""

    network = models.ForeignKey(
        SageNetwork, on_delete=models.CASCADE, related_name="forums", verbose_name=_("network")
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=ForumStatus.choices, default=ForumStatus.PLANNED
    )
    sages = models.ManyToManyField(
        Sage, blank=True, related_name="forums", verbose_name=_("sages who attended")
    )
    officers = models.ManyToManyField(
        Officer, blank=True, related_name="forums", verbose_name=_("staff who attended")
    )
    learned = models.TextField(_("what was learned"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)

    change_district = "network__district_id"

    objects = ForumQuerySet.as_manager()

    class Meta:
        db_table = "districts_forum"
        ordering = ["-date"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return f"{self.topic} ({thai.format_be_input(self.date)})"


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))


class Partner(Synced):
    """ภาคี: an agency that backs target villages or follow-up projects."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="partners", verbose_name=_("district")
    )
    name = models.CharField(_("agency"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = PhoneField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    change_district = "district_id"

    objects = PartnerQuerySet.as_manager()

    class Meta:
        db_table = "districts_partner"
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="districts_partner_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
