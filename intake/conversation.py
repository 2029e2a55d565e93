"""The conversation as rules (pure: no ORM, no request): one incoming message, the replies and the next step.

``respond`` reads the script (intake/data/conversation.yaml), the conversation's state and
one message, and says what to answer and whether the conversation is to be cancelled or
submitted. What it needs from the database (elections, acts, regions) comes in the
``Context``; files are taken by the caller (intake/services.py) before the message gets here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from intake.answers import command_of, format_date, parse_contact, parse_date, parse_numbers, rank_regions
from intake.script import Question, Script

MAX_REGION_CHOICES = 9


@dataclass
class State:
    step: str = ""  # the question waiting for an answer; "" before the first one
    answers: dict = field(default_factory=dict)
    language: str = "id"


@dataclass(frozen=True)
class Event:
    kind: str  # text, location, unsupported
    text: str = ""
    location: dict | None = None
    detail: str = ""


@dataclass(frozen=True)
class Context:
    channel: str
    today: date
    elections: list[tuple[str, dict]]  # (id, {"id": title, "en": title}), nearest first
    violations: list[tuple[str, dict]]  # (id, {"id": title, "en": title}), catalog order
    find_regions: Callable[[str], list[tuple[int, str, str]]]  # text -> [(pk, name, label)]
    max_files: int
    max_megabytes: int
    files: int = 0  # files kept so far
    carries_media: bool = True  # False for SMS: files are added on the web afterwards


@dataclass
class Turn:
    replies: list[str] = field(default_factory=list)
    action: str = ""  # "", "cancel" or "submit"


class Answer(Exception):
    """An answer that does not fit the question: the reply says why."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply


def respond(script: Script, state: State, event: Event, context: Context) -> Turn:
    """Answer one message; ``state`` is updated in place."""
    word = command_of(event.text) if event.kind == "text" else ""
    commands = script.commands
    if word in commands["cancel"]:
        return Turn(replies=[script.text("cancelled", state.language)], action="cancel")
    if word in commands["english"] | commands["indonesian"]:
        state.language = "en" if word in commands["english"] else "id"
        replies = [script.text("language_set", state.language)]
        if not state.step:
            return _start(script, state, context, replies)
        return Turn(replies=replies + [prompt(script, state, context)])
    if word in commands["help"]:
        replies = [script.text("help", state.language)]
        return Turn(replies=replies + [prompt(script, state, context)] if state.step else replies)
    if not state.step:
        return _start(script, state, context, [])
    if event.kind == "unsupported":
        return Turn(replies=[script.text("unsupported", state.language, kind=event.detail or "?"),
                             prompt(script, state, context)])
    question = script.question(state.step)
    if event.kind == "location" and question.kind != "place":
        state.answers["location"] = event.location
        return Turn(replies=[script.text("location_received", state.language), prompt(script, state, context)])
    try:
        action = _answer(script, question, state, event, context)
    except Answer as refused:
        return Turn(replies=[refused.reply])
    if action:
        return Turn(action=action)
    return _advance(script, state, context, [])


def _start(script: Script, state: State, context: Context, replies: list[str]) -> Turn:
    replies = replies + [script.text("welcome", state.language)]
    if not context.carries_media:
        replies.append(script.text("files_not_here", state.language))
    return _advance(script, state, context, replies)


def _advance(script: Script, state: State, context: Context, replies: list[str]) -> Turn:
    """Move to the next question that applies, answering those the reporter need not (one election)."""
    for question in script.after(state.step):
        if not question.applies(channel=context.channel, answers=state.answers):
            continue
        if question.kind == "election" and len(context.elections) == 1:
            state.answers["election"] = context.elections[0][0]
            continue
        state.step = question.id
        return Turn(replies=replies + [prompt(script, state, context)])
    raise AssertionError("the script ends with the confirm question")  # script.load_script checks it


def prompt(script: Script, state: State, context: Context) -> str:
    """The current question, with its choices or the summary filled in."""
    question, language = script.question(state.step), state.language
    text = question.prompt.get(language)
    if question.kind == "election":
        return text % {"choices": _numbered([title for _id, title in context.elections], language)}
    if question.kind == "violations":
        return text % {"choices": _numbered([title for _id, title in context.violations], language)}
    if question.kind == "evidence":
        return text % {"count": context.max_files, "size": context.max_megabytes}
    if question.kind == "yes_no":
        return text % {"provider": script.providers[context.channel].get(language)}
    if question.kind == "confirm":
        return text % {"summary": summary(script, state, context)}
    if question.kind == "region" and state.answers.get("_choices"):
        return script.text("choose_number", language, choices=_choice_lines(state.answers["_choices"]))
    return text


def _numbered(titles: list[dict], language: str) -> str:
    return "\n".join(f"{number}. {title.get(language) or title.get('id')}" for number, title in enumerate(titles, 1))


def _choice_lines(choices: list) -> str:
    return "\n".join(f"{number}. {label}" for number, (_pk, label) in enumerate(choices, start=1))


def _answer(script: Script, question: Question, state: State, event: Event, context: Context) -> str:
    """Check and keep the answer to ``question``; the action it triggers ("submit"), or ""."""
    language, answers, words = state.language, state.answers, script.words
    text = " ".join(event.text.split()) if question.kind != "text" else event.text.strip()
    word = command_of(text)

    def refuse(key, **params):
        raise Answer(script.text(key, language, **params))

    if question.optional and word in words["skip"]:
        answers[question.id] = None
        return ""
    if question.kind in {"text", "place", "contact"} and event.kind == "text":
        if len(text) < max(question.min_length, 1):
            refuse("error_too_short", count=max(question.min_length, 1))
        if question.max_length and len(text) > question.max_length:
            refuse("error_too_long", count=question.max_length)
    if question.kind == "text":
        answers[question.id] = text
    elif question.kind == "place":
        if event.kind == "location":
            answers["location"] = event.location
            place = event.location or {}
            text = ", ".join(part for part in (place.get("name"), place.get("address")) if part) or (
                f"{place.get('latitude')}, {place.get('longitude')}")
        answers["place"] = text[:question.max_length or 300]
    elif question.kind == "contact":
        answers[question.id] = parse_contact(text)
    elif question.kind == "election":
        picked = parse_numbers(text, count=len(context.elections))
        if not picked or len(picked) != 1:
            refuse("error_numbers")
        answers["election"] = context.elections[picked[0] - 1][0]
    elif question.kind == "violations":
        picked = parse_numbers(text, count=len(context.violations))
        if not picked:
            refuse("error_numbers")
        answers["violations"] = [context.violations[number - 1][0] for number in picked]
    elif question.kind == "region":
        _answer_region(script, state, text, context)
    elif question.kind == "date":
        _answer_date(script, question, state, text, context)
    elif question.kind == "evidence":
        if word not in words["done"]:
            refuse("error_evidence_text")
    elif question.kind == "yes_no":
        if word not in words["yes"] | words["no"]:
            refuse("error_yes_no")
        answers[question.id] = word in words["yes"]
    elif question.kind == "confirm":
        if word not in words["yes"]:
            refuse("error_confirm")
        return "submit"
    return ""


def _answer_region(script: Script, state: State, text: str, context: Context) -> None:
    choices = state.answers.get("_choices") or []
    picked = parse_numbers(text, count=len(choices)) if choices else None
    if picked and len(picked) == 1:
        pk, label = choices[picked[0] - 1]
    else:
        found = rank_regions(text, context.find_regions(text))
        if not found:
            raise Answer(script.text("error_region_none", state.language))
        if len(found) > MAX_REGION_CHOICES:
            raise Answer(script.text("error_region_many", state.language))
        if len(found) > 1:
            state.answers["_choices"] = [list(choice) for choice in found]
            raise Answer(script.text("choose_number", state.language, choices=_choice_lines(found)))
        pk, label = found[0]
    state.answers.pop("_choices", None)
    state.answers["region"] = {"pk": pk, "label": label}


def _answer_date(script: Script, question: Question, state: State, text: str, context: Context) -> None:
    words = script.words
    value = parse_date(text, today=context.today, today_words=words["today"], yesterday_words=words["yesterday"])
    if value is None:
        raise Answer(script.text("error_date", state.language)
                     + (" " + script.text("skip_hint", state.language) if question.optional else ""))
    if value > context.today:
        raise Answer(script.text("error_future", state.language))
    earlier = state.answers.get(question.not_before) if question.not_before else None
    if earlier and value < date.fromisoformat(earlier):
        raise Answer(script.text("error_before", state.language))
    state.answers[question.id] = value.isoformat()


def summary(script: Script, state: State, context: Context) -> str:
    """The answers as the reporter reads them before sending."""
    answers, language = state.answers, state.language
    missing = script.label("not_given", language)
    titles = dict(context.violations)
    elections = dict(context.elections)
    person = ", ".join(part for part in (answers.get("person_name"), answers.get("person_position"),
                                         answers.get("person_unit")) if part)
    if answers.get("identified"):
        contact = answers.get("reporter_contact") or {}
        identity = ", ".join(part for part in (answers.get("reporter_name"), *contact.values()) if part)
    else:
        identity = script.label("anonymous", language)
    lines = [
        ("election", elections.get(answers.get("election"), {}).get(language, "")),
        ("description", answers.get("description", "")),
        ("person", person),
        ("region", (answers.get("region") or {}).get("label", "")),
        ("place", answers.get("place", "")),
        ("occurred_on", format_date(answers.get("occurred_on"), language) or missing),
        ("known_on", format_date(answers.get("known_on"), language)),
        ("violations", "; ".join(titles[v].get(language, "") for v in answers.get("violations") or [] if v in titles)
         or missing),
        ("evidence", str(context.files)),
        ("identity", identity),
    ]
    return "\n".join(script.text("summary", language, label=script.label(key, language), value=value)
                     for key, value in lines)
