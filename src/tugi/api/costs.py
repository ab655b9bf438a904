"""API v1 routes of the costs flow."""

from ninja import Router

router = Router(tags=["costs"])
