"""What every view that calls a service with a form's data needs: the service's refusal on the form."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: under the field it names, when the form shows that
    field, else at the top of the form, so that the page sent back keeps what was typed and says why."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            shown = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if shown else None, errors)
    else:
        form.add_error(None, error)
