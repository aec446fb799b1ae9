"""Near-duplicate syndicated copies and silent edits between article versions (pure parts)."""

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
