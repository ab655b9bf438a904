"""Business calendars and SLA policies as data (K8, K17). The arithmetic lives in calendar.py and
works on a CalendarSpec that selectors.calendar_spec_for builds from these rows."""

import datetime as dt
import uuid
import zoneinfo

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tugi.catalog.models import Service
from tugi.core.models import TimestampedModel
from tugi.directory.models import Organisation

DEFAULT_TIME_ZONE = "Europe/Tallinn"
DEFAULT_HOLIDAY_COUNTRY = "EE"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value}) from error


def validate_holiday_country(value: str) -> None:
    if value and value not in holidays.list_supported_countries():
        raise ValidationError(
            _("%(country)s is not a country with known public holidays (use a code such as EE, FI, LV)."),
            params={"country": value},
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def new_calendar_version() -> str:
    return uuid.uuid4().hex


class BusinessCalendar(TimestampedModel):
    """When the desk works (töökalender): weekly working hours in a time zone, the public holidays of
    a country, extra closed days. A 24/7 calendar counts every hour."""

    # A fresh value on every change of the calendar, its hours or its days (sla.signals): each process
    # keeps the calendars it has read by (id, version), so a new ticket reads no calendar rows while
    # nothing changed, and sees a change at once whichever process made it.
    version = models.CharField(max_length=32, default=new_calendar_version, editable=False)

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone],
        help_text=_("Working hours are wall-clock hours in this zone, e.g. Europe/Tallinn."),
    )
    holiday_country = models.CharField(
        _("public holidays of"), max_length=8, default=DEFAULT_HOLIDAY_COUNTRY, blank=True,
        validators=[validate_holiday_country],
        help_text=_("Country code, e.g. EE; empty for no public holidays."),
    )
    holiday_subdivision = models.CharField(
        _("region"), max_length=16, blank=True, help_text=_("Optional region of the country, e.g. BY for Bavaria.")
    )
    is_24_7 = models.BooleanField(_("24/7"), default=False, help_text=_("Every hour counts; holidays are ignored."))
    # K17: tickets on mission-critical systems and of VIP organisations run their SLA on this calendar
    # (their policy's targets, counted round the clock), and the on-call staff hear of them out of hours.
    is_on_call = models.BooleanField(
        _("on-call calendar"), default=False,
        help_text=_("Used for tickets on mission-critical systems and of VIP organisations (support outside "
                    "working hours). At most one calendar."),
    )

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_on_call"], condition=Q(is_on_call=True), name="sla_calendar_one_on_call"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.version = new_calendar_version()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.holiday_subdivision and not self.holiday_country:
            raise ValidationError({"holiday_subdivision": _("A region needs a country.")})
        if self.holiday_country and self.holiday_subdivision:
            try:
                holidays.country_holidays(self.holiday_country, subdiv=self.holiday_subdivision)
            except NotImplementedError as error:
                raise ValidationError(
                    {"holiday_subdivision": _("This region is not known for the country.")}
                ) from error


class WorkingHours(models.Model):
    """One span of working hours on a weekday. An end at or before the start means the span ends
    the next day (22:00-06:00) and belongs to the weekday it starts on; 00:00-00:00 is the whole day."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"), help_text=_("At or before the start: the next day."))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="sla_workinghours_weekday_range"),
            models.UniqueConstraint(fields=["calendar", "weekday", "start_time"], name="sla_workinghours_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end_time <= self.start_time

    @property
    def duration(self) -> dt.timedelta:
        """Wall-clock length, ignoring a DST change that night."""
        start = dt.datetime.combine(dt.date(2000, 1, 3), self.start_time)
        end = dt.datetime.combine(dt.date(2000, 1, 4 if self.crosses_midnight else 3), self.end_time)
        return end - start


class ClosedDay(models.Model):
    """A day without working hours beyond the public holidays: a company day off, a move."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="closed_days"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="sla_closedday_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


class OpenDay(models.Model):
    """A public holiday that is worked anyway, with the weekday's usual hours."""

    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="open_days"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("worked holiday")
        verbose_name_plural = _("worked holidays")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="sla_openday_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}".strip()


PRIORITY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SLATargets(models.Model):
    """What a policy commits to: response and resolution targets in business time (on its calendar)."""

    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=PRIORITY_VALIDATORS, help_text=_("1 critical .. 5 planning")
    )
    response_target = models.DurationField(_("response target"), help_text=_("Business time, e.g. 04:00:00."))
    resolution_target = models.DurationField(
        _("resolution target"), help_text=_("Business time, e.g. 2 days, 16:00:00.")
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors = {}
        if self.response_target is not None and self.response_target <= dt.timedelta(0):
            errors["response_target"] = _("A target must be longer than zero.")
        if (
            self.response_target is not None
            and self.resolution_target is not None
            and self.resolution_target < self.response_target
        ):
            errors["resolution_target"] = _("Resolution cannot be due before the response.")
        if errors:
            raise ValidationError(errors)


def _target_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(priority__gte=1, priority__lte=5), name=f"{prefix}_priority_range"),
        models.CheckConstraint(condition=Q(response_target__gt=dt.timedelta(0)), name=f"{prefix}_response_positive"),
        models.CheckConstraint(
            condition=Q(resolution_target__gte=models.F("response_target")), name=f"{prefix}_resolution_after_response"
        ),
    ]


class SLAPolicy(SLATargets):
    """The service's default targets per priority; without a service, the desk-wide default."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="sla_policies", help_text=_("Empty: the default for every service without its own."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="sla_policies"
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["service__name", "priority"]
        constraints = [
            *_target_constraints("sla_policy"),
            models.UniqueConstraint(
                fields=["service", "priority"], condition=Q(service__isnull=False), name="sla_policy_service_unique"
            ),
            models.UniqueConstraint(
                fields=["priority"], condition=Q(service__isnull=True), name="sla_policy_default_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service or _('default')} P{self.priority}"


class OrganisationSLAPolicy(SLATargets):
    """An organisation's contract: overrides the service's default, for one service or for all."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sla_policies"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="organisation_sla_policies", help_text=_("Empty: every service of the organisation."),
    )
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="organisation_sla_policies"
    )

    class Meta:
        verbose_name = _("organisation SLA policy")
        verbose_name_plural = _("organisation SLA policies")
        ordering = ["organisation__name", "service__name", "priority"]
        constraints = [
            *_target_constraints("sla_orgpolicy"),
            models.UniqueConstraint(
                fields=["organisation", "service", "priority"], condition=Q(service__isnull=False),
                name="sla_orgpolicy_service_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "priority"], condition=Q(service__isnull=True),
                name="sla_orgpolicy_org_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.service or _('all services')} P{self.priority}"


class SLATarget(models.TextChoices):
    RESPONSE = "response", _("response")
    RESOLUTION = "resolution", _("resolution")


class SLAEscalation(models.Model):
    """One step of a ticket's escalation (eskaleerimine): when ``threshold`` per cent of a target has
    run, who is told. Armed rows are the job's schedule, sent rows its record: one row per ticket,
    target and threshold, so nobody is told twice. A recomputation moves the armed rows and re-arms a
    sent one whose moment has moved into the future again (the due time was pushed back)."""

    class Status(models.TextChoices):
        ARMED = "armed", _("not yet reached")
        SENT = "sent", _("notified")
        SKIPPED = "skipped", _("not needed")

    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="sla_escalations"
    )
    target = models.CharField(_("target"), max_length=12, choices=SLATarget.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    due_at = models.DateTimeField(_("reached at"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ARMED)
    sent_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    notified = models.CharField(_("notified"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("SLA escalation")
        verbose_name_plural = _("SLA escalations")
        ordering = ["ticket", "due_at", "target", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target", "threshold"], name="sla_escalation_once"),
            models.CheckConstraint(condition=Q(threshold__gte=1, threshold__lte=1000), name="sla_escalation_threshold"),
        ]
        indexes = [
            # The periodic job reads only the armed rows whose moment has come: its cost follows the
            # tickets near their due time, not the total.
            models.Index(fields=["due_at"], name="sla_escalation_armed_idx", condition=Q(status="armed")),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.threshold}%"
