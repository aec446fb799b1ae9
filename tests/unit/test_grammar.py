"""The number grammar as data: the YAML files load, bad files fail clearly, and the readers
follow the data (a word added to a file is read without touching code)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.claims import numerals, units
from pipelines.claims.grammar import MENTIONS_PATH, UNITS_PATH, load_mentions, load_units
from pipelines.claims.hedges import HEDGES_PATH, load_grammar
from pipelines.claims.numbers import NUMBERS_PATH, fraction, load_number_words
from pipelines.claims.quantities import find_quantities
from pipelines.claims.tokens import Forms, surface, tokenize

HOUR = 60.0


def test_every_grammar_file_loads() -> None:
    words = load_number_words()
    assert words.units["nineteen"] == 19 and words.tens["ninety"] == 90
    assert words.scales["million"] == 1e6 and words.groups["dozen"] == 12
    assert words.unicode_fractions["⅓"] == pytest.approx(1 / 3)
    assert words.added_fractions[("and", "three", "quarters")] == 0.75
    u = load_units()
    assert u.durations["hrs"] == HOUR and u.durations["fortnight"] == 14 * 24 * HOUR
    assert u.percent_forms[("per", "-", "cent")] == "percent"
    assert u.currency_codes["usd"] == "USD" and u.currency_symbols["€"] == "EUR"
    m = load_mentions()
    assert "flight" in m.labels and "no" in m.capital_labels  # quoted in YAML: not a boolean
    assert m.range_connectors["and"].prefix == "between" and m.range_connectors["-"].digits
    assert m.range_connectors["or"].max_ratio == 100
    assert ("-", "a", "-", "side") in m.pair_after
    assert load_grammar().before_unit[("-", "plus")] == "at least"


@pytest.mark.parametrize(("written", "value"), [(12, 12.0), (0.5, 0.5), ("1/3", 1 / 3), ("3/4", 0.75)])
def test_fraction(written: object, value: float) -> None:
    assert fraction(written) == pytest.approx(value)


@pytest.mark.parametrize("written", [None, True, [1], "x/y"])
def test_fraction_rejects(written: object) -> None:
    with pytest.raises(ValueError):
        fraction(written)


def test_surface_forms_are_tokens_of_the_text() -> None:
    assert surface("per-cent") == ("per", "-", "cent")
    assert surface("Or So") == ("or", "so")
    assert surface("-a-side") == ("-", "a", "-", "side")
    assert surface("o\u2019clock") == ("o'clock",)


def test_forms_match_the_longest_first() -> None:
    forms = Forms({("under",): "less than", ("just", "under"): "just under", ("well", "under"): "less than"})
    toks = tokenize("just under 90 minutes")
    assert forms.ending(toks, 2) == ("just under", 0)
    assert forms.ending(toks, 1) is None  # "just" alone is not a form
    assert forms.at(toks, 1) == ("less than", 2)
    assert forms.longest(["just", "under", "an"]) == ("just", "under")
    assert Forms().at(toks, 0) is None


@pytest.mark.parametrize(
    ("path", "loader", "table"),
    [
        (NUMBERS_PATH, load_number_words, "scales"),
        (UNITS_PATH, load_units, "durations"),
        (MENTIONS_PATH, load_mentions, "ranges"),
    ],
)
def test_a_missing_table_is_a_clear_error(tmp_path: Path, path: Path, loader, table: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data[table]
    bad = tmp_path / path.name
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=path.name):
        loader(bad)


def test_an_unknown_connector_rule_is_an_error(tmp_path: Path) -> None:
    data = yaml.safe_load(MENTIONS_PATH.read_text(encoding="utf-8"))
    data["ranges"]["connectors"]["to"] = {"digit": True}  # misspelt
    bad = tmp_path / "mentions.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown range connector"):
        load_mentions(bad)


def test_a_hedge_form_given_twice_is_an_error(tmp_path: Path) -> None:
    data = yaml.safe_load(HEDGES_PATH.read_text(encoding="utf-8"))
    data["hedges"]["nearly"]["before"].append("about")
    bad = tmp_path / "hedges.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="'about' is before both"):
        load_grammar(bad)


def test_no_word_is_two_kinds_of_unit() -> None:
    u = load_units()
    kinds = [set(u.durations), set(u.currency_words), set(u.measures), {f[0] for f in u.percent_forms}]
    for a in range(len(kinds)):
        for b in range(a + 1, len(kinds)):
            assert not kinds[a] & kinds[b]


def test_a_unit_added_to_the_data_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = yaml.safe_load(UNITS_PATH.read_text(encoding="utf-8"))
    data["durations"]["shift"] = {"forms": ["shift", "shifts"], "minutes": 480}
    data["measures"]["furlongs"] = "furlong"
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert [q.dimension for q in find_quantities("after three shifts")] == ["count"]  # before the change
    monkeypatch.setattr(units, "UNITS", load_units(path))
    monkeypatch.setattr(numerals, "UNITS", load_units(path))
    (q,) = find_quantities("after three shifts")
    assert (q.dimension, q.value_low, q.value_high) == ("duration", 3 * 480, 3 * 480)
    (q,) = find_quantities("a few shifts")
    assert (q.value_low, q.value_high, q.hedge) == (2 * 480, 5 * 480, "a few")
    (q,) = find_quantities("some 12 furlongs away")
    assert (q.dimension, q.unit, q.hedge) == ("other", "furlong", "about")
