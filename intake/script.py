"""The conversation's questions and messages, read from intake/data/conversation.yaml.

The wording, order, limits and conditions of the questions are data an administrator can
read and change; which answer fills which field of the report is code (intake/services.py),
so the file may only use the question ids listed here, each with its kind. Every text is in
both languages (gettext does not translate data), with the same ``%(name)s`` placeholders.
Start-up runs ``load_script`` (intake/apps.py) and refuses to start on a broken entry,
naming it.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "conversation.yaml"
LANGUAGES = ("id", "en")
CHANNELS = ("whatsapp", "telegram", "sms")
KINDS = frozenset({"election", "text", "region", "place", "date", "violations", "evidence", "yes_no", "contact",
                   "confirm"})
# The questions the code knows, and the kind each must have.
QUESTIONS = {
    "election": "election", "description": "text", "person_name": "text", "person_position": "text",
    "person_unit": "text", "region": "region", "place": "place", "occurred_on": "date", "known_on": "date",
    "violations": "violations", "evidence": "evidence", "identified": "yes_no", "reporter_name": "text",
    "reporter_contact": "contact", "confirm": "confirm",
}
REQUIRED_QUESTIONS = ("election", "description", "person_name", "region", "place", "known_on", "identified",
                      "confirm")
COMMANDS = ("cancel", "help", "english", "indonesian", "stop")
WORDS = ("skip", "done", "yes", "no", "today", "yesterday")
MESSAGES = (
    "welcome", "help", "cancelled", "language_set", "rate_limited", "unsupported", "location_received",
    "file_received", "file_refused", "file_failed", "file_not_kept", "too_many_files", "files_not_here",
    "skip_hint", "choose_number", "error_too_short", "error_too_long", "error_date", "error_future",
    "error_before", "error_region_none", "error_region_many", "error_yes_no", "error_numbers",
    "error_evidence_text", "error_confirm", "summary", "receipt", "receipt_files", "sms_link", "submit_failed",
    "fault", "notices_stopped", "staff_reply", "news_notice",
)
LABELS = ("election", "description", "person", "region", "place", "occurred_on", "known_on", "violations",
          "evidence", "identity", "anonymous", "not_given")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class ScriptError(ValueError):
    """A broken entry of the conversation file; the message names it."""


@dataclass(frozen=True)
class Text:
    id: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: Text
    optional: bool = False
    min_length: int = 0
    max_length: int = 0
    when: dict = field(default_factory=dict)
    channels: tuple[str, ...] = CHANNELS
    not_before: str = ""

    def applies(self, *, channel: str, answers: dict) -> bool:
        return channel in self.channels and all(answers.get(key) == value for key, value in self.when.items())


@dataclass(frozen=True)
class Script:
    commands: dict[str, frozenset[str]]
    words: dict[str, frozenset[str]]
    messages: dict[str, Text]
    labels: dict[str, Text]
    providers: dict[str, Text]
    questions: tuple[Question, ...]

    def text(self, key: str, language: str, **params) -> str:
        text = self.messages[key].get(language)
        return text % params if params else text

    def label(self, key: str, language: str) -> str:
        return self.labels[key].get(language)

    def question(self, question_id: str) -> Question:
        return next(question for question in self.questions if question.id == question_id)

    def after(self, question_id: str) -> list[Question]:
        """The questions after ``question_id`` (all of them for "")."""
        ids = [question.id for question in self.questions]
        start = ids.index(question_id) + 1 if question_id else 0
        return list(self.questions[start:])


def _text(value, where: str) -> Text:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise ScriptError(f"{where}: a text needs exactly the languages {', '.join(LANGUAGES)}")
    if not all(isinstance(value[language], str) and value[language].strip() for language in LANGUAGES):
        raise ScriptError(f"{where}: an empty text")
    if set(PLACEHOLDER.findall(value["id"])) != set(PLACEHOLDER.findall(value["en"])):
        raise ScriptError(f"{where}: the two languages have different %(...)s placeholders")
    return Text(id=value["id"].strip(), en=value["en"].strip())


def _words(data, section: str, names) -> dict[str, frozenset[str]]:
    found = data.get(section)
    if not isinstance(found, dict) or set(found) != set(names):
        raise ScriptError(f"{section}: needs exactly {', '.join(names)}")
    words = {}
    for name, values in found.items():
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise ScriptError(f"{section}.{name}: a list of words")
        words[name] = frozenset(" ".join(v.split()).upper() for v in values)
    commands = [word for name in COMMANDS if section == "commands" for word in words[name]]
    if len(commands) != len(set(commands)):
        raise ScriptError("commands: a word stands for two commands")
    return words


def _texts(data, section: str, names) -> dict[str, Text]:
    found = data.get(section)
    if not isinstance(found, dict):
        raise ScriptError(f"{section}: missing")
    missing, unknown = set(names) - set(found), set(found) - set(names)
    if missing or unknown:
        raise ScriptError(f"{section}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    return {name: _text(value, f"{section}.{name}") for name, value in found.items()}


def _question(entry, seen: list[str]) -> Question:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ScriptError(f"questions: an entry without an id after {seen[-1] if seen else 'the start'}")
    where = f"questions.{entry['id']}"
    known = {"id", "kind", "prompt", "optional", "min_length", "max_length", "when", "channels", "not_before"}
    if set(entry) - known:
        raise ScriptError(f"{where}: unknown keys {sorted(set(entry) - known)}")
    if entry["id"] not in QUESTIONS:
        raise ScriptError(f"{where}: not a question the code knows ({', '.join(QUESTIONS)})")
    if entry["id"] in seen:
        raise ScriptError(f"{where}: asked twice")
    if entry.get("kind") not in KINDS or entry["kind"] != QUESTIONS[entry["id"]]:
        raise ScriptError(f"{where}: its kind must be {QUESTIONS[entry['id']]}")
    when = entry.get("when") or {}
    if not isinstance(when, dict) or any(key not in seen for key in when):
        raise ScriptError(f"{where}: 'when' may only name earlier questions")
    channels = tuple(entry.get("channels") or CHANNELS)
    if not set(channels) <= set(CHANNELS):
        raise ScriptError(f"{where}: unknown channels {sorted(set(channels) - set(CHANNELS))}")
    not_before = entry.get("not_before", "")
    if not_before and (not_before not in seen or QUESTIONS[not_before] != "date"):
        raise ScriptError(f"{where}: not_before must name an earlier date question")
    lengths = [entry.get(name, 0) for name in ("min_length", "max_length")]
    if not all(isinstance(length, int) and length >= 0 for length in lengths):
        raise ScriptError(f"{where}: lengths are whole numbers")
    if entry["id"] in REQUIRED_QUESTIONS and (entry.get("optional") or when or set(channels) != set(CHANNELS)):
        raise ScriptError(f"{where}: a report needs this answer on every channel; it cannot be optional or skipped")
    return Question(id=entry["id"], kind=entry["kind"], prompt=_text(entry.get("prompt"), f"{where}.prompt"),
                    optional=bool(entry.get("optional")), min_length=lengths[0], max_length=lengths[1], when=when,
                    channels=channels, not_before=not_before)


def load_script(path: Path = DEFAULT_PATH) -> Script:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScriptError(f"{path}: cannot be read ({error})") from error
    if not isinstance(data, dict):
        raise ScriptError(f"{path}: not a mapping")
    questions, seen = [], []
    for entry in data.get("questions") or []:
        question = _question(entry, seen)
        questions.append(question)
        seen.append(question.id)
    missing = [name for name in REQUIRED_QUESTIONS if name not in seen]
    if missing:
        raise ScriptError(f"questions: missing {', '.join(missing)}")
    if seen[-1] != "confirm":
        raise ScriptError("questions: confirm must be the last question")
    commands, words = _words(data, "commands", COMMANDS), _words(data, "words", WORDS)
    shared = set().union(*commands.values()) & set().union(*words.values())
    if shared:
        raise ScriptError(f"words: {sorted(shared)} are also commands")
    return Script(
        commands=commands, words=words,
        messages=_texts(data, "messages", MESSAGES), labels=_texts(data, "labels", LABELS),
        providers=_texts(data, "providers", CHANNELS), questions=tuple(questions),
    )


@cache
def _cached(path: str, mtime: float) -> Script:
    return load_script(Path(path))


def default_script() -> Script:
    """The conversation file, parsed once per version of it (an edit is read without a restart)."""
    return _cached(str(DEFAULT_PATH), DEFAULT_PATH.stat().st_mtime)
