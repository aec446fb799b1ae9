"""Parts read as the whole: one aircraft's occupants, one place's toll, bodies recovered so far, a
share introduced by "included". Every sentence here is our own."""

from datetime import UTC, datetime

from pipelines.claims.catalog import load_catalog
from pipelines.claims.extract import extract_claims
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claims_of(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(ArticleInput("parts-test", text, title=title, published=PUBLISHED), load_catalog())


def attributes(text: str, title: str | None = None) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for c in claims_of(text, title):
        out.setdefault(c.attribute, []).append(c.value_low)
    return out


def test_an_onboard_figure_that_is_the_whole_toll_is_the_toll():
    text = ("14:05 - Ministry: 96 dead, one rescued\nThe aviation ministry now says 96 of the 97 people on "
            "board the airliner have died after it overran the runway on Tuesday.")
    assert attributes(text) == {"death_toll": [96]}


def test_an_onboard_figure_beside_a_larger_toll_stays_a_split():
    text = ("The airliner came down on a school on Tuesday, killing 150 people. All 131 people on board "
            "the airliner died.")
    found = attributes(text)
    assert found.get("death_toll") == [150]
    assert found.get("death_toll.onboard") == [131]
