"""An event index that loads stored events on demand assigns every report to the event an index
holding every stored event assigns it to, while reading only the events a batch may match."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import db
from pipelines.claims.catalog import load_catalog
from pipelines.events import Event, EventIndex
from pipelines.extract_batches import ArticleResult
from pipelines.extract_store import known_events, load_candidate_events
from pipelines.models import Claim, EventHint

CAT = load_catalog()
PLACES = ["turkey", "ukraine", "myanmar", "thailand", "nepal", "mandalay", "kerr-county", None]
SESSIONS = [None] * 8 + ["one_on_one", "part:2"]


def _hints(rng: random.Random, n: int, tag: str) -> list[tuple[EventHint, str]]:
    stories = sorted(CAT.stories)
    out = []
    for i in range(n):
        when = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700)) if rng.random() < 0.9 else None
        out.append((EventHint(
            story_type=rng.choice(stories), occurrence_date=when, location=rng.choice(PLACES),
            round_ordinal=rng.choice([None, None, None, 1, 2, 3]), recalled=rng.random() < 0.1,
            reference_date=when, date_precision=rng.choice(["day"] * 6 + ["monthday", "month", "year"]),
            places=frozenset(rng.sample([p for p in PLACES if p], 2)), session=rng.choice(SESSIONS)), f"{tag}{i}"))
    return out


def _store(con: duckdb.DuckDBPyConnection, events: list[Event], created: datetime) -> None:
    """Store events as the extraction writer does (sql/claims/insert_batch_events.sql)."""
    frame = pd.DataFrame.from_records(
        [(e.event_id, e.story_type, e.label, e.occurrence_date, e.location, e.round_ordinal,
          created + timedelta(seconds=i // 3), e.session) for i, e in enumerate(events)],  # some share a time
        columns=["event_id", "story_type", "label", "occurrence_date", "location", "round_ordinal",
                 "created_at", "session"])
    con.register("batch_events", frame)
    try:
        db.run(con, "claims/insert_batch_events")
    finally:
        con.unregister("batch_events")


def _load(con: duckdb.DuckDBPyConnection, index: EventIndex, batch: list[tuple[EventHint, str]]) -> int:
    results = [ArticleResult(article_id, "hash", None, claims=[Claim(
        claim_id=f"c-{article_id}", article_id=article_id, attribute="death_toll", kind="cumulative",
        unit="people", value_low=1.0, value_high=1.0, hedge="exact", value_text="1", scope="whole", as_of=None,
        quote="", quote_start=0, quote_end=0, sentence="", hint=hint)]) for hint, article_id in batch]
    return load_candidate_events(con, index, results)


def test_a_lazy_index_assigns_a_generated_stream_as_the_whole_list_does(tmp_path: Path):
    rng = random.Random(5)
    with db.session(tmp_path / "nw.duckdb") as con:
        # a store of earlier runs' events, several runs apart
        for run in range(3):
            earlier = EventIndex(CAT, known_events(con))
            for hint, article_id in _hints(rng, 900, f"r{run}-"):
                earlier.assign(hint, article_id)
            _store(con, earlier.new, datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=run))
        stored = len(known_events(con))
        assert stored > 500
        whole, lazy = EventIndex(CAT, known_events(con)), EventIndex(CAT, lazy=True)
        stream = _hints(rng, 1200, "new-")
        loaded = []
        for start in range(0, len(stream), 40):
            batch = stream[start:start + 40]
            loaded.append(_load(con, lazy, batch))
            for hint, article_id in batch:
                assert lazy.candidates(hint) == whole.candidates(hint), hint
                assert lazy.assign(hint, article_id) == whole.assign(hint, article_id), hint
            assert lazy.new == whole.new
            # the batch's new events are stored, as store_batch stores them; a later load skips them
            _store(con, lazy.new, datetime(2025, 2, 1, tzinfo=UTC) + timedelta(minutes=start))
            lazy.new.clear()
            whole.new.clear()
        assert lazy.created == whole.created > 0
        assert loaded[0] < stored  # the first batch needed part of the store, not all of it


def test_a_lazy_index_reads_the_weeks_of_a_batch_of_dated_reports(tmp_path: Path):
    with db.session(tmp_path / "nw.duckdb") as con:
        earlier = EventIndex(CAT)
        for k in range(300):  # one quake a week for six years, and talks every other day
            earlier.assign(EventHint("earthquake", date(2019, 1, 1) + timedelta(days=7 * k), "turkey"), f"q{k}")
            earlier.assign(EventHint("negotiation", date(2019, 1, 1) + timedelta(days=2 * k), "ukraine"), f"t{k}")
        _store(con, earlier.new, datetime(2025, 1, 1, tzinfo=UTC))
        lazy = EventIndex(CAT, lazy=True)
        batch = [(EventHint("earthquake", date(2021, 6, 1), "turkey"), "a1"),
                 (EventHint("negotiation", date(2020, 3, 3), "ukraine"), "a2")]
        loaded = _load(con, lazy, batch)
        window = CAT.stories["earthquake"].window_days
        assert 0 < loaded <= 2 * (window // 7 + 3) + 3
        whole = EventIndex(CAT, known_events(con))
        assert [lazy.assign(h, a) for h, a in batch] == [whole.assign(h, a) for h, a in batch]
        assert _load(con, lazy, batch) == 0  # asked once


def test_a_report_read_again_finds_the_undated_event_it_started(tmp_path: Path):
    # "on 16 May" in a year no one gives: the event keeps no date and is named by its first article
    hint = EventHint("negotiation", date(2025, 5, 16), "turkey", date_precision="monthday")
    with db.session(tmp_path / "nw.duckdb") as con:
        first = EventIndex(CAT)
        started = first.assign(hint, "a1")
        assert started.occurrence_date is None
        _store(con, first.new, datetime(2025, 1, 1, tzinfo=UTC))
        lazy = EventIndex(CAT, lazy=True)
        _load(con, lazy, [(hint, "a1")])
        assert lazy.assign(hint, "a1") == started and lazy.new == []


def test_a_lazy_index_reads_the_stored_events_of_a_story_told_with_the_reports(tmp_path: Path):
    # a stored bombing is the occurrence of a later report of a blast (catalog ``also``)
    leeds = frozenset({"leeds", "united-kingdom"})
    with db.session(tmp_path / "nw.duckdb") as con:
        earlier = EventIndex(CAT)
        bombing = earlier.assign(EventHint("attack", date(2024, 3, 4), "united-kingdom", places=leeds), "a1")
        _store(con, earlier.new, datetime(2025, 1, 1, tzinfo=UTC))
        lazy = EventIndex(CAT, lazy=True)
        blast = (EventHint("fire", date(2024, 3, 5), "leeds", places=leeds), "a2")
        assert _load(con, lazy, [blast]) == 1
        assert lazy.assign(*blast).event_id == bombing.event_id and lazy.new == []


def test_a_lazy_index_joins_a_truce_told_on_several_days_as_the_whole_list_does(tmp_path: Path):
    # a truce agreed on Wednesday, begun on Friday and ended on Monday, after stored talks nearby
    places = frozenset({"oslo", "chile", "peru"})
    days = [date(2024, 3, 6), date(2024, 3, 8), date(2024, 3, 11)]
    claims = [Claim(claim_id=f"c{i}", article_id=f"a{i}", attribute="ceasefire.duration_days", kind="fixed",
                    unit="days", value_low=4.0, value_high=4.0, hedge="exact", value_text="four-day", scope="whole",
                    as_of=None, quote="", quote_start=0, quote_end=0, sentence="",
                    hint=EventHint("negotiation", day, "chile", reference_date=day, places=places))
              for i, day in enumerate(days)]
    with db.session(tmp_path / "nw.duckdb") as con:
        earlier = EventIndex(CAT)
        for k in range(10):
            earlier.assign(EventHint("negotiation", date(2024, 3, 1) + timedelta(days=k), "chile", places=places), f"t{k}")
        _store(con, earlier.new, datetime(2025, 1, 1, tzinfo=UTC))
        lazy, whole = EventIndex(CAT, lazy=True), EventIndex(CAT, known_events(con))
        for claim in claims:
            load_candidate_events(con, lazy, [ArticleResult(claim.article_id, "hash", None, claims=[claim])])
            assert lazy.assign_claims([claim]) == whole.assign_claims([claim])
        assert len({c.event_id for c in whole.assign_claims(claims)}) == 1
