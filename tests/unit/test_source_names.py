"""Who a figure is attributed to, as stored in claims.source_entity: a named source's entity id (its
name comes from the gazetteer), an unnamed one in the article's own words, nothing for a pronoun."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.claims.catalog import load_catalog
from pipelines.claims.entities import Resolver
from pipelines.claims.extract import extract_article
from pipelines.models import ArticleInput
from pipelines.settings import Settings

# Sentences written for this test.
CASES = [
    ("Russia and Ukraine agreed on Friday to swap 1,000 prisoners each, a Turkish foreign ministry "
     "official said after the talks in Istanbul.", "a Turkish foreign ministry official"),
    ("The talks in Istanbul lasted about two hours, officials familiar with the negotiations said.", "officials"),
    ("The exchange will cover 500 prisoners from each side, a diplomat briefed on the largest single "
     "swap of the war said.", "a diplomat"),
    ("The exchange agreed in Istanbul will cover 500 prisoners from each side, he said.", None),
    ("Delegations met in Istanbul on Friday. The sides will exchange 1,000 prisoners each, according to "
     "Vladimir Medinsky.", "vladimir-medinsky"),
]


@pytest.mark.parametrize(("text", "source"), CASES, ids=[c[1] or "pronoun" for c in CASES])
def test_source_is_a_name_or_a_clean_description(text, source):
    article = ArticleInput(article_id="a", text=text, title="Russia and Ukraine talks in Istanbul", publisher="X",
                           url="https://x.example/a", published=datetime(2025, 5, 16, 15, tzinfo=UTC))
    claims = extract_article(article, load_catalog(Settings().catalog), Resolver()).claims
    assert claims, text
    assert {c.source_entity for c in claims} == {source}
