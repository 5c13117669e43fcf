"""The one domain exception of the membership register."""

from django.core.exceptions import ValidationError


class MembershipError(Exception):
    """A change to the register was refused; the message is written for a clerk.

    `field_errors` ({field: [message, ...]}) puts messages beside form fields;
    `line_errors` ([(line, message), ...]) lists the bad lines of an import file.
    """

    def __init__(
        self, message, *, field: str | None = None, field_errors: dict | None = None, line_errors: list | None = None
    ):
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}
        if field and not self.field_errors:
            self.field_errors = {field: [self.message]}
        self.line_errors = list(line_errors or [])

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "MembershipError":
        if hasattr(error, "error_dict"):
            field_errors = {
                field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()
            }
            first = next(iter(field_errors.values()))[0]
            return cls(first, field_errors=field_errors)
        return cls(" ".join(error.messages))

    def add_to_form(self, form):
        """Show the messages beside the form's fields (or above the form when no field matches)."""
        if not self.field_errors:
            form.add_error(None, self.message)
            return
        for field, messages in self.field_errors.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
