"""Generated news for the throughput benchmark: disaster and talks reports of about 600 words.

Every sentence comes from the templates below (written for this benchmark) with places, dates and
figures drawn from a seeded random generator, so a run is repeatable and no published text is used.
Each occurrence (an earthquake in one country, a round of talks on one day) is reported by several
outlets over a few days: tolls rise from report to report (updates), and now and then an outlet
states a figure that disagrees with the others (a conflict), so detection and alerts have real work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

COUNTRIES = [
    ("Peru", "Cusco"), ("Chile", "Valparaiso"), ("Nepal", "Pokhara"), ("Indonesia", "Padang"),
    ("Philippines", "Cebu"), ("Mexico", "Oaxaca"), ("Pakistan", "Quetta"), ("Iran", "Kerman"),
    ("Greece", "Patras"), ("Italy", "Perugia"), ("Ecuador", "Cuenca"), ("Japan", "Sendai"),
    ("Kenya", "Kisumu"), ("Bangladesh", "Sylhet"), ("Vietnam", "Hue"), ("Colombia", "Cali"),
    ("Morocco", "Agadir"), ("Algeria", "Oran"), ("Guatemala", "Quetzaltenango"), ("Malawi", "Zomba"),
]
OUTLETS = ["Harbour Courier", "Evening Ledger", "Northern Wire", "Meridian Post", "Coastal Herald",
           "Daily Lantern", "Plains Gazette", "Summit Tribune", "River Times", "Capital Dispatch"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SOURCES = ["the civil protection agency", "the health ministry", "regional officials", "the interior ministry",
           "local authorities", "the national disaster agency"]

QUAKE_LEADS = [
    "A powerful earthquake struck {region} in {country} on {weekday}, and at least {deaths} people were killed, "
    "{source} said. Another {injured} people were injured.",
    "The death toll from the earthquake that hit {region}, {country}, rose to {deaths} on {weekday}, {source} said, "
    "with {injured} people injured and {missing} still missing.",
]
FLOOD_LEADS = [
    "Floods in {region}, {country}, have killed {deaths} people, {source} said on {weekday}, after days of heavy "
    "rainfall pushed rivers over their banks. At least {missing} people were missing.",
    "At least {deaths} people died in flooding across {region} in {country}, {source} said on {weekday}; "
    "{injured} people were injured and rescuers were searching for {missing} missing.",
]
TALKS_LEADS = [
    "Delegations met in {city} on {weekday} for talks that lasted about {minutes} minutes, {source} said, and "
    "agreed to exchange {prisoners} prisoners from each side.",
    "The talks in {city} ended on {weekday} after roughly {minutes} minutes, and the two delegations agreed a "
    "swap of {prisoners} prisoners per side, {source} said.",
]
# Filler prose is assembled phrase by phrase, so two reports share few five-word runs: they must
# read as separate reports, not as syndicated copies of one text.
WHO = ["Residents of {region}", "Volunteers from nearby towns", "Engineers from the public works office",
       "Aid workers", "Officials in {country}", "Shopkeepers in the old market", "Doctors at the main hospital",
       "Weather forecasters", "Teachers at a local school", "Farmers outside the city", "The mayor",
       "A spokesperson for the regional government", "Religious leaders", "Analysts in the capital",
       "Firefighters", "Students", "Taxi drivers", "Neighbouring governments", "Local journalists",
       "Police officers", "Nurses", "Church groups", "Bus drivers", "Elderly residents"]
DID = ["described", "spoke of", "warned about", "complained about", "pointed to", "asked for help with",
       "worried about", "reported", "were still dealing with", "tried to make sense of", "drew attention to",
       "kept working through", "gave interviews about", "organised help for", "said little about",
       "were busy with", "posted pictures of", "called for an inquiry into"]
WHAT = ["a long night spent outdoors", "roads blocked by debris", "shortages of clean water",
        "damaged bridges along the main road", "families sleeping in school yards", "a lack of tents",
        "power cuts in the hills", "crowded hospital corridors", "the slow arrival of heavy equipment",
        "rising prices for bread and fuel", "cracked walls in older buildings", "lost animals and crops",
        "closed schools and offices", "the fear of further damage", "missing relatives and friends",
        "queues at the few open pharmacies", "a shortage of blankets", "broken irrigation canals",
        "telephone lines that kept failing", "rumours spreading online"]
WHERE = ["in the old town", "near the river", "on the outskirts", "in the villages to the north",
         "around the central square", "along the coast road", "in the market district", "near the stadium",
         "in the hill settlements", "by the railway station", "across the valley", "in the eastern suburbs"]
WHEN = ["overnight", "through the morning", "late in the afternoon", "as darkness fell", "before dawn",
        "during the weekend", "for much of the day", "as the rain returned", "while the sirens sounded",
        "after the first aid convoys arrived"]
TALKS_WHO = ["Diplomats", "The host government", "Observers", "Families of detained soldiers", "The mediators",
             "Both delegations", "Journalists outside the venue", "Advisers to the negotiators"]


def _filler_sentence(rng: random.Random, talks: bool) -> str:
    who = rng.choice(TALKS_WHO + WHO[:6] if talks else WHO)
    return f"{who} {rng.choice(DID)} {rng.choice(WHAT)} {rng.choice(WHERE)} {rng.choice(WHEN)}."


@dataclass(frozen=True)
class GeneratedArticle:
    slug: str
    title: str
    publisher: str
    published: datetime
    paragraphs: list[str]

    def html(self) -> str:
        body = "\n".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)
        return (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(self.title)}</title>"
            f"<meta property=\"og:site_name\" content=\"{escape(self.publisher)}\">"
            f"<meta name=\"date\" content=\"{self.published.isoformat()}\"></head><body>"
            f"<nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>"
            f"<article><h1>{escape(self.title)}</h1><p class=\"byline\">By staff of {escape(self.publisher)}</p>"
            f"{body}</article><footer>All rights reserved.</footer></body></html>"
        )

    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _body(rng: random.Random, lead: str, talks: bool, fields: dict[str, object], target_words: int) -> list[str]:
    paragraphs = [lead.format(**fields)]
    while _words(paragraphs) < target_words:
        paragraphs.append(" ".join(_filler_sentence(rng, talks).format(**fields) for _ in range(4)))
    return paragraphs


def generate(n: int, seed: int = 7, target_words: int = 600) -> list[GeneratedArticle]:
    """``n`` articles in publication order: about one occurrence per eight reports."""
    rng = random.Random(seed)
    occurrences = n // 8 + 1
    # two days apart, ending yesterday: the quality gate refuses dates in the future
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2 * occurrences + 1)
    articles: list[GeneratedArticle] = []
    occurrence = 0
    while len(articles) < n:
        occurrence += 1
        country, city = COUNTRIES[occurrence % len(COUNTRIES)]
        kind = ("earthquake", "flood", "talks")[occurrence % 3]
        day = start + timedelta(days=2 * occurrence)  # a country's story recurs after 60 occurrences: beyond every window
        deaths, injured, missing = rng.randint(20, 400), rng.randint(50, 900), rng.randint(5, 80)
        minutes, prisoners = rng.choice([60, 90, 100, 120]), rng.choice([200, 300, 500, 1000])
        for report in range(min(8, n - len(articles))):
            published = day + timedelta(hours=3 * report + 1)
            deaths += rng.randint(0, 30)  # tolls rise from report to report
            odd = report == 5  # one outlet per occurrence reports a figure of its own
            fields: dict[str, object] = {
                "country": country, "region": city, "city": city, "weekday": WEEKDAYS[published.weekday()],
                "source": rng.choice(SOURCES), "deaths": f"{deaths:,}", "injured": f"{injured:,}",
                "missing": missing, "minutes": minutes * 2 if odd else minutes,
                "prisoners": f"{prisoners // 2 if odd else prisoners:,}",
            }
            if kind == "talks":
                title = f"Talks in {city} end with a prisoner exchange deal"
                paragraphs = _body(rng, rng.choice(TALKS_LEADS), True, fields, target_words)
            else:
                title = f"{'Earthquake' if kind == 'earthquake' else 'Floods'} in {country}: toll rises to {deaths:,}"
                leads = QUAKE_LEADS if kind == "earthquake" else FLOOD_LEADS
                paragraphs = _body(rng, rng.choice(leads), False, fields, target_words)
            publisher = OUTLETS[(occurrence + report) % len(OUTLETS)]
            slug = f"{kind}-{occurrence:04d}-{report}"
            articles.append(GeneratedArticle(slug, title, publisher, published, paragraphs))
    return articles
