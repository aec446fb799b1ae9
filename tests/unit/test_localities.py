"""Places too small for the gazetteer: the article's own words ("the town of X", "in the village of
X", "X district", "in X alone") say they are parts of the occurrence's area. Every sentence here is
our own."""

from datetime import UTC, datetime

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.models import ArticleInput

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def attributes(text: str, title: str | None = None) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in extract_claims(ArticleInput("localities-test", text, title=title, published=PUBLISHED), load_catalog()):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def test_a_village_named_by_its_admin_word_in_the_figure_is_a_part():
    text = "The earthquake struck central Italy on Wednesday, killing 250 people. Twelve died in the village of Borgoletto."
    found = attributes(text)
    assert found["death_toll"] == [250]
    assert found["death_toll.borgoletto"] == [12]


def test_the_articles_own_cue_elsewhere_makes_a_small_town_a_part():
    text = ("The earthquake struck central Italy on Wednesday. Twelve people are missing in Borgoletto, officials "
            "said. The village of Borgoletto was flattened.")
    assert attributes(text) == {"missing.borgoletto": [12]}


def test_a_place_given_as_a_part_by_one_figure_is_a_part_in_the_headline_too():
    title = "Italy's quake toll rises to 190, 14 missing in Borgoletto"
    text = (title + "\n\nThe earthquake struck central Italy on Wednesday and has killed 190 people across Italy. "
            "The quake killed 61 people in Borgoletto alone.")
    found = attributes(text, title)
    assert set(found["death_toll"]) == {190}
    assert "missing" not in found
    assert found["missing.borgoletto"] == [14]


def test_a_town_cue_in_a_country_wide_storm_makes_the_town_a_part():
    found = attributes("The storm hit Jamaica on Tuesday. In the town of Marlow, 15 people were missing.")
    assert found == {"missing.marlow": [15]}


def test_the_town_where_the_occurrence_happened_is_the_whole():
    # the city named as where the floods struck is the story's place, not a part of it
    text = ("Floods in the Libyan city of Sarnat have killed more than 700 people, a minister said. The number "
            "could double, he added.")
    assert attributes(text).get("death_toll") == [701]


def test_a_place_of_another_figures_phrase_is_not_this_figures():
    text = ("Floods swept through Texas on Friday. The town of Pellsworth was hit hardest. Roughly forty people were "
            "still unaccounted for on Sunday, among them 10 campers from a camp upstream in Pellsworth.")
    assert 36 <= (attributes(text).get("missing") or [0])[0] <= 44  # type: ignore[operator]
