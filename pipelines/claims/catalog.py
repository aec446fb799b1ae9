"""Load and validate the attribute catalog (YAML). The catalog is data: code never names an attribute
except through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CATALOG = Path(__file__).with_name("catalog.yaml")
KINDS = {"fixed", "cumulative"}
DIMENSIONS = {"count", "duration"}
# Duration quantities arrive in minutes; the catalog's unit says what to store.
MINUTES_PER_UNIT = {"minutes": 1.0, "hours": 60.0, "days": 1440.0}


@dataclass(frozen=True)
class Story:
    name: str
    cues: frozenset[str]
    window_days: int
    fixed_date: bool
    family: str = ""  # stories of one family may describe one occurrence (a collapse that caught fire)
    label: str = ""   # display name in event labels ("talks", "air crash")
    parties: bool = False  # between sides that the event label names ("Russia–Ukraine talks")
    name_cues: frozenset[str] = frozenset()  # cues that count even inside a name ("Typhoon Haiyan")
    # other stories whose reports may tell this one's occurrence, outside its family (a bombing
    # reported as a blast): occurrences only, not how an article's story is weighed
    also: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Attribute:
    name: str
    kind: str
    unit: str
    dimension: str
    stories: tuple[str, ...]
    description: str = ""
    counted: frozenset[str] = frozenset()
    counted_weak: frozenset[str] = frozenset()
    frames: frozenset[str] = frozenset()
    duration_verbs: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()  # words that, said of the figure itself, rule this attribute out
    planned: frozenset[str] = frozenset()  # verbs over a duration that make it a plan ("scheduled to run")
    scope_default: str = "whole"
    total_attribute: str | None = None
    running_attribute: str | None = None
    derived: bool = False
    variants: tuple[tuple[str, frozenset[str]], ...] = ()
    parts: tuple[tuple[str, frozenset[str]], ...] = ()  # a part of the count named by words on the figure
    variant_stories: frozenset[str] = frozenset()
    # variants that, the only split an article gives, are the whole count (those on board an airliner
    # are usually all its dead; those on the ground never are)
    variants_whole_alone: frozenset[str] = frozenset()
    any_story: bool = False
    plausible: tuple[float, float] | None = None  # values outside are misreadings, not claims
    object_counted: bool = False  # the figure counts what the frames act on, never who acts
    # the figure is how long its occasion itself lasts (a truce's days): reports dated from a few
    # days before it starts (the agreement) to its end are of one occasion; (lead days, most days)
    spans_occasion: tuple[float, float] | None = None

    def variants_named(self, words: set[str]) -> list[str]:
        """The variants (``death_toll.onboard``, ...) whose cue words are among ``words``, in catalog order."""
        return [name for name, cues in self.variants if words & cues]


@dataclass(frozen=True)
class Catalog:
    stories: dict[str, Story]
    attributes: dict[str, Attribute]
    scope_markers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_story_score: int = 1  # an article whose story cues weigh less tells no story: no claims

    def extractable(self) -> list[Attribute]:
        """Attributes the engine looks for directly (derived ones come from scope)."""
        return [a for a in self.attributes.values() if not a.derived]

    def kind_of(self, attribute: str) -> str:
        base = self.attributes.get(attribute) or self.attributes.get(attribute.split(".")[0])
        return base.kind if base else "fixed"

    def unit_of(self, attribute: str) -> str:
        base = self.attributes.get(attribute) or self.attributes.get(attribute.split(".")[0])
        return base.unit if base else "count"

    def vocabulary(self) -> set[str]:
        names = set(self.attributes)
        for attr in self.attributes.values():
            names.update(name for name, _ in attr.variants)
        return names


class CatalogError(ValueError):
    pass


def _words(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{where}: expected a list of words")
    return frozenset(v.lower() for v in value)


def _span(body: Any, where: str) -> tuple[float, float] | None:
    if body is None:
        return None
    if not isinstance(body, dict) or set(body) != {"lead_days", "max_days"}:
        raise CatalogError(f"{where}.spans_occasion: expected lead_days and max_days")
    return float(body["lead_days"]), float(body["max_days"])


def parse_catalog(data: dict[str, Any], source: str = "catalog") -> Catalog:
    if not isinstance(data, dict) or "attributes" not in data or "stories" not in data:
        raise CatalogError(f"{source}: needs top-level 'stories' and 'attributes'")
    stories = {}
    for name, body in data["stories"].items():
        stories[name] = Story(
            name=name,
            cues=_words(body.get("cues"), f"{source}: story {name}.cues"),
            window_days=int(body.get("window_days", 1)),
            fixed_date=bool(body.get("fixed_date", True)),
            family=str(body.get("family", name)),
            label=str(body.get("label", name.replace("_", " "))),
            parties=bool(body.get("parties", False)),
            name_cues=_words(body.get("name_cues"), f"{source}: story {name}.name_cues"),
            also=_words(body.get("also"), f"{source}: story {name}.also"),
        )
    for name, story in stories.items():
        unknown = sorted(story.also - set(stories))
        if unknown:
            raise CatalogError(f"{source}: story {name}.also names unknown stories {unknown}")
    attributes = {}
    for name, body in data["attributes"].items():
        where = f"{source}: attribute {name}"
        kind = body.get("kind")
        if kind not in KINDS:
            raise CatalogError(f"{where}: kind must be one of {sorted(KINDS)}, got {kind!r}")
        dimension = body.get("dimension", "count")
        if dimension not in DIMENSIONS:
            raise CatalogError(f"{where}: dimension must be one of {sorted(DIMENSIONS)}")
        unit = body.get("unit")
        if not unit:
            raise CatalogError(f"{where}: unit is required")
        if dimension == "duration" and unit not in MINUTES_PER_UNIT:
            raise CatalogError(f"{where}: duration unit must be one of {sorted(MINUTES_PER_UNIT)}")
        attr_stories = tuple(body.get("stories") or ())
        unknown = [s for s in attr_stories if s not in stories]
        if not attr_stories or unknown:
            raise CatalogError(f"{where}: stories must name known stories (unknown: {unknown})")
        variants = tuple(
            (vname, _words(cues, f"{where}.variants.{vname}")) for vname, cues in (body.get("variants") or {}).items()
        )
        parts = tuple(
            (pname, _words(cues, f"{where}.parts.{pname}")) for pname, cues in (body.get("parts") or {}).items()
        )
        attributes[name] = Attribute(
            name=name,
            kind=kind,
            unit=unit,
            dimension=dimension,
            stories=attr_stories,
            description=body.get("description", ""),
            counted=_words(body.get("counted"), f"{where}.counted"),
            counted_weak=_words(body.get("counted_weak"), f"{where}.counted_weak"),
            frames=_words(body.get("frames"), f"{where}.frames"),
            duration_verbs=_words(body.get("duration_verbs"), f"{where}.duration_verbs"),
            modifiers=_words(body.get("modifiers"), f"{where}.modifiers"),
            exclude=_words(body.get("exclude"), f"{where}.exclude"),
            planned=_words(body.get("planned"), f"{where}.planned"),
            scope_default=body.get("scope_default", "whole"),
            total_attribute=body.get("total_attribute"),
            running_attribute=body.get("running_attribute"),
            derived=bool(body.get("derived", False)),
            variants=variants,
            parts=parts,
            variant_stories=frozenset(body.get("variant_stories") or ()),
            variants_whole_alone=frozenset(body.get("variants_whole_alone") or ()),
            any_story=bool(body.get("any_story", False)),
            plausible=(float(body["plausible"][0]), float(body["plausible"][1])) if body.get("plausible") else None,
            object_counted=bool(body.get("object_counted", False)),
            spans_occasion=_span(body.get("spans_occasion"), where),
        )
    for attr in attributes.values():
        if attr.variants_whole_alone - {name for name, _ in attr.variants}:
            raise CatalogError(f"{source}: attribute {attr.name}: variants_whole_alone names no variant")
        for ref in (attr.total_attribute, attr.running_attribute):
            if ref and ref not in attributes:
                raise CatalogError(f"{source}: attribute {attr.name} refers to unknown {ref}")
    markers = {k: tuple(v) for k, v in (data.get("scope_markers") or {}).items()}
    return Catalog(stories=stories, attributes=attributes, scope_markers=markers,
                   min_story_score=int(data.get("min_story_score", 1)))


def read_yaml(path: Path, error: type[ValueError] = CatalogError) -> Any:
    """A data file of the claims engine; invalid YAML is reported as ``error`` naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from exc


def read_word_lists(path: Path, fields: tuple[str, ...], error: type[ValueError]) -> dict[str, frozenset[str]]:
    """A data file of named word lists (lower-cased); a missing or malformed list is ``error``."""
    data = read_yaml(path, error) or {}
    missing = [f for f in fields if not isinstance(data.get(f), list)]
    if missing:
        raise error(f"{path}: needs word lists {missing}")
    return {f: frozenset(str(w).lower() for w in data[f]) for f in fields}


@lru_cache(maxsize=8)
def load_catalog(path: Path | str = DEFAULT_CATALOG) -> Catalog:
    path = Path(path)
    return parse_catalog(read_yaml(path), str(path))
