"""API v1 routes of the worklog app."""

from ninja import Router

router = Router(tags=["worklog"])
