"""The costs panel of the console's ticket page: whether the work is chargeable, its cost notices and
the questions to the catalogue owner (K16), and the order behind a request (K20)."""

from tugi.costs import policies
from tugi.costs.selectors import cost_summary_for

from ..costs_forms import AmountForm, ChargeableForm, ConsultForm, NoticeForm, PricedNoticeForm

TEMPLATE = "console/panels/costs.html"


def context(actor, ticket) -> dict | None:
    summary = cost_summary_for(actor, ticket)
    can_price = policies.can_enter_amount(actor)
    return {
        **summary,
        "can_price": can_price,
        "chargeable_form": ChargeableForm(initial={"is_chargeable": ticket.is_chargeable}),
        "notice_form": PricedNoticeForm(prefix="notice") if can_price else NoticeForm(prefix="notice"),
        "amount_form": AmountForm(),
        "consult_form": ConsultForm(),
        "is_open": ticket.is_open,
    }
