from datetime import UTC, datetime

from pipelines.clean import clean_html, parse_datetime

PARAGRAPHS = [
    "Engineers from the river authority reopened the northern sluice gate on Friday morning after "
    "a week of repairs, letting about 300 cubic metres of water a second through the channel.",
    "The authority said in a short statement that inspections found no further damage to the "
    "concrete sill, although divers would return next month to check the upstream apron.",
    "Farmers downstream had complained that the closure left irrigation ditches dry during the "
    "hottest days of the season, and several of them met the engineers at the gate on Friday.",
]


def page(head: str = "", lang: str = ' lang="en-GB"', title: str = "Sluice gate reopens after repairs") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!DOCTYPE html><html{lang}><head><title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/rivers'>Rivers</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Subscribe to our newsletter for more river news.</footer></body></html>"
    )


def test_extracts_text_and_metadata() -> None:
    head = (
        '<meta property="og:site_name" content="Valley Courier">'
        '<meta name="author" content="Mira Holt">'
        '<meta property="article:published_time" content="2026-04-17T08:45:00+02:00">'
    )
    result = clean_html(page(head), url="https://courier.example/rivers/sluice.html")
    assert result.title == "Sluice gate reopens after repairs"
    assert result.author == "Mira Holt"
    assert result.sitename == "Valley Courier"
    assert result.language == "en"
    assert result.published == datetime(2026, 4, 17, 6, 45, tzinfo=UTC)
    for paragraph in PARAGRAPHS:
        assert paragraph in result.text
    # Boilerplate and the repeated headline are not part of the article text.
    assert "newsletter" not in result.text
    assert "Home" not in result.text
    assert not result.text.startswith("Sluice gate")


def test_missing_metadata_is_none() -> None:
    result = clean_html(page(lang=""))
    assert result.language is None
    assert result.author is None
    assert result.published is None
    assert PARAGRAPHS[1] in result.text


def test_content_language_meta_is_used() -> None:
    head = '<meta http-equiv="Content-Language" content="de-AT">'
    assert clean_html(page(head, lang="")).language == "de"


def test_page_without_an_article_gives_little_or_no_text() -> None:
    assert clean_html("").text == ""
    assert clean_html("not html at all <<<").title is None
    assert len(clean_html("<html><body><nav>Home</nav></body></html>").text) < 10


def test_parse_datetime() -> None:
    assert parse_datetime("2026-01-02") == datetime(2026, 1, 2, tzinfo=UTC)
    assert parse_datetime("2026-01-02T03:04:05+0100") == datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)
    assert parse_datetime("yesterday") is None
    assert parse_datetime(None) is None


def test_host_is_not_taken_for_a_site_name() -> None:
    assert clean_html(page(), url="https://www.courier.example/a.html").sitename is None
    head = '<meta property="og:site_name" content="Valley Courier">'
    assert clean_html(page(head), url="https://www.courier.example/a.html").sitename == "Valley Courier"
