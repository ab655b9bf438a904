"""API v1 routes of the plans flow."""

from ninja import Router

router = Router(tags=["plans"])
