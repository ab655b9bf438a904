"""Domain errors. Services raise these with a message a user can read; adapters turn them into
an HTTP status (pages and API) or a quarantine reason (channels). Never HTTP errors here."""


class DomainError(Exception):
    """A business rule refused the action. ``message`` is shown to the user as it is."""

    status = 400

    def __init__(self, message: str, *, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The object does not exist, or the actor may not see it: both look the same on purpose."""

    status = 404

    def __init__(self, message: str = "", *, code: str = "not_found"):
        from django.utils.translation import gettext

        super().__init__(message or gettext("Not found."), code=code)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str, *, code: str = "forbidden"):
        super().__init__(message, code=code)


class TransitionNotAllowed(DomainError):
    status = 409

    def __init__(self, message: str, *, code: str = "transition_not_allowed"):
        super().__init__(message, code=code)


class InvalidInput(DomainError):
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message, code=code, field=field)
