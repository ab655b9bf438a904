"""API v1 routes of the remote flow."""

from ninja import Router

router = Router(tags=["remote"])
