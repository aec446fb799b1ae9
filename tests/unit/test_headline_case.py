"""Title-case headlines parsed in sentence case, with names kept and the original words restored;
the page's headline read as its own sentence, summed up by its body. Sentences are our own."""

from datetime import UTC, datetime

from pipelines.claims.casing import in_headline, parse_input, sentence_cased, title_case, with_words
from pipelines.claims.catalog import load_catalog
from pipelines.claims.context import build_context
from pipelines.claims.extract import extract_claims
from pipelines.claims.nlp import parse
from pipelines.models import ArticleInput, Claim

PUBLISHED = datetime(2024, 2, 8, 9, tzinfo=UTC)


def claims_of(text: str, title: str | None = None) -> list[Claim]:
    return extract_claims(ArticleInput("headline-test", text, title=title, published=PUBLISHED), load_catalog())


def test_common_words_of_a_title_case_headline_are_lower_cased_and_its_length_kept():
    line = "Death Toll Rises To 275 As Rescuers Search Rubble"
    cased = sentence_cased(line)
    assert cased == "Death toll rises to 275 as rescuers search rubble"
    assert len(cased) == len(line)


def test_places_parties_people_months_and_peoples_keep_their_capitals():
    assert sentence_cased("Turkey Quake: Thousands Killed") == "Turkey quake: thousands killed"
    assert sentence_cased("Russia And Ukraine Swap 230 Prisoners Of War") == "Russia and Ukraine swap 230 prisoners of war"
    assert sentence_cased("Putin And Erdogan Meet For Three Hours") == "Putin and Erdogan meet for three hours"
    assert sentence_cased("Ukrainian And Korean Crews Search Sunken Ferry") == "Ukrainian and Korean crews search sunken ferry"
    assert sentence_cased("Toll Rises On Monday, 12 May") == "Toll rises on Monday, 12 May"
    # a month that is also a common word is a month only next to a number
    assert sentence_cased("Death Toll May Rise Further") == "Death toll may rise further"


def test_a_word_no_dictionary_knows_stays_a_name_and_the_article_decides_the_others():
    assert sentence_cased("Typhoon Halvani Death Toll Nears 300") == "Typhoon Halvani death toll nears 300"
    # a small town named like a common word is no name, unless the article writes it as one
    assert sentence_cased("Summit Ends After Two Hours") == "Summit ends after two hours"
    text = "Leaders Met In Harbour For Two Hours\nThe talks in Harbour, the port city, ended at noon."
    assert sentence_cased(text).splitlines()[0] == "Leaders met in Harbour for two hours"


def test_sentence_case_lines_are_left_alone():
    line = "Death toll from the earthquake in the north tops 650"
    assert not title_case(line)
    assert sentence_cased(line) == line


def test_the_parse_of_the_sentence_cased_text_is_put_back_on_the_original_words():
    text = "Death Toll Rises To 275 As Rescuers Search Rubble\n\nThe toll rose again on Friday."
    doc = with_words(parse(sentence_cased(text)), text)
    assert doc.text == text
    words = {t.text: t for t in doc}
    assert words["Toll"].pos_ == "NOUN" and words["Rises"].pos_ == "VERB"
    assert words["275"].head.text == "To"


def test_only_the_pages_headline_is_a_headline_not_a_subheading_below_the_prose():
    text = ("World News\nDeath Toll Rises To 275 As Rescuers Search Rubble\n"
            "Rescuers searched the rubble of the collapsed buildings through the night, officials said on Friday.\n"
            "Families Wait For News Of 40 Missing\n")
    assert in_headline(text, text.index("275"))
    assert not in_headline(text, text.index("40"))


def test_a_sentence_starts_after_the_headline_and_its_lead_keeps_its_first_words():
    text = ("Leaders Meet In Geneva For One And A Half Hours\n"
            "Presidents Anna Berg and Tomas Lind had their first summit in Geneva, spending one and a half hours "
            "plus a working lunch in talks.")
    given = parse_input(text)
    assert given.starts == {text.index("Presidents")}
    doc = with_words(parse(given.text, given.starts), text)
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Leaders Meet In Geneva For One And A Half Hours"
    assert sentences[1].startswith("Presidents Anna Berg and Tomas Lind had")


def test_a_title_case_headlines_figure_is_read_with_its_exact_quote_and_position():
    text = ("Quake Death Toll Rises To 275 As Rescuers Search Rubble\n\n"
            "Rescue teams dug through collapsed homes in the mountain villages on Thursday.")
    toll = [c for c in claims_of(text) if c.attribute == "death_toll"]
    assert len(toll) == 1
    assert (toll[0].value_low, toll[0].value_high) == (275, 275)
    assert toll[0].quote == "Quake Death Toll Rises To 275 As Rescuers Search Rubble"
    assert text[toll[0].quote_start:toll[0].quote_end] == toll[0].quote
    assert "position.headline" in toll[0].confidence_reasons


def test_a_headline_figure_the_body_restates_is_one_claim():
    text = ("Midair Collision Over Lake Kills 71\n\n"
            "Two aircraft collided over the lake late on Monday, killing at least 71 people, the police said.")
    toll = [c for c in claims_of(text) if c.attribute == "death_toll"]
    assert len(toll) == 1, toll


def test_a_vague_count_on_the_headline_is_no_figure():
    text = ("Hundreds Still Missing After Ferry Sinks Off Coast\n\n"
            "The ferry sank off the coast on Wednesday; 290 passengers were still missing at midnight, "
            "the coast guard said.")
    missing = [c for c in claims_of(text) if c.attribute == "missing"]
    assert [(c.value_low, c.value_high) for c in missing] == [(290, 290)]


def test_a_headline_count_twice_the_bodys_per_side_figure_is_the_swaps_total():
    text = ("Russia, Ukraine Swap 230 Prisoners After Mediation\n"
            "The Russian Defence Ministry said on Saturday it had secured the release of 115 soldiers "
            "in exchange for 115 Ukrainian prisoners of war.")
    attributes = {c.attribute: c.value_low for c in claims_of(text)}
    assert attributes.get("prisoner_exchange.total") == 230


def test_the_title_is_parsed_in_sentence_case_with_its_places():
    article = ArticleInput("title-test", "Rescuers searched the rubble in Hatay on Tuesday.",
                           title="Turkey Quake Death Toll Rises To 3,000", published=PUBLISHED)
    ctx = build_context(article, load_catalog())
    assert ctx.article.title == "Turkey Quake Death Toll Rises To 3,000"
    assert ctx.doc.text == article.text
    assert "turkey" in {ctx.resolver.resolve(e.text, "place").entity_id for e in ctx.doc.ents
                        if e.label_ == "GPE"} | ctx.main_places


def test_a_participles_length_is_the_length_of_what_its_verb_holds():
    text = "The two presidents held their first summit in Geneva on Monday, spending 90 minutes together with aides."
    lengths = [c for c in claims_of(text) if c.attribute == "talks.duration_minutes"]
    assert [(c.value_low, c.value_high) for c in lengths] == [(90, 90)]


def test_an_obituarys_headline_age_is_no_toll():
    text = ("Veteran Broadcaster Dies At 92\n\n"
            "The broadcaster, who presented the evening news for thirty years, died at home on Monday.")
    assert [c for c in claims_of(text) if c.attribute.startswith("death_toll")] == []


def test_a_matchs_length_is_no_meetings_even_when_it_names_a_round():
    text = ("The longest match of the tournament was a six-hour, ten-minute first-round match between "
            "the two qualifiers, the organisers said after the talks on the schedule.")
    assert [c for c in claims_of(text) if c.attribute == "talks.duration_minutes"] == []


def test_a_sport_report_tells_no_negotiation_even_when_it_speaks_of_rounds_and_talks():
    text = ("The champion reached the final after a five-hour semifinal match that went to a fifth-set tiebreak. "
            "In the second round she beat the top seed, and talks with the tournament about the schedule "
            "lasted two hours on Friday. The league title match is on Sunday.")
    assert [c for c in claims_of(text) if c.attribute == "talks.duration_minutes"] == []


def test_each_figure_of_a_headline_list_keeps_its_own_state():
    # "14 dead" is the subject's words, not what the list says of the 120 after it
    title = "Mall Collapse: 14 Dead, 120 Unaccounted For, Search And Recovery Continues"
    body = "Rescuers pulled two more bodies from the fallen mall on Tuesday, bringing the confirmed dead to 14."
    found = {(c.attribute, c.value_low) for c in claims_of(f"{title}\n\n{body}", title) if c.sentence.startswith(title)}
    assert found == {("death_toll", 14), ("missing", 120)}
    title = "Quake Toll: 40 Dead, 300 Injured, 25 Missing"
    body = "The earthquake struck the coast on Friday, officials said."
    found = {(c.attribute, c.value_low) for c in claims_of(f"{title}\n\n{body}", title)}
    assert found == {("death_toll", 40), ("injured", 300), ("missing", 25)}
