from cases.requirements import for_regime

# A broken requirements.yaml is refused by the law catalog: rules/tests/test_law_files.py.


def test_the_real_file_lists_the_pilkada_id_card_requirement_only_for_pilkada():
    assert "reporter-id-card" in {r.id for r in for_regime("pilkada")}
    assert "reporter-id-card" not in {r.id for r in for_regime("pemilu")}
