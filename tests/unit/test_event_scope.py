"""Scope once the event is known: a report naming only one of the event's areas gives that area's
part, judged from all the event's reports, the same in a stream of batches as in a full reprocess.
Every sentence here is our own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import duckdb
import pandas as pd
import pytest

from pipelines import db
from pipelines.analyze import analyze_articles
from pipelines.claims.areas import place_from_text, place_text
from pipelines.claims.catalog import load_catalog
from pipelines.claims.places import Place, PlacesError, load_gazetteer
from pipelines.detect import Rules, detect, source_key
from pipelines.detect_store import detect_stored
from pipelines.event_scope import event_revisions, revise_claims, scoped
from pipelines.flow import gate
from pipelines.models import ArticleInput, Claim
from pipelines.settings import Settings

CAT = load_catalog()
T = datetime(2024, 3, 5, 12, tzinfo=UTC)


def claim(cid: str, article: str, value: float, area: str | None = None, attribute: str = "death_toll",
          scope: str = "whole", event: str = "cyclone", hour: int = 12) -> Claim:
    place = load_gazetteer().best(area.replace("-", " ")) if area else None
    return Claim(claim_id=cid, article_id=article, attribute=attribute, kind="cumulative", unit="people",
                 value_low=value, value_high=value, hedge="exact", value_text=f"{value:g}", scope=scope,
                 as_of=T.date(), quote="q", quote_start=0, quote_end=1, sentence="q", event_id=event,
                 published=T.replace(hour=hour), area=area, area_place=place_text(place) if place else None)


def by_id(claims: list[Claim]) -> dict[str, tuple[str, str]]:
    return {c.claim_id: (c.attribute, c.scope) for c in claims}


def test_a_place_is_stored_and_read_back_and_bad_text_is_refused():
    lee = Place(2, "US", None, "US-FL")
    assert place_from_text(place_text(lee)) == lee
    assert place_from_text(place_text(load_gazetteer().best("Malawi"))).country == "MW"
    with pytest.raises(PlacesError):
        place_from_text("Malawi")


def test_one_area_of_several_in_the_event_is_a_part():
    claims = [claim("z", "a1", 139, "zimbabwe"), claim("m", "a2", 602, "mozambique", "death_toll.mozambique", "subset"),
              claim("w", "a3", 750)]
    got = by_id(revise_claims(claims, CAT))
    assert got["z"] == ("death_toll.zimbabwe", "subset")
    assert got["m"] == ("death_toll.mozambique", "subset")
    assert got["w"] == ("death_toll", "whole")  # a figure of no area stays the whole
    assert revise_claims(claims, CAT)[0].event_part


def test_a_place_holding_the_others_or_the_only_area_stays_the_whole():
    # the country's figure beside its provinces' is the whole; so is a figure for the event's only area
    claims = [claim("c", "a1", 2000, "morocco"), claim("p", "a2", 1200, "al-haouz", "death_toll.al-haouz", "subset"),
              claim("q", "a3", 450, "taroudant", "death_toll.taroudant", "subset")]
    assert by_id(revise_claims(claims, CAT))["c"] == ("death_toll", "whole")
    assert by_id(revise_claims([claim("z", "a1", 139, "zimbabwe")], CAT))["z"] == ("death_toll", "whole")


def test_areas_of_other_events_and_other_attributes():
    # another event's areas say nothing about this one; another attribute's area does
    claims = [claim("z", "a1", 139, "zimbabwe"), claim("m", "a2", 60, "malawi", "missing.malawi", "subset"),
              claim("x", "a3", 5, "zambia", event="flood")]
    got = by_id(revise_claims(claims, CAT))
    assert got["z"] == ("death_toll.zimbabwe", "subset")
    assert got["x"] == ("death_toll", "whole")


def test_a_part_whose_sibling_is_gone_is_the_whole_again_and_judging_twice_changes_nothing():
    claims = [claim("z", "a1", 139, "zimbabwe"), claim("m", "a2", 602, "mozambique")]
    once = revise_claims(claims, CAT)
    assert by_id(once) == {"z": ("death_toll.zimbabwe", "subset"), "m": ("death_toll.mozambique", "subset")}
    assert revise_claims(once, CAT) == once
    assert event_revisions([scoped(c) for c in reversed(claims)], CAT)  # any order: the same verdicts
    alone = revise_claims([once[0]], CAT)
    assert by_id(alone) == {"z": ("death_toll", "whole")} and not alone[0].event_part


def test_a_report_naming_one_area_is_that_areas_part_once_the_event_is_known():
    articles = [
        ArticleInput("r1", "Cyclone Tarin has killed 139 people in Zimbabwe, officials said on Tuesday.",
                     publisher="One", published=T),
        ArticleInput("r2", "Cyclone Tarin struck Mozambique on Monday. Mozambique has reported 602 deaths, "
                     "and 59 people have died in Malawi.", publisher="Two", published=T.replace(hour=14)),
    ]
    alone = analyze_articles(articles[:1], CAT).claims
    assert [(c.attribute, c.area) for c in alone] == [("death_toll", "zimbabwe")]
    both = analyze_articles(articles, CAT).claims
    assert {c.attribute for c in both} == {"death_toll.zimbabwe", "death_toll.mozambique", "death_toll.malawi"}


CLAIM_COLUMNS = ("claim_id", "article_id", "event_id", "attribute", "kind", "unit", "value_low", "value_high",
                 "hedge", "value_text", "scope", "as_of", "source_entity", "quote", "quote_start", "quote_end",
                 "sentence", "confidence", "area", "area_place", "event_part")


def store(con: duckdb.DuckDBPyConnection, claims: list[Claim]) -> None:
    for c in dict.fromkeys(c.article_id for c in claims):
        db.run(con, "ingest/upsert_article", {
            "article_id": c, "url": f"https://news.example.org/{c}", "canonical_url": f"https://news.example.org/{c}",
            "feed_name": "test", "publisher": f"Outlet {c}", "title": None, "author": None, "published": T,
            "language": "en", "text": "t", "content_hash": c, "raw_html_gz": None, "fetched_at": T,
            "encoding": "utf-8", "ingest_note": None})
    frame = pd.DataFrame([[getattr(c, k) for k in CLAIM_COLUMNS] for c in claims], columns=list(CLAIM_COLUMNS))
    frame["extracted_at"] = T
    with db.registered(con, {"new_claims": frame.astype({"as_of": "object"})}):
        con.execute("INSERT INTO claims BY NAME SELECT * REPLACE (CAST(as_of AS DATE) AS as_of) FROM new_claims")


def stored_scopes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in con.execute("SELECT claim_id, attribute, scope FROM claims").fetchall()}


def contradictions(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    return set(con.execute("SELECT attribute, claim_a, claim_b FROM contradictions").fetchall())


def detection(con: duckdb.DuckDBPyConnection, settings: Settings, full: bool = False) -> dict:
    """A detection run with its contradictions published, as the flow does."""
    counts = detect_stored(con, CAT, Rules(), full=full)
    gate(con, settings, "test-run", tables=["contradictions"], catalog=CAT)
    return counts


def expected(claims: list[Claim]) -> set[tuple[str, str, str]]:
    sources = {c.article_id: source_key(f"Outlet {c.article_id}", c.article_id) for c in claims}
    return {(x.attribute, x.claim_a, x.claim_b) for x in detect(revise_claims(claims, CAT), CAT, sources)}


def test_the_store_rescopes_earlier_claims_when_a_later_batch_names_another_area(tmp_path):
    first = [claim("z1", "a1", 139, "zimbabwe", hour=9), claim("w1", "a2", 300, hour=10),
             claim("z2", "a3", 150, "zimbabwe", hour=11)]
    later = [claim("m1", "a4", 602, "mozambique", "death_toll.mozambique", "subset", hour=13)]
    settings = Settings(home=tmp_path / "stream")
    with db.session(settings.database) as con:
        store(con, first)
        detection(con, settings)
        assert stored_scopes(con)["z1"] == ("death_toll", "whole")
        assert any("z1" in (a, b) for _, a, b in contradictions(con))  # alone, Zimbabwe's count is the toll
        store(con, later)
        counts = detection(con, settings)
        assert counts["rescoped"] == 2
        assert stored_scopes(con)["z1"] == stored_scopes(con)["z2"] == ("death_toll.zimbabwe", "subset")
        assert not any("z1" in (a, b) for _, a, b in contradictions(con))  # the toll's group lost it
        assert detection(con, settings)["groups"] == 0  # nothing new: nothing read or rescoped
        stream = stored_scopes(con)
        # the other area's report is gone (a new version of its article): Zimbabwe's counts are the toll again
        db.run(con, "claims/mark_article_groups", ["a4"])
        con.execute("DELETE FROM claims WHERE article_id = 'a4'")
        assert detection(con, settings)["rescoped"] == 2
        assert stored_scopes(con)["z1"] == ("death_toll", "whole")
    full = Settings(home=tmp_path / "full")
    with db.session(full.database) as con:
        store(con, first + later)
        detection(con, full, full=True)
        assert stored_scopes(con) == stream
        assert contradictions(con) == expected(first + later)


def test_a_stored_claim_keeps_its_area_through_extraction_batches(tmp_path):
    from pipelines.extract_batches import ArticleResult, read_batch_file, write_batch_file

    c = replace(claim("z1", "a1", 139, "zimbabwe"), event_id=None, published=None)
    result = ArticleResult(article_id="a1", content_hash="h", published=None, claims=[c], entities=[], aliases=[])
    back = read_batch_file(write_batch_file([result], tmp_path / "batch.parquet"))[0].claims[0]
    assert (back.area, back.area_place) == (c.area, c.area_place)


def test_a_name_of_several_places_is_the_one_in_another_of_the_events_areas():
    # one report read "Lee County" alone as Alabama's; the event's others name Florida and its counties
    alabama = replace(claim("l1", "a1", 35, "lee-county", "death_toll.lee-county", "subset"),
                      area_place=place_text(Place(2, "US", None, "US-AL")))
    florida = replace(claim("l2", "a2", 54, "lee-county", "death_toll.lee-county", "subset"),
                      area_place=place_text(Place(2, "US", None, "US-FL")))
    claims = [alabama, florida, claim("f", "a3", 100, "florida")]
    # read as Alabama's, Lee County would lie apart from Florida and make Florida's count a part
    assert by_id(revise_claims(claims, CAT))["f"] == ("death_toll", "whole")
    assert by_id(revise_claims(list(reversed(claims)), CAT))["f"] == ("death_toll", "whole")
    with_georgia = [*claims, claim("g", "a4", 4, "georgia")]
    assert by_id(revise_claims(with_georgia, CAT))["f"] == ("death_toll.florida", "subset")
