"""Low-level number readers: digits, separators, suffixes, number words."""

from __future__ import annotations

import pytest

from pipelines.claims.numbers import parse_digits, parse_number, read_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000", 1000),
        ("1 000", 1000),
        ("1\u00a0000", 1000),
        ("1\u2009000", 1000),
        ("1\u202f000", 1000),
        ("12,345,678", 12345678),
        ("1.5", 1.5),
        ("7.7", 7.7),
        ("0.25", 0.25),
        ("1k", 1000),
        ("2.5m", 2_500_000),
        ("3bn", 3_000_000_000),
        ("1½", 1.5),
        ("2.5 million", 2_500_000),
        ("1.2 billion", 1_200_000_000),
        ("3 thousand", 3000),
        ("4 bn", 4_000_000_000),
        ("one", 1),
        ("two", 2),
        ("twenty-four", 24),
        ("twenty four", 24),
        ("a thousand", 1000),
        ("one thousand", 1000),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("a thousand and one", 1001),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("half a million", 500_000),
        ("one and a half", 1.5),
        ("two and a half million", 2_500_000),
        ("twenty-four thousand", 24_000),
        ("Forty-Five", 45),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["", "hello", "dozens", "one two", "half an", "an", "1,000 000", "1,0000 people", "third", "first"],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "suffix"),
    [("50m", "m"), ("3bn", "bn"), ("1K", "k"), ("1,000", None)],
)
def test_parse_digits_reports_suffix(text: str, suffix: str | None) -> None:
    got = parse_digits(text)
    assert got is not None and got[1] == suffix


@pytest.mark.parametrize(
    ("words", "value", "consumed", "needs_unit"),
    [
        (["an", "hour"], 1, 1, True),
        (["half", "an", "hour"], 0.5, 2, True),
        (["three", "quarters", "of", "an", "hour"], 0.75, 4, True),
        (["a", "quarter", "of", "an", "hour"], 0.25, 4, True),
        (["two", "hundred", "and", "three", "hundred"], 203, 4, False),
        (["two", "hours"], 2, 1, False),
    ],
)
def test_read_words_prefix(words: list[str], value: float, consumed: int, needs_unit: bool) -> None:
    got = read_words(words)
    assert got is not None
    assert got[0] == pytest.approx(value)
    assert got[1:] == (consumed, needs_unit)


def test_read_words_bare_fraction_is_not_a_number() -> None:
    # "half of the prisoners": a share, not a figure.
    assert read_words(["half", "of", "the"]) is None
