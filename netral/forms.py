"""What every view that calls a service with a form's data needs: the service's refusal on the form."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: under the field it names, when the form shows that
    field, else at the top of the form, so that the page sent back keeps what was typed and says why."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            shown = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if shown else None, errors)
    else:
        form.add_error(None, error)


# --- Typed choices (issue 20) -------------------------------------------------------------------
# A choice among rows that grow (agencies, offices, employees, accounts) is never a <select> of
# every row: a text field where the name is typed, a hidden field with the chosen row's id, an htmx
# search under the field that offers a few rows and fills both, and, without JavaScript, the name
# found on sending: one row is taken, several come back as "Did you mean" choices, none is said.

MAX_PICK_CHOICES = 10  # "Did you mean" and the search: more than this, and one should type more
MAX_PICK_ID_DIGITS = 18  # a longer "id" would overflow the database's integer: a 500 instead of a message


@dataclass(frozen=True)
class Pick:
    """How one typed choice finds its rows, within what the user may choose.

    ``by_id(pk)``: the row with this id if the user may choose it, else None; ``resolve(text)``:
    the rows a typed text names, best first (one query, a bounded number of rows); ``label(row)``:
    how a row reads in the search and in "Did you mean"; the three messages: several rows named,
    none, nothing typed; ``suggest(text)``: the rows the search offers as one types (default: resolve);
    ``resolve_many(texts)``: ``resolve`` of each text, in one query for all (needed by PickLinesField).
    """

    by_id: Callable[[int], Any]
    resolve: Callable[[str], list]
    label: Callable[[Any], str]
    several: str
    none: str
    missing: str
    suggest: Callable[[str], list] | None = None
    resolve_many: Callable[[list[str]], list[list]] | None = None


def pick_name_field(*, label, help_text="", required=True) -> forms.CharField:
    """The text field of a typed choice (``<name>_name``); what is required is checked on cleaning."""
    field = forms.CharField(label=label, max_length=200, required=False, help_text=help_text,
                            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    field.shown_required = required
    return field


def pick_id_field() -> forms.CharField:
    """The hidden id of a typed choice (``<name>``): filled by the search or a "Did you mean" choice."""
    return forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


@dataclass(frozen=True)
class TypedChoice:
    """What a template needs to draw one typed choice (templates/includes/typed_choice.html)."""

    text: Any  # BoundField of <name>_name
    hidden: Any  # BoundField of <name>
    choices: list  # (pk, label) of "Did you mean"
    results_id: str


class TypedChoiceMixin:
    """A form whose fields ``<name>_name`` (pick_name_field) and ``<name>`` (pick_id_field) choose a row.

    ``__init__`` calls ``self.add_pick(name, pick=..., search_url=..., required=...)``; cleaning
    puts the row (or None) in ``cleaned_data[name]``. Errors about ``<name>`` (a service's
    ValidationError) are shown at the typed field. Templates: ``form.typed.<name>``.
    """

    def add_pick(self, name: str, *, pick: Pick, search_url: str, required: bool = True,
                 results_id: str = "", text_field: str = "") -> None:
        """``results_id``: the id of the suggestions' list, when two forms of one page have the same field;
        ``text_field``: the typed field's name when ``<name>_name`` means something else in the form."""
        if not hasattr(self, "picks"):
            self.picks, self.pick_choices, self.pick_results = {}, {}, {}
        text_field = text_field or f"{name}_name"
        self.picks[name] = (pick, required, text_field)
        self.pick_choices[name] = []
        text = self.fields[text_field]
        text.shown_required = required
        results_id = self.pick_results[name] = results_id or f"{self.add_prefix(name)}-results"
        text.widget.attrs.update({
            "hx-get": search_url, "hx-trigger": "input changed delay:300ms, search", "hx-target": f"#{results_id}",
            "aria-controls": results_id, "data-pick-text": self.add_prefix(name)})

    @property
    def typed(self) -> dict[str, TypedChoice]:
        return {name: TypedChoice(text=self[text_field], hidden=self[name], choices=self.pick_choices[name],
                                  results_id=self.pick_results[name])
                for name, (_pick, _required, text_field) in getattr(self, "picks", {}).items()}

    def clean(self):
        data = super().clean()
        for name, (pick, required, text_field) in getattr(self, "picks", {}).items():
            self.pick_choices[name] = clean_pick(self, data, name=name, pick=pick, required=required,
                                                 text_field=text_field)
        return data

    def add_error(self, field, error):
        # A service names the row's field (the hidden id): say it at the typed name, where it is seen.
        texts = {name: text_field for name, (_pick, _required, text_field) in getattr(self, "picks", {}).items()}
        if field in texts:
            field = texts[field]
        elif field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError({texts.get(key, key): value for key, value in error.error_dict.items()})
        super().add_error(field, error)


def clean_pick(form: forms.Form, data: dict, *, name: str, pick: Pick, required: bool = True,
               text_field: str = "") -> list:
    """Resolve one typed choice of ``form``: ``data[name]`` becomes the row, or None when not required.

    The posted id wins when the user may choose that row; else the typed name: one row is taken,
    several are returned as "Did you mean" choices ((pk, label), at most MAX_PICK_CHOICES) with an
    error, none is an error. What was typed stays in the field either way. ``text_field``: the typed
    field, ``<name>_name`` unless given.
    """
    text_field = text_field or f"{name}_name"
    text, pk = (data.get(text_field) or "").strip(), str(data.get(name) or "").strip()
    data[name] = None
    if form.has_error(text_field):
        return []
    row = pick.by_id(int(pk)) if pk.isdigit() and len(pk) <= MAX_PICK_ID_DIGITS else None
    if row is None and text:
        found = pick.resolve(text)
        if len(found) == 1:
            row = found[0]
        elif found:
            form.add_error(text_field, pick.several)
            return [(item.pk, pick.label(item)) for item in found[:MAX_PICK_CHOICES]]
        else:
            form.add_error(text_field, pick.none)
            return []
    if row is None and pk:  # an id posted alone that is no row the user may choose: refused, never ignored
        form.add_error(text_field, pick.none)
    elif row is None and required:
        form.add_error(text_field, pick.missing)
    data[name] = row
    return []


def pick_query(request) -> str:
    """What was typed into a typed choice, as its htmx search sends it (the typed field alone, under its
    name, prefixed or not), or ``q``; cut to the field's length."""
    text = request.GET.get("q")
    if text is None:
        values = list(request.GET.values())
        text = values[0] if len(values) == 1 else next(
            (value for key, value in request.GET.items() if key.endswith("_name")), "")
    return text[:200].strip()


def pick_search(request, *, pick: Pick):
    """An htmx search of a typed choice: at most MAX_PICK_CHOICES rows the user may choose, named like the text.

    One query (``pick.resolve`` is bounded), so the answer's size and cost do not grow with the rows.
    """
    query = pick_query(request)
    rows = (pick.suggest or pick.resolve)(query)[:MAX_PICK_CHOICES] if len(query) >= 2 else []
    return render(request, "includes/typed_choice_results.html",
                  {"rows": [(row.pk, pick.label(row)) for row in rows], "query": query})


# --- Several typed choices: one per line (issue 20) -------------------------------------------------
# The multi-choice counterpart of a typed choice: a text area, each line names one row (as its search
# label or any text ``pick.resolve`` understands); the lines are resolved together on sending (one query
# for all: ``pick.resolve_many``), and a line that names several rows or none is said under the field, with
# its number, its text and, for several, the rows meant ("Did you mean"), while the text typed stays as it
# was. Works without JavaScript.

MAX_PICK_LINES = 100  # rows chosen in one go: one query of as many bounded searches


class PickLinesField(forms.CharField):
    """Rows of ``pick`` (set by the form's ``__init__``, within what the user may choose), typed one per line.

    Cleans to the list of rows, in the order typed, each once; the pick's ``resolve_many`` finds every line
    at once, so the cost does not grow with the lines. ``several`` and ``none``: the messages of a line
    naming several rows or none, with ``%(number)s`` (the line's number) and ``%(line)s``; ``several`` also
    ``%(choices)s``, the rows' labels.
    """

    widget = forms.Textarea

    def __init__(self, *, several, none, max_lines: int = MAX_PICK_LINES, **kwargs):
        kwargs.setdefault("max_length", max_lines * 201)
        super().__init__(**kwargs)
        self.widget.attrs.update({"rows": 5, "autocomplete": "off", "spellcheck": "false"})
        self.pick, self.several, self.none, self.max_lines = None, several, none, max_lines

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)) or hasattr(value, "model"):  # rows given as initial: their labels
            return "\n".join(self.pick.label(row) for row in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return text if isinstance(text, str) else ""

    def clean(self, value):
        text = super().clean(value)
        lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) > self.max_lines:
            raise ValidationError(_("At most %(count)d lines: send these, then the others.")
                                  % {"count": self.max_lines}, code="too_many")
        if self.pick.resolve_many is None:
            raise ImproperlyConfigured("A pick typed one per line needs resolve_many: one query for all the lines.")
        first = {}  # each line once: the first of those that differ only in case
        for number, line in lines:
            first.setdefault(line.casefold(), (number, line))
        typed = list(first.values())
        rows, errors = {}, []
        for (number, line), found in zip(typed, self.pick.resolve_many([line[:200] for _number, line in typed]),
                                         strict=True):
            if len(found) == 1:
                rows.setdefault(found[0].pk, found[0])
            elif found:
                choices = "; ".join(self.pick.label(row) for row in found[:MAX_PICK_CHOICES])
                errors.append(ValidationError(self.several % {"number": number, "line": line, "choices": choices},
                                              code="several"))
            else:
                errors.append(ValidationError(self.none % {"number": number, "line": line}, code="none"))
        if errors:
            raise ValidationError(errors)
        return list(rows.values())
