"""Near-duplicate syndicated copies and silent edits between article versions (pure parts)."""

import pytest

from pipelines.ingest.revisions import figure_changes, figures, sentences
from pipelines.ingest.syndication import SyndicationIndex, shingles, similarity

STORY = (
    "The harbour authority said on Friday that 38 ships were waiting outside the port after a strike by "
    "crane operators entered its third day. Talks between the union and the operator resumed in the "
    "afternoon, and a mediator appointed by the labour ministry joined them for the first time. The "
    "union wants a raise of seven percent over two years, while the operator has offered four percent "
    "and a one-off bonus. Importers warned that fresh produce could start to spoil if the ships are not "
    "unloaded by the weekend, and the chamber of commerce asked both sides to accept arbitration."
)
OTHER = (
    "The city library will extend its opening hours from next month, the culture office said, after a "
    "survey found that most readers wanted to visit in the evening. The reading rooms will stay open "
    "until nine o'clock on weekdays, and a new study area for students will open on the second floor. "
    "The change costs about the same as the overtime the library already paid for special events, the "
    "office said, and no new staff will be hired. Readers can also borrow e-books through a new app."
)


def test_a_reposted_copy_with_a_credit_line_and_new_case_is_a_copy() -> None:
    copy = STORY.upper().replace(".", " .") + " Reporting by the regional wire desk."
    assert similarity(shingles(STORY), shingles(copy)) > 0.95


def test_a_trimmed_copy_is_still_a_copy_but_a_short_excerpt_is_not() -> None:
    trimmed = STORY.rsplit(". ", 1)[0] + "."
    assert similarity(shingles(STORY), shingles(trimmed)) == 1.0
    excerpt = STORY[:200]
    assert similarity(shingles(STORY), shingles(excerpt)) == 0.0  # too small relative to the story


def test_different_stories_are_not_copies() -> None:
    assert similarity(shingles(STORY), shingles(OTHER)) < 0.05


def test_index_picks_the_most_similar_stored_article_above_threshold() -> None:
    index = SyndicationIndex(threshold=0.85)
    index.add("other", OTHER)
    index.add("story", STORY)
    found = index.original_of(STORY + " Additional reporting by our correspondent.")
    assert found is not None and found[0] == "story" and found[1] > 0.9
    assert index.original_of("An unrelated short note about the weather, nothing more to add here today.") is None


def test_figures_and_sentences() -> None:
    assert figures("About 1,000 people, 12.5 percent, on 3 May") == ("1000", "12.5", "3")
    assert sentences("One. Two has 3 words! Three?\nFour.") == ["One.", "Two has 3 words!", "Three?", "Four."]


def test_a_changed_figure_is_a_silent_edit() -> None:
    old = "The strike entered its third day. Officials said 38 ships were waiting. Talks resumed."
    new = "The strike entered its third day. Officials said 41 ships were waiting. Talks resumed."
    (change,) = figure_changes(old, new)
    assert change.old_figures == ("38",) and change.new_figures == ("41",)
    assert "38 ships" in change.old_sentence and "41 ships" in change.new_sentence


def test_rewording_that_keeps_figures_and_added_sentences_are_not_silent_edits() -> None:
    old = "Officials said 38 ships were waiting. Talks resumed."
    reworded = "According to officials, 38 ships were waiting. Talks resumed."
    assert figure_changes(old, reworded) == []
    extended = old + " By evening 40 ships were waiting."
    assert figure_changes(old, extended) == []
    assert figure_changes(old, old.replace("38", "38")) == []


def _brute_force(stored: list[tuple[str, str]], text: str, threshold: float) -> tuple[str, float] | None:
    """The verdict of comparing the text with every stored one (the index must give the same)."""
    best: tuple[str, float] | None = None
    mine = shingles(text)
    for article_id, theirs in stored:
        score = similarity(mine, shingles(theirs))
        if score >= threshold and (best is None or score > best[1]):
            best = (article_id, score)
    return best


def test_index_gives_the_verdicts_of_comparing_with_every_stored_text() -> None:
    sentences_a, sentences_b = STORY.split(". "), OTHER.split(". ")
    texts = [
        STORY, OTHER,
        STORY.upper() + " Reporting by the wire desk.",         # a copy with a credit line
        ". ".join(sentences_a[:-1]) + ".",                        # a trimmed copy
        ". ".join(sentences_a[:3] + sentences_b[:3]),            # half of each: a copy of neither
        ". ".join(reversed(sentences_b)),                        # the same sentences, reordered
        STORY[:200],                                             # too short against the story
        OTHER + " " + OTHER,                                     # twice the size: too far apart
    ]
    for threshold in (0.5, 0.85, 1.0):
        index = SyndicationIndex(threshold)
        stored: list[tuple[str, str]] = []
        for i, text in enumerate(texts):
            assert index.original_of(text) == _brute_force(stored, text, threshold), (threshold, i)
            index.add(f"a{i}", text)
            stored.append((f"a{i}", text))
        assert len(index) == len(texts)


def test_index_breaks_ties_for_the_earliest_stored_and_a_re_added_text_replaces_the_old() -> None:
    index = SyndicationIndex(threshold=0.85)
    index.add("first", STORY)
    index.add("second", STORY)
    assert index.original_of(STORY) == ("first", 1.0)
    index.add("first", OTHER)  # its text changed: the story is now only in "second"
    assert index.original_of(STORY) == ("second", 1.0)
    assert index.original_of(OTHER) == ("first", 1.0)
    assert len(index) == 2


def test_index_rejects_a_threshold_that_would_call_every_text_a_copy() -> None:
    with pytest.raises(ValueError, match="threshold"):
        SyndicationIndex(threshold=0.0)
