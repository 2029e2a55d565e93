import pytest

from cases.requirements import RequirementError, for_regime, load


def test_the_real_file_lists_the_pilkada_id_card_requirement_only_for_pilkada():
    assert "reporter-id-card" in {r.id for r in for_regime("pilkada")}
    assert "reporter-id-card" not in {r.id for r in for_regime("pemilu")}


@pytest.mark.parametrize(("body", "message"), [
    pytest.param("- {id: a, kind: formal, regimes: [pemilu], title: {id: A}, source: s}", 'entry "a".*English',
                 id="missing-english"),
    pytest.param("- {id: a, kind: odd, regimes: [pemilu], title: {id: A, en: A}, source: s}", 'entry "a".*kind',
                 id="unknown-kind"),
    pytest.param("- {id: a, kind: formal, regimes: [pemilu], title: {id: A, en: A}}", 'entry "a".*source',
                 id="no-source"),
])
def test_a_broken_requirements_file_names_the_entry(tmp_path, body, message):
    path = tmp_path / "requirements.yaml"
    path.write_text(body)
    with pytest.raises(RequirementError, match=message):
        load(path)
