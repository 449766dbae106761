"""The error services raise when input breaks a rule: a message per field, or one for the form."""


class ValidationError(Exception):
    """Raised by services; views put each message next to its field."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = {"": errors} if isinstance(errors, str) else dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))


def apply_to_form(form, error: ValidationError) -> list[str]:
    """Attach field errors to a WTForms form; return the messages that belong to no field."""
    general = []
    for name, message in error.errors.items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            general.append(message)
    return general
