import pytest
import yaml

from pipelines.claims.catalog import DEFAULT_CATALOG, CatalogError, load_catalog, parse_catalog

EVAL_VOCABULARY = {
    "talks.duration_minutes", "prisoner_exchange.count_per_side", "prisoner_exchange.total",
    "bodies_returned.count", "bodies_returned.total", "bodies_returned.cumulative", "ceasefire.duration_days",
    "death_toll", "death_toll.onboard", "death_toll.ground", "injured", "missing",
}


def test_catalog_covers_the_eval_vocabulary():
    assert EVAL_VOCABULARY <= load_catalog().vocabulary()


def test_kinds_follow_the_design():
    cat = load_catalog()
    assert cat.kind_of("death_toll") == "cumulative"
    assert cat.kind_of("death_toll.onboard") == "cumulative"
    assert cat.kind_of("talks.duration_minutes") == "fixed"
    assert cat.kind_of("bodies_returned.cumulative") == "cumulative"


def test_a_new_attribute_needs_only_data():
    data = yaml.safe_load(DEFAULT_CATALOG.read_text())
    data["attributes"]["evacuated"] = {
        "kind": "cumulative", "unit": "people", "dimension": "count", "stories": ["flood"],
        "counted": ["evacuee"], "frames": ["evacuate"],
    }
    assert "evacuated" in parse_catalog(data).vocabulary()


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"kind": "sometimes"}, "kind must be one of"),
        ({"stories": ["volcano"]}, "stories must name known stories"),
        ({"unit": None}, "unit is required"),
        ({"dimension": "duration", "unit": "fortnights"}, "duration unit"),
        ({"variants_whole_alone": ["death_toll.in_orbit"]}, "variants_whole_alone names no variant"),
    ],
)
def test_invalid_entries_are_refused_with_the_reason(patch, message):
    data = yaml.safe_load(DEFAULT_CATALOG.read_text())
    data["attributes"]["death_toll"].update(patch)
    with pytest.raises(CatalogError, match=message):
        parse_catalog(data)


def test_a_span_of_an_occasion_needs_its_lead_and_most_days():
    import pytest

    from pipelines.claims.catalog import CatalogError, parse_catalog

    story = {"negotiation": {"cues": ["truce"], "fixed_date": True}}
    good = {"kind": "fixed", "unit": "days", "dimension": "duration", "stories": ["negotiation"],
            "frames": ["truce"], "spans_occasion": {"lead_days": 2, "max_days": 14}}
    assert parse_catalog({"stories": story, "attributes": {"t": good}}).attributes["t"].spans_occasion == (2, 14)
    with pytest.raises(CatalogError, match="spans_occasion"):
        parse_catalog({"stories": story, "attributes": {"t": {**good, "spans_occasion": {"lead_days": 2}}}})
