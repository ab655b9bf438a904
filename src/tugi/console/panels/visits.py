"""The visits panel of the console's ticket page: the access the work needs and whether the
client confirmed it (K4), the appointments with the client, and the desk's internal planned start
and end of the work (K21)."""

from django.utils import timezone

from tugi.directory.selectors import staff_list_for
from tugi.visits import selectors
from tugi.visits.services import FINISHED, access_missing

from ..visits_forms import (
    AccessRequirementForm,
    AppointmentForm,
    CancelAppointmentForm,
    PhoneConfirmationForm,
    PlannedWorkForm,
    staff_choices_for,
)

TEMPLATE = "console/panels/visits.html"


def _local(value):
    return timezone.localtime(value) if value else None


def context(actor, ticket) -> dict | None:
    staff = staff_list_for(actor).order_by("name")
    choices = staff_choices_for(staff)  # one query for every form of the panel
    appointments = list(selectors.appointments_for(actor, ticket))
    for a in appointments:
        a.change_form = AppointmentForm(
            staff=staff, staff_choices=choices, prefix=f"appointment-{a.pk}",
            initial={"kind": a.kind, "starts_at": _local(a.starts_at), "ends_at": _local(a.ends_at),
                     "staff": a.staff_id, "location": a.location, "notes": a.notes},
        )
    return {
        "access": list(selectors.access_requirements_for(actor, ticket, include_withdrawn=True)),
        "missing": access_missing(ticket),
        "appointments": appointments,
        "access_form": AccessRequirementForm(prefix="access"),
        "phone_form": PhoneConfirmationForm(),
        "plan_form": AppointmentForm(staff=staff, staff_choices=choices, prefix="plan",
                                     initial={"staff": ticket.assignee_id or actor.staff_id}),
        "cancel_form": CancelAppointmentForm(),
        "work_form": PlannedWorkForm(initial={"planned_start": _local(ticket.planned_start),
                                              "planned_end": _local(ticket.planned_end)}),
        "can_plan": ticket.state not in FINISHED,  # the one rule of the flows: see visits.services
    }
