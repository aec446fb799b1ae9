"""`newswatch analyze` over a folder where bad article files sit among good ones: each bad file is
skipped with its name and reason, the rest are analysed, predictions are written, the exit is 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.analyze import ArticleFileError, load_article_file, read_articles
from pipelines.demo.corpus import load_corpus

BAD = {
    "empty.json": b"",
    "invalid.json": b'{"id": "x", "text": "unterminated',
    "binary.json": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
    "text-number.json": json.dumps({"id": "t", "text": 12345}).encode(),
    "html-number.json": json.dumps({"id": "h", "html": 5}).encode(),
    "deep.json": b'{"id": "d", "text": "x", "extra": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "id-null.json": json.dumps({"id": None, "text": "Some text."}).encode(),
    "bad-date.json": json.dumps({"id": "p", "text": "Some text.", "published": "last Tuesday-ish"}).encode(),
    "a-list.json": b'["not", "an", "article"]',
    "no-content.json": json.dumps({"id": "n", "title": "Only a title"}).encode(),
}
REASONS = {
    "empty.json": "empty file",
    "invalid.json": "not valid JSON",
    "binary.json": "not UTF-8 text",
    "text-number.json": "text: Input should be a valid string",
    "html-number.json": "html: Input should be a valid string",
    "deep.json": "nested too deeply",
    "id-null.json": "id",
    "bad-date.json": "published: Value error, not an ISO 8601 date or timestamp",
    "a-list.json": "must be a JSON object",
    "no-content.json": "needs 'text' or 'html'",
}


def good_articles(folder: Path) -> list[str]:
    """Two demo articles (ours) as article files: one with text, one with HTML."""
    corpus = [a for a in load_corpus() if a.slug in ("northern-wire-istanbul-talks", "meridian-post-istanbul-outcome")]
    first, second = corpus
    (folder / "a-text.json").write_text(json.dumps({
        "id": first.slug, "text": "\n\n".join(first.paragraphs), "title": first.title,
        "publisher": first.publisher, "published": first.published.isoformat()}))
    html = f"<html lang='en'><body><article><h1>{second.title}</h1>" + "".join(
        f"<p>{p}</p>" for p in second.paragraphs) + "</article></body></html>"
    (folder / "b-html.json").write_text(json.dumps({
        "id": second.slug, "html": html, "publisher": second.publisher, "published": second.published.isoformat()}))
    return [first.slug, second.slug]


def test_bad_files_are_skipped_with_name_and_reason_and_the_rest_is_analysed(tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    slugs = good_articles(folder)
    for name, content in BAD.items():
        (folder / name).write_bytes(content)
    out = tmp_path / "predictions.json"

    assert cli.main(["analyze", "--articles", str(folder), "--out", str(out)]) == 1

    predictions = json.loads(out.read_text())
    assert {c["article"] for c in predictions["claims"]} == set(slugs)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(BAD) + 1, err
    for name, reason in REASONS.items():
        (line,) = [x for x in err if x.startswith(f"skipped {folder / name}: ")]
        assert reason in line, line
    assert err[-1] == f"newswatch analyze: error: {len(BAD)} of {len(BAD) + 2} article files skipped (listed above)"
    assert not any("Traceback" in x for x in err)


def test_a_clean_folder_exits_zero(tmp_path, capsys):
    good_articles(tmp_path)
    assert cli.main(["analyze", "--articles", str(tmp_path), "--out", str(tmp_path / "p.json")]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("field", "value"), [("title", "t" * 3000), ("publisher", "p" * 600), ("id", "i" * 600)])
def test_field_lengths_are_bounded(tmp_path, field, value):
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"id": "x", "text": "Some text.", field: value}))
    with pytest.raises(ArticleFileError, match=field):
        load_article_file(path)


def test_text_and_html_are_cut_to_what_extraction_reads(tmp_path):
    from pipelines.analyze import MAX_TEXT_CHARS

    (tmp_path / "huge.json").write_text(json.dumps({"id": 7, "text": "word " * 100_000,
                                                    "published": "2025-05-16"}))
    (article,), skipped = read_articles(tmp_path).articles, read_articles(tmp_path).skipped
    assert skipped == [] and article.article_id == "7" and len(article.text) == MAX_TEXT_CHARS
    assert article.published is not None and article.published.tzinfo is not None
