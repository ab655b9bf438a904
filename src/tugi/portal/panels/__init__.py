"""Panels of the portal's ticket page, one per client-role flow, shown in this order. Each module
here has TEMPLATE (a template path) and context(actor, ticket) -> dict | None; None hides the panel.
A panel reads through its flow's selectors only."""

from importlib import import_module

PANELS = ["visits", "plans", "dialogue", "costs", "remote", "worklog"]


def panels_for(actor, ticket) -> list[tuple[str, dict]]:
    result = []
    for name in PANELS:
        module = import_module(f"{__name__}.{name}")
        data = module.context(actor, ticket)
        if data is not None:
            result.append((module.TEMPLATE, data))
    return result
