"""Event labels read like a headline, built from every report's places: parties and venue when the
reports make them clear, left out when they do not. Synthetic place counts first, then the seeds
through the real extraction and store."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines import flow
from pipelines.claims.entities import fold
from pipelines.claims.places import PLACES_DATA, Gazetteer, PlacesError, load_gazetteer
from pipelines.db import connect
from pipelines.headlines import Place, headline, is_demonym, places_of
from pipelines.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EVAL_SEEDS = ROOT.parent / "shared" / "eval" / "seeds" / "articles"
SEED_TEXTS = ROOT.parent / "shared" / "seeds"
# invented countries and towns added to the project's gazetteer by a data file of their own, so the
# rules are tested apart from the project's data
INVENTED = ROOT / "tests" / "fixtures" / "places" / "invented.yaml"


def gazetteer() -> Gazetteer:
    return load_gazetteer(PLACES_DATA, INVENTED)


def label(story: str, day: date | None, rows: list[dict], parties: bool = False) -> str:
    reports, places = places_of(rows, gazetteer())
    return headline(story, day, reports, places, parties)


def report(article: str, title: str = "", **mentions: int) -> list[dict]:
    """Rows of one report: the places it names and how often."""
    return [{"article_id": article, "title": title}] + [
        {"article_id": article, "title": title, "entity_id": pid.replace("_", "-"),
         "name": pid.replace("_", " ").title(), "mentions": n} for pid, n in mentions.items()]


TALKS_DAY = date(2025, 5, 16)


def test_talks_name_both_parties_and_the_city_not_the_host_country_nor_a_party_capital():
    rows = (report("a", "Westmark and Nordia meet in Riverton", westmark=6, nordia=5, riverton=2, ostland=2,
                   nord_capital=4)
            + report("b", westmark=4, nordia=4, old_palace=1, ostland=1, nord_capital=3)
            + report("c", westmark=3, nordia=5, riverton=1, harbour_city=1, nord_capital=2))
    assert label("talks", TALKS_DAY, rows, parties=True) == "Nordia\u2013Westmark talks, Riverton, 16 May 2025"


def test_a_party_named_by_its_capital_counts_as_named():
    # Nordia itself is named twice, its capital (standing for it) eight times
    rows = report("a", westmark=6, nordia=1, nord_capital=5, riverton=4) + report("b", westmark=4, nordia=1,
                                                                              nord_capital=3, riverton=3)
    assert label("talks", TALKS_DAY, rows, parties=True) == "Nordia\u2013Westmark talks, Riverton, 16 May 2025"


def test_a_host_as_prominent_as_the_sides_is_left_out_of_the_parties():
    rows = (report("a", "Talks in Riverton", westmark=6, nordia=6, ostland=4, riverton=3)
            + report("b", westmark=5, nordia=6, ostland=3, riverton=2))
    assert label("talks", TALKS_DAY, rows, parties=True) == "Nordia\u2013Westmark talks, Riverton, 16 May 2025"


def test_a_building_counts_for_its_city_and_gives_the_city_name_from_the_gazetteer():
    rows = report("a", old_palace=3, westmark=4, nordia=4) + report("b", old_palace=1, westmark=3, nordia=3)
    reports, places = places_of(rows, gazetteer())
    assert reports == 2 and {p.name for p in places} == {"Riverton", "Westmark", "Nordia"}
    assert label("talks", TALKS_DAY, rows, parties=True).endswith(", Riverton, 16 May 2025")


def test_no_clear_venue_and_no_clear_parties_are_left_out_not_guessed():
    # two cities as often, in as many reports; one country far ahead of the others
    rows = report("a", riverton=3, harbour_city=3, westmark=9, nordia=2, sudland=2)
    assert label("talks", TALKS_DAY, rows, parties=True) == "Talks, 16 May 2025"
    # a city only one report of three names is no venue either
    rows = report("a", riverton=4) + report("b") + report("c")
    assert label("talks", TALKS_DAY, rows, parties=True) == "Talks, 16 May 2025"
    assert label("talks", None, [], parties=True) == "Talks"


def test_two_or_three_parties_stand_out_or_none_is_named():
    two = report("a", westmark=8, nordia=7, sudland=2, ostland=1)
    three = report("a", westmark=8, nordia=7, sudland=6, ostland=1)
    four = report("a", westmark=8, nordia=7, sudland=6, ostland=5)  # no sides stand out
    one = report("a", westmark=8, nordia=2)
    assert label("talks", None, two, parties=True) == "Nordia\u2013Westmark talks"
    assert label("talks", None, three, parties=True) == "Nordia\u2013Sudland\u2013Westmark talks"
    assert label("talks", None, four, parties=True) == "Talks"
    assert label("talks", None, one, parties=True) == "Talks"


def test_a_mediator_named_less_than_the_sides_is_no_third_party():
    mediated = report("a", westmark=11, nordia=9, sudland=4, ostland=2)
    assert label("talks", None, mediated, parties=True) == "Nordia\u2013Westmark talks"
    unclear = report("a", westmark=14, nordia=13, sudland=9, ostland=2)  # neither two nor three stand out
    assert label("talks", None, unclear, parties=True) == "Talks"


def test_a_city_state_hosting_talks_is_their_venue_not_a_party():
    rows = (report("a", "Summit in Port Libre", westmark=6, nordia=5, port_libre=4)
            + report("b", westmark=5, nordia=4, port_libre=3) + report("c", westmark=4, nordia=2))
    assert label("talks", TALKS_DAY, rows, parties=True) == "Nordia\u2013Westmark talks, Port Libre, 16 May 2025"


def test_the_host_of_three_party_talks_is_no_party():
    rows = (report("a", "Talks in Riverton", westmark=8, nordia=7, sudland=7, ostland=6, riverton=3)
            + report("b", westmark=6, nordia=6, sudland=6, ostland=4, riverton=2))
    assert label("talks", TALKS_DAY, rows, parties=True) == "Nordia\u2013Sudland\u2013Westmark talks, Riverton, 16 May 2025"


@pytest.mark.parametrize(("name", "expected"), [
    ("Ukrainian", True), ("Russian", True), ("Turkish", True), ("Syrian", True), ("Chinese", True),
    ("Istanbul", False), ("Georgetown", False), ("Hatay", False), ("Ukraine", False), ("Kherson", False),
])
def test_the_adjective_for_a_country_s_people_is_no_place(name, expected):
    assert is_demonym(name) is expected


def test_a_disaster_is_placed_by_its_town_or_its_country_never_named_with_parties():
    quake = report("a", "Quake hits Hatay", hatay=5, turkey=6, nordia=4) + report("b", hatay=3, turkey=4)
    assert label("earthquake", date(2023, 2, 6), quake) == "Earthquake, Hatay, 6 Feb 2023"
    # the country stands out far more than any place in it the reports name: the country
    storm = report("a", westmark=9, open_sea=2) + report("b", westmark=6, open_sea=1)
    assert label("storm", date(2024, 11, 1), storm) == "Storm, Westmark, 1 Nov 2024"
    # unless the gazetteer says the town lies in that country
    port = report("a", westmark=9, harbour_city=2) + report("b", westmark=6, harbour_city=1)
    assert label("storm", date(2024, 11, 1), port) == "Storm, Harbour City, 1 Nov 2024"


def test_a_town_of_another_country_or_a_place_named_once_is_no_venue():
    # a crash in Westmark of a flight from Riverton (in Ostland): the reports name Riverton more
    # than any town of Westmark, but Westmark more than any country
    crash = report("a", westmark=5, ostland=2, riverton=3) + report("b", westmark=3, riverton=2)
    assert label("air crash", None, crash) == "Air crash, Westmark"
    once = report("a", westmark=1, harbour_city=1, riverton=1)
    assert label("sinking", None, once) == "Sinking"


def test_a_place_in_a_title_weighs_more_than_a_mention_in_the_body():
    body_only = report("a", "Talks resume", riverton=2, harbour_city=3)
    titled = report("a", "Talks resume in Riverton", riverton=2, harbour_city=3)
    assert label("talks", None, body_only, parties=True) == "Talks, Harbour City"
    assert label("talks", None, titled, parties=True) == "Talks, Riverton"


def test_countries_by_initials_and_short_names_and_names_without_a_possessive():
    rows = report("a", u_s=3, ukraine=3, russian_federation=4) + report("b", united_states=3, ukraine=3, russia=3)
    assert label("talks", None, rows, parties=True) == "Russia\u2013Ukraine\u2013US talks"
    g = gazetteer()
    assert g.country("UAE") == "AE" and g.country("uk") == "GB" and g.country("Turkey") == "TR"
    assert g.country("Istanbul") is None and g.country("Hatay") is None
    rows = report("a", westmark=6) + [{"article_id": "a", "entity_id": "westmark", "name": "Westmark\u2019s",
                                       "mentions": 1}]
    assert label("sinking", None, rows) == "Sinking, Westmark"


def test_headline_dates_and_capitals():
    assert headline("air crash", date(2024, 12, 29)) == "Air crash, 29 Dec 2024"
    assert headline("floods", date(2023, 9, 12), 1, [Place("derna", "Derna", 1, 5)]) == "Floods, Derna, 12 Sep 2023"
    # real capitals from the gazetteer: Moscow and Kyiv stand for their countries
    rows = report("a", moscow=4, kyiv=3, istanbul=2) + report("b", moscow=2, kyiv=2, russia=1, istanbul=1)
    assert label("talks", None, rows, parties=True) == "Russia\u2013Ukraine talks, Istanbul"


def test_a_data_file_adds_places_to_the_shared_gazetteer(tmp_path):
    g = gazetteer()
    assert g.country("Nordia") == "XN" and g.capital_of("Nord Capital") == "XN"
    assert g.seat("Old Palace") == "Riverton" and "XO" in g.countries("Riverton")
    assert fold(g.seat("Dolmabahce Palace") or "") == "istanbul"  # the project's own data, still there
    assert not load_gazetteer().lookup("Nordia")  # the invented places stay out of the project's
    bad = tmp_path / "bad.yaml"
    bad.write_text("places:\n  Lost Hut: {level: 4, in: Nowhere Land}\n", encoding="utf-8")
    with pytest.raises(PlacesError, match="Nowhere Land"):
        load_gazetteer(PLACES_DATA, bad)


# --- the seeds, through extraction and the store ----------------------------------------------------


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(home=tmp_path, operator_email="", db_path=None, snapshot_path=None)


def store_and_extract(settings: Settings, articles: list[dict]) -> set[str]:
    con = connect(settings.database)
    try:
        for a in articles:
            con.execute(
                "INSERT INTO articles (article_id, url, canonical_url, publisher, title, published, language, text,"
                " content_hash, fetched_at) VALUES (?, ?, ?, ?, ?, ?, 'en', ?, ?, ?)",
                [a["id"], a["url"], a["url"], a.get("publisher"), a.get("title"), a.get("published"), a["text"],
                 a["id"], datetime.now(UTC)])
    finally:
        con.close()
    flow.extract(settings)
    with duckdb.connect(str(settings.database), read_only=True) as con:
        return {label for (label,) in con.execute("SELECT DISTINCT label FROM events").fetchall()}


def test_eval_seed_events_are_labelled_like_headlines(settings):
    if not EVAL_SEEDS.is_dir():
        pytest.skip("seeds not present beside this checkout")
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EVAL_SEEDS.glob("*.json"))]
    assert store_and_extract(settings, articles) == {
        "Russia\u2013Ukraine talks, Istanbul, 16 May 2025",
        "Russia\u2013Ukraine talks, Istanbul, 23 Jul 2025",
    }


def test_bare_seed_texts_get_labels_without_guesses(settings):
    if not SEED_TEXTS.is_dir():
        pytest.skip("seeds not present beside this checkout")
    articles = [{"id": p.stem, "url": f"https://seed.example/{p.stem}", "text": p.read_text(encoding="utf-8")}
                for p in sorted(SEED_TEXTS.glob("*.txt"))]
    labels = store_and_extract(settings, articles)
    # no title, no publication date: every part a label has is one the texts make clear, no slug,
    # no ISO date, no party capital taken for the venue
    assert any(text.startswith("Russia\u2013Ukraine talks, Istanbul") for text in labels), labels
    for text in labels:
        assert re.fullmatch(r"(Russia\u2013Ukraine talks|Talks)(, Istanbul)?(, \d{1,2} [A-Z][a-z]{2} \d{4})?", text), text


# --- which mentions are places: our own sentences through the parser ---------------------------


@pytest.mark.parametrize(("sentence", "name", "reading"), [
    ("Fans were leaving an Ariana Grande concert when the bomb went off.", "Ariana", None),
    ("Eighty-five people died in the Camp Fire last week.", "the Camp Fire", None),
    ("The tower block collapsed in Surfside, Florida, on Thursday.", "Surfside", "place"),
    ("The delegations met at the Dolmabahce Palace.", "Dolmabahce Palace", "place"),
    ("Moscow said the exchange would go ahead.", "Moscow", "place"),
    ("Typhoon Haiyan flattened the coast.", "Haiyan", None),
])
def test_a_mention_reads_as_a_place_only_when_it_names_one(sentence, name, reading):
    from pipelines.claims.catalog import load_catalog
    from pipelines.claims.nlp import parse
    from pipelines.claims.places import place_reading

    catalog = load_catalog()
    cues = frozenset(c for s in catalog.stories.values() for c in s.cues)
    name_cues = frozenset(c for s in catalog.stories.values() for c in s.name_cues)
    doc = parse(sentence)
    ents = [e for e in doc.ents if name in e.text or e.text in name]
    readings = {place_reading(e, cues, name_cues) for e in ents} or {None}
    assert readings == {reading}, [(e.text, e.label_) for e in doc.ents]


def test_a_word_names_are_made_of_and_a_compass_point_are_no_place():
    from pipelines.claims.nlp import parse
    from pipelines.claims.places import place_reading

    doc = parse("The Tower stood empty. The West imposed sanctions.")
    assert all(place_reading(e, frozenset()) is None for e in doc.ents), [(e.text, e.label_) for e in doc.ents]


def test_a_capital_that_stands_for_a_party_is_neither_host_nor_venue():
    # Nord Capital named about as often as Nordia, but Nordia is a side: no venue rather than it
    rows = report("a", westmark=6, nordia=2, nord_capital=3)
    assert label("talks", None, rows, parties=True) == "Nordia\u2013Westmark talks"


def test_an_article_s_places_are_the_names_it_uses_as_places():
    from pipelines.claims.catalog import load_catalog
    from pipelines.claims.context import build_context
    from pipelines.claims.entities import Resolver
    from pipelines.claims.extract import article_entities
    from pipelines.models import ArticleInput

    text = ("Fans were leaving an Ariana Grande concert when the roof fell. The tower block collapsed in "
            "Surfside, Florida, on Thursday.")
    ctx = build_context(ArticleInput(article_id="x", text=text, title=None, publisher=None, url=None, published=None),
                        load_catalog(), Resolver())
    places = {e.name: n for e, n in article_entities(ctx) if e.kind == "place"}
    assert "Ariana" not in places and places.get("Surfside") == 1


# --- labels in analyze output, and for stores labelled by older rules ---------------------------

SEED_LABELS = {"Russia\u2013Ukraine talks, Istanbul, 16 May 2025", "Russia\u2013Ukraine talks, Istanbul, 23 Jul 2025"}


def test_analyze_gives_every_claim_its_event_s_label_as_the_store_does():
    if not EVAL_SEEDS.is_dir():
        pytest.skip("seeds not present beside this checkout")
    from pipelines.analyze import analyze_articles, event_summary, load_articles, predictions_json
    from pipelines.claims.catalog import load_catalog

    analysis = analyze_articles(load_articles(EVAL_SEEDS), load_catalog())
    claims = predictions_json(analysis)["claims"]
    assert claims and {c["event_label"] for c in claims if c["event"]} == SEED_LABELS
    # one label per event, and the summary analyze prints names every event by it
    assert all(len({c["event_label"] for c in claims if c["event"] == e}) == 1 for e in {c["event"] for c in claims})
    assert {label for label, _ in event_summary(analysis)} == SEED_LABELS


def _seed_store(settings: Settings) -> None:
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EVAL_SEEDS.glob("*.json"))]
    assert store_and_extract(settings, articles) == SEED_LABELS
    with duckdb.connect(str(settings.database)) as con:  # labels written by an older rule
        con.execute("UPDATE events SET label = 'talks, Ukraine, ' || CAST(occurrence_date AS VARCHAR)")


def _labels(settings: Settings) -> set[str]:
    with duckdb.connect(str(settings.database), read_only=True) as con:
        return {label for (label,) in con.execute("SELECT DISTINCT label FROM events").fetchall()}


def test_relabel_labels_every_stored_event_again_without_extracting(settings, monkeypatch, capsys):
    if not EVAL_SEEDS.is_dir():
        pytest.skip("seeds not present beside this checkout")
    from pipelines.replay import relabel

    _seed_store(settings)
    with duckdb.connect(str(settings.database), read_only=True) as con:
        events, claims = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM stg_claims)"
                                     " + (SELECT count(*) FROM claims)").fetchone()
    assert relabel(settings) == f"relabelled {events} events: {events} labels changed"
    assert _labels(settings) == SEED_LABELS
    assert relabel(settings) == f"relabelled {events} events: 0 labels changed"  # nothing left to change
    from pipelines import cli
    from pipelines.settings import get_settings

    monkeypatch.setenv("NEWSWATCH_HOME", str(settings.home))
    monkeypatch.setenv("NEWSWATCH_OPERATOR_EMAIL", "")
    get_settings.cache_clear()
    try:
        assert cli.main(["relabel"]) == 0
    finally:
        get_settings.cache_clear()
    assert capsys.readouterr().out.strip() == f"relabelled {events} events: 0 labels changed"
    with duckdb.connect(str(settings.database), read_only=True) as con:
        assert con.execute("SELECT (SELECT count(*) FROM stg_claims) + (SELECT count(*) FROM claims)").fetchone()[0] == claims


def test_reprocess_labels_every_event_from_all_its_reports(settings):
    if not EVAL_SEEDS.is_dir():
        pytest.skip("seeds not present beside this checkout")
    from pipelines.replay import reprocess

    _seed_store(settings)
    reprocess(settings)
    assert _labels(settings) == SEED_LABELS
