"""API v1 routes of the visits flow."""

from ninja import Router

router = Router(tags=["visits"])
