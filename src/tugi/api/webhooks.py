"""API v1 routes of the webhooks app."""

from ninja import Router

router = Router(tags=["webhooks"])
