"""Large inputs are bounded before the expensive step: a long text is parsed in pieces that join
into the same Doc text and offsets, and a huge page is cut (scripts first) before cleaning.
Peak memory itself is measured by benchmarks/bench_memory.py."""

from __future__ import annotations

from pipelines.claims.nlp import PARSE_CHUNK_CHARS, parse
from pipelines.clean import MAX_HTML_CHARS, bounded_html, clean_html

PARAGRAPH = ("Negotiators met for 90 minutes on Friday. Each side agreed to free 1,000 prisoners, "
             "officials said, and a second meeting was planned.")


def test_a_long_text_is_parsed_in_pieces_with_the_same_text_offsets_and_sentences():
    text = "\n\n".join(f"{PARAGRAPH} Round {i}." for i in range(PARSE_CHUNK_CHARS // len(PARAGRAPH) + 40))
    assert len(text) > PARSE_CHUNK_CHARS
    doc = parse(text)
    assert doc.text == text
    figures = [t for t in doc if t.text == "1,000"]
    assert len(figures) == text.count("1,000")
    assert all(text[t.idx:t.idx + 5] == "1,000" for t in figures)  # offsets index the original text
    assert all(t.has_dep() for t in figures)  # every piece was fully parsed
    # no sentence straddles two pieces: each starts at a word
    assert all(not s.text[:1].isspace() for s in doc.sents)


def test_a_short_text_is_parsed_whole():
    assert parse(PARAGRAPH).text == PARAGRAPH


def test_a_huge_page_loses_its_scripts_and_is_cut_before_cleaning():
    script = "<script>var x = '" + "s" * 1_000 + "';</script>"
    body = "".join(f"<p>{PARAGRAPH}</p>{script}" for _ in range(MAX_HTML_CHARS // 1000))
    html = f"<html lang='en'><body><article>{body}</article></body></html>"
    bounded = bounded_html(html)
    assert "<script" not in bounded and len(bounded) <= MAX_HTML_CHARS
    assert bounded_html("<p>small</p><script>x</script>") == "<p>small</p><script>x</script>"  # untouched
    page = clean_html(html)
    assert PARAGRAPH in page.text and "sss" not in page.text
