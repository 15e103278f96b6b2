"""Places and people: the Interior-ministry geography, users, officers and their tambons.

Access is written once here: ``scope_of(user)`` says what part of the country a user works in,
and every scoped queryset's ``visible_to(user)`` filters with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.db.models.functions import Substr, Trim
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.lib import thai


def code_validator(length: int) -> RegexValidator:
    return RegexValidator(
        rf"^\d{{{length}}}$", format_lazy(_("The code must be exactly {n} digits."), n=length)
    )


# Digits in groups split by spaces or dashes, a leading + for a country code: 08-1234-5678,
# 043 123 456, +66 81 234 5678 (Thai digits too: some type them on a Thai keyboard)
phone_validator = RegexValidator(
    r"^\+?[0-9๐-๙]+(?:[ -]+[0-9๐-๙]+)*$",
    _(
        "Enter the phone number in digits; spaces, dashes and a leading + are allowed, "
        "e.g. 08-1234-5678 or 043 123 456."
    ),
    code="invalid_phone",
)


class PhoneField(models.CharField):
    """A phone number as typed (08-1234-5678), checked by ``phone_validator``; Thai digits
    are kept as Arabic ones, which a phone's dialler (the pages' tel: links) understands."""

    default_validators = [phone_validator]

    def to_python(self, value):
        value = super().to_python(value)
        return thai.to_arabic_digits(value.strip()) if value else value


def by_given_name(field: str = "name"):
    """Thai names in the order Thai lists keep them: by the given name, not the title, which
    would put every นาง before every นาย. An expression, for ``order_by`` and ``ordering``."""
    return Case(
        *(
            When(**{f"{field}__startswith": title}, then=Trim(Substr(field, len(title) + 1)))
            for title in thai.TITLES
        ),
        default=F(field),
    )


def localized(name_th: str, name_en: str) -> str:
    """The English name when the user reads English and there is one; else the Thai name."""
    if (get_language() or "th").startswith("en") and name_en:
        return name_en
    return name_th


class NamedPlace(models.Model):
    """Thai and English names; ``name`` follows the language the user reads in."""

    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Synced(models.Model):
    """``updated_at``: when the row last changed, for the systems that sync through the API
    (``?updated_since=``). Kept by every save, ``update_fields`` ones too; a bulk
    ``update()`` or ``bulk_update`` names it itself."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)


# --- Scope -----------------------------------------------------------------------------------


class Role(models.TextChoices):
    ADMIN = "admin", _("System admin")
    DEPARTMENT = "department", _("Department staff")
    PROVINCE = "province", _("Provincial staff")
    HEAD = "head", _("District head")
    OFFICER = "officer", _("Field officer")
    SUPPORT = "support", _("Support (audit and accounts only)")


@dataclass(frozen=True)
class Scope:
    """The part of the country a user may read. Empty (no ids, not everything) means nothing."""

    everything: bool = False
    province_id: str | None = None
    district_id: str | None = None
    # the department's staff read the whole country and change nothing; households (personal
    # data) stay counts to them, as to provincial staff
    read_only: bool = False

    @property
    def admin(self) -> bool:
        """The system admin's scope: every record, to read and to change, households too."""
        return self.everything and not self.read_only

    def district_q(self, path: str) -> Q:
        """Rows whose district is reached by ``path`` ('' for District itself)."""
        if self.everything:
            return Q()
        field = f"{path}_id" if path else "pk"
        if self.district_id:
            return Q(**{field: self.district_id})
        if self.province_id:
            province_field = f"{path}__province_id" if path else "province_id"
            return Q(**{province_field: self.province_id})
        return Q(pk__in=[])


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    officer = user.officer_or_none
    if officer is None or not officer.is_active:  # a profile switched off reads nothing
        return Scope()
    if officer.role == Role.ADMIN:
        return Scope(everything=True)
    if officer.role == Role.DEPARTMENT:
        return Scope(everything=True, read_only=True)
    if officer.role == Role.PROVINCE:
        return Scope(province_id=officer.province_id)
    return Scope(province_id=officer.province_id, district_id=officer.district_id)


def is_system_admin(user) -> bool:
    """The superuser or an admin officer: not the department's staff, who read everything
    but change nothing (every write rule starts from this or from a role of a place)."""
    return scope_of(user).admin


def is_department(user) -> bool:
    """The department's staff: the country to read, nothing to change."""
    return scope_of(user).read_only


def is_auditor(user) -> bool:
    """The system admin and the support role read the audit log and manage accounts; the
    support role sees no programme data at all (its scope is empty)."""
    if not user.is_authenticated:
        return False
    return is_system_admin(user) or _active_as(user, Role.SUPPORT) is not None


def can_read_reviews(user, district_id: str) -> bool:
    """Merit ratings are personnel records: the district's head (who gives them), the
    province's staff and the system admin read every officer's; an officer reads only their
    own (the page shows it apart)."""
    if can_manage_district(user, district_id):
        return True
    staff = _active_as(user, Role.PROVINCE)
    return bool(staff and district_id.startswith(staff.province_id or "-"))


def can_manage_district(user, district_id: str) -> bool:
    """Only the district's own head and the system admin change a district's programme."""
    if is_system_admin(user):
        return True
    head = _active_as(user, Role.HEAD)
    return bool(head and head.district_id == district_id)


def _active_as(user, role: str) -> Officer | None:
    """The user's officer profile if it is switched on and has ``role``."""
    officer = user.officer_or_none if user.is_authenticated else None
    return officer if officer and officer.is_active and officer.role == role else None


# --- Geography -------------------------------------------------------------------------------


class ProvinceQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.province_id and not scope.district_id:
            return self.filter(pk=scope.province_id)
        return self.none()


class Province(NamedPlace):
    code = models.CharField(
        _("code"), max_length=2, primary_key=True, validators=[code_validator(2)]
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    change_district = None  # its name shows on the country's pages: a site-wide change

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class DistrictQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q(""))


class District(NamedPlace):
    code = models.CharField(
        _("code"), max_length=4, primary_key=True, validators=[code_validator(4)]
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    office_lat = models.FloatField(_("office latitude"), null=True, blank=True)
    office_lon = models.FloatField(_("office longitude"), null=True, blank=True)

    change_district = "code"

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def office_point(self) -> tuple[float, float] | None:
        """Where the district's officers set out from: the office, else the district's centre."""
        lat, lon = (self.office_lat or self.lat), (self.office_lon or self.lon)
        return None if lat is None or lon is None else (lat, lon)


class TambonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("district"))


class Tambon(NamedPlace):
    code = models.CharField(
        _("code"), max_length=6, primary_key=True, validators=[code_validator(6)]
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="tambons", verbose_name=_("district")
    )
    lat = models.FloatField(
        _("latitude"), null=True, blank=True, help_text=_("Centroid of the tambon's area.")
    )
    lon = models.FloatField(
        _("longitude"), null=True, blank=True, help_text=_("Centroid of the tambon's area.")
    )

    change_district = "district_id"

    objects = TambonQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("tambon")
        verbose_name_plural = _("tambons")


class VillageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("tambon__district"))


class Village(NamedPlace):
    code = models.CharField(
        _("code"),
        max_length=8,
        primary_key=True,
        validators=[code_validator(8)],
        help_text=_("Tambon code followed by the two digits of the moo number."),
    )
    tambon = models.ForeignKey(
        Tambon, on_delete=models.PROTECT, related_name="villages", verbose_name=_("tambon")
    )
    moo = models.PositiveSmallIntegerField(_("moo"))
    households = models.PositiveIntegerField(
        _("households in the village"),
        null=True,
        blank=True,
        help_text=_(
            "All households of the village, from the village record: the spread is a share of them."
        ),
    )

    change_district = "tambon__district_id"

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(fields=["tambon", "moo"], name="districts_village_unique_moo"),
            models.CheckConstraint(condition=Q(moo__gte=1), name="districts_village_moo_positive"),
            models.CheckConstraint(
                condition=Q(households__isnull=True) | Q(households__gte=1),
                name="districts_village_households_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {_('Moo')} {self.moo}"


# --- People ----------------------------------------------------------------------------------


class PersonName:
    """A person's name as the portal shows it, for a user and for each record of a user's
    history (the audit log names people from those records, not from a query each)."""

    @property
    def display_name(self) -> str:
        full = f"{self.title}{self.first_name} {self.last_name}".strip()
        return full or self.username

    def __str__(self) -> str:
        return self.display_name


class User(PersonName, AbstractUser):
    """A login. Usernames stay ASCII; people's Thai names are what the portal shows."""

    username_validator = ASCIIUsernameValidator()
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        validators=[username_validator],
        help_text=_("Letters a-z, digits and @ . + - _ only."),
        error_messages={"unique": _("A user with that username already exists.")},
    )
    title = models.CharField(
        _("title"), max_length=30, blank=True, help_text=_("e.g. นาย, นาง, นางสาว")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language this person chose for the portal; empty: Thai."),
    )

    change_district = "officer__district_id"
    # a login writes last_login, which no page shows (districts.signals.record_last_login)
    change_quiet_fields = frozenset({"last_login"})

    history = HistoricalRecords(
        # a language is a preference, not a change to the account the audit log should show
        excluded_fields=["password", "last_login", "language"],
        bases=[PersonName, models.Model],
        verbose_name=_("history of a user"),
        verbose_name_plural=_("history of users"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def officer_or_none(self) -> Officer | None:
        try:
            return self.officer
        except Officer.DoesNotExist:
            return None


class OfficerQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.district_id:
            return self.filter(district_id=scope.district_id)
        if scope.province_id:
            return self.filter(province_id=scope.province_id)
        return self.none()

    def field_staff(self):
        """Heads and officers: the people who can work target villages."""
        return self.filter(role__in=[Role.HEAD, Role.OFFICER])

    def with_current_tambons(self):
        """Each officer with ``current_tambons``: their responsibilities today (one query)."""
        return self.select_related("user").prefetch_related(
            models.Prefetch(
                "tambon_responsibilities",
                queryset=TambonResponsibility.objects.current().select_related("tambon"),
                to_attr="current_tambons",
            )
        )


class Officer(models.Model):
    """A user's staff profile: role, where they work, and how much work they can carry."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="officer", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("province"),
        help_text=_("For provincial staff; set from the district for district staff."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("district"),
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    civil_servant_id = models.CharField(_("civil-servant id"), max_length=20, blank=True)
    capacity_weight = models.DecimalField(
        _("capacity weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.1)],
        help_text=_("Relative workload this officer can carry; 1 is a full share."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive officers are never given villages.")
    )

    change_district = "district_id"

    objects = OfficerQuerySet.as_manager()
    history = HistoricalRecords(
        verbose_name=_("history of an officer"),
        verbose_name_plural=_("history of officers"),
    )

    class Meta:
        ordering = ["district_id", "role", "user__username"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["head", "officer"], district__isnull=False)
                | Q(role="province", province__isnull=False, district__isnull=True)
                | Q(role__in=["admin", "support", "department"], district__isnull=True),
                name="districts_officer_role_has_place",
            ),
            models.CheckConstraint(
                condition=Q(capacity_weight__gt=0), name="districts_officer_capacity_positive"
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=Q(role="head", is_active=True),
                name="districts_officer_one_active_head_per_district",
            ),
            models.UniqueConstraint(
                fields=["civil_servant_id"],
                condition=~Q(civil_servant_id=""),
                name="districts_officer_unique_civil_servant_id",
            ),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    def save(self, *args, **kwargs):
        if self.district_id:
            self.province_id = self.district_id[:2]
        super().save(*args, **kwargs)


class TambonResponsibilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_of(user).district_q("tambon__district"))

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class TambonResponsibility(models.Model):
    """An officer answers for a tambon (the first kind of work), by an office order."""

    officer = models.ForeignKey(
        Officer,
        on_delete=models.CASCADE,
        related_name="tambon_responsibilities",
        verbose_name=_("officer"),
    )
    tambon = models.ForeignKey(
        Tambon, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("tambon")
    )
    order_number = models.CharField(
        _("order number"), max_length=30, blank=True, help_text=_("The office order, e.g. 12/2560.")
    )
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)

    change_district = "tambon__district_id"

    objects = TambonResponsibilityQuerySet.as_manager()

    class Meta:
        ordering = ["tambon_id", "start_date"]
        verbose_name = _("tambon responsibility")
        verbose_name_plural = _("tambon responsibilities")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "tambon"],
                condition=Q(end_date__isnull=True),
                name="districts_tambonresp_one_open_per_officer_tambon",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="districts_tambonresp_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.tambon}"

    def end(self, today: dt.date) -> None:
        """The officer no longer answers for the tambon from ``today``: ``end_date`` is the
        last day they did (yesterday), so every page shows the change at once; a
        responsibility that began today never took effect and goes."""
        if self.start_date >= today:
            self.delete()
        else:
            self.end_date = today - dt.timedelta(days=1)
            self.save(update_fields=["end_date"])


# --- Changes ---------------------------------------------------------------------------------


class ChangeCount(models.Model):
    """A district's (or the site's, ``changes.SITE``) changes folded in by ``changes.compact``."""

    change_quiet = True

    district = models.CharField(_("district"), max_length=4, primary_key=True)
    count = models.PositiveBigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("count of changes")
        verbose_name_plural = _("counts of changes")

    def __str__(self) -> str:
        return f"{self.district}: {self.count}"


class Change(models.Model):
    """One write to the records a district's pages show, not yet folded into its count.

    Inserted, never updated: a counter raised in place would hold its row until the writer
    commits, queue every writer of a district behind the slowest, and deadlock two that raise
    the same rows in opposite orders (a review reproduced both on PostgreSQL)."""

    change_quiet = True

    district = models.CharField(_("district"), max_length=4, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return self.district


# --- API tokens ------------------------------------------------------------------------------


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now: dt.datetime | None = None):
        """Tokens that still open the API: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal access token another system uses for its user's work through the API.

    The secret is shown once, when made; only its SHA-256 is kept, so a copy of the database
    opens nothing. The token reads exactly what its user reads (the user's scope) and writes
    what its user may write; its name goes into the audit trail of every write it makes."""

    change_quiet = True  # no page of the programme shows it

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=60, help_text=_("What the token is for, e.g. the province's system.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("start of the key"), max_length=8, editable=False, help_text=_("To tell tokens apart.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


# Notifications live in their own module; imported here so that Django finds their models.
from districts.notify.models import (  # noqa: E402, F401
    Delivery,
    LineLink,
    Notification,
    NotificationPreference,
)
