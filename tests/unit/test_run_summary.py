"""What a DAG run shows in Airflow: whether it updates the articles asset, the event's extra, its note."""

from __future__ import annotations

from pipelines.run_summary import asset_extra, merge_results, run_note, stored_something


def ingest(**counts):
    return {"stage": "ingest", "counts": {"feeds_polled": 2, "not_modified": 1, "articles_stored": 0,
                                          "articles_revised": 0, "copies_linked": 0, "elapsed_s": 1.25, **counts}}


def test_only_new_articles_versions_or_copies_update_the_asset():
    assert not stored_something(ingest())
    assert not stored_something(ingest(entries_new=3, pages_failed=3))  # entries whose pages all failed
    assert stored_something(ingest(articles_stored=1))
    assert stored_something(ingest(articles_revised=1))
    assert stored_something(ingest(copies_linked=1))
    assert not stored_something(None)


def test_asset_extra_keeps_the_counts_without_timings():
    extra = asset_extra({"poll_and_store": ingest(articles_stored=4)})
    assert extra == {"ingest": {"feeds_polled": 2, "not_modified": 1, "articles_stored": 4,
                                "articles_revised": 0, "copies_linked": 0}}


def test_note_has_one_line_per_stage_with_the_counts_that_matter():
    note = run_note({
        "poll_and_store": ingest(articles_stored=4),
        "announce_articles": None,  # skipped or returned nothing
        "detect_contradictions": {"stage": "detect", "counts": {"claims": 12, "conflict": 2, "update": 0,
                                                                 "revision": 0, "elapsed_s": 0.4}},
    })
    assert note.splitlines() == [
        "- **ingest** (1.2 s): feeds polled 2, not modified 1, articles stored 4",
        "- **detect** (0.4 s): claims 12, conflict 2",
    ]
    assert "articles stored 0" in run_note({"poll_and_store": ingest()})  # zero shown where it matters
    assert run_note({}) == "No stage reported counts."


def test_mapped_task_instances_add_up_to_one_line():
    merged = merge_results([
        ("extract_claims", {"stage": "extract", "counts": {"articles": 3, "claims": 7, "elapsed_s": 2.0}}),
        ("extract_claims", {"stage": "extract", "counts": {"articles": 2, "claims": 1, "elapsed_s": 3.5}}),
        ("other", "not counts"),
    ])
    assert merged == {"extract_claims": {"stage": "extract", "counts": {"articles": 5, "claims": 8, "elapsed_s": 3.5}}}
