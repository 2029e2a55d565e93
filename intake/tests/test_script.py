"""The conversation file is checked at start-up: a broken entry is refused by its name."""

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from intake.apps import check_script
from intake.script import DEFAULT_PATH, ScriptError, load_script


def test_the_shipped_conversation_loads():
    script = load_script()
    assert script.questions[-1].id == "confirm"
    assert script.question("evidence").channels == ("whatsapp", "telegram")


def _broken(tmp_path, change) -> str:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "conversation.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _question(data, question_id):
    return next(q for q in data["questions"] if q["id"] == question_id)


@pytest.mark.parametrize(("change", "named"), [
    pytest.param(lambda d: _question(d, "description")["prompt"].pop("en"), "questions.description",
                 id="a-missing-language"),
    pytest.param(lambda d: _question(d, "evidence")["prompt"].update(en="Send files (at most %(total)d)."),
                 "questions.evidence", id="placeholders-differ"),
    pytest.param(lambda d: _question(d, "region").update(kind="text"), "questions.region", id="wrong-kind"),
    pytest.param(lambda d: _question(d, "known_on").update(optional=True), "questions.known_on",
                 id="a-required-answer-made-optional"),
    pytest.param(lambda d: _question(d, "person_name").update(when={"reporter_name": "x"}), "questions.person_name",
                 id="a-condition-on-a-later-question"),
    pytest.param(lambda d: d["questions"].append({"id": "favourite_colour", "kind": "text",
                                                   "prompt": {"id": "Warna?", "en": "Colour?"}}),
                 "questions.favourite_colour", id="a-question-the-code-does-not-know"),
    pytest.param(lambda d: d["messages"].pop("receipt"), "messages", id="a-missing-message"),
    pytest.param(lambda d: d["words"]["done"].append("BATAL"), "words", id="a-word-that-is-also-a-command"),
])
def test_a_broken_entry_is_refused_by_its_name(tmp_path, change, named):
    with pytest.raises(ScriptError, match=named.replace(".", r"\.")):
        load_script(_broken(tmp_path, change))


def test_start_up_refuses_a_broken_file(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        check_script(_broken(tmp_path, lambda d: d.pop("questions")))
