"""API v1 routes of the dialogue flow."""

from ninja import Router

router = Router(tags=["dialogue"])
