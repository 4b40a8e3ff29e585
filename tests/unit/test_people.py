"""Participants, participant countries and officials, on wire-style sentences written for these tests.

Who takes part is a learned decision, and a decision on a sentence written for a test is no measure:
where the models weigh it, a test checks what the readers give them (`Person.signals`, `state_readings`).
"""

from __future__ import annotations

import pytest

from handlers.doc import Doc, Person, states
from handlers.features import person_features
from handlers.people import state_readings
from handlers.pipeline import Pipeline
from schemas import Participant, RegionalSummit
from tests.unit.deciders import reports_pipeline
from tests.unit.test_detection import one, read


@pytest.fixture(scope="module")
def reports() -> Pipeline:
    # for tests of reading names: whether a short written text is a summit report is the summit model's
    # business (measured by `make eval` on real articles), not theirs
    return reports_pipeline()


OPENING = (
    "أستانا 9 أغسطس (قنا) - انعقد اليوم في العاصمة الكازاخستانية أستانا "
    "الاجتماع التشاوري السادس لرؤساء دول آسيا الوسطى"
)


def by_name(event: RegionalSummit, name_en: str) -> Participant:
    matches = [p for p in event.participants if p.name == name_en]
    assert len(matches) == 1, [p.name for p in event.participants]
    return matches[0]


def names(event: RegionalSummit) -> set[str]:
    return {p.name for p in event.participants}


def read_person(doc: Doc, name_en: str) -> Person:
    """The one person candidate the reading stages found for a known leader."""
    matches = [p for p in doc.people if p.leader is not None and p.leader.name_en == name_en]
    assert len(matches) == 1, [p.leader.name_en if p.leader else p.role for p in doc.people]
    return matches[0]


def listed(doc: Doc) -> set[str]:
    """The states the list reader reads after a taking-part word."""
    return {code for code, said in state_readings(doc).items() if said.get("listed")}


@pytest.mark.parametrize("spelling", ["شوكت ميرزيوييف", "شوكت ميرضيائيف", "شوكت مير ضياييف"])
def test_mirziyoyev_spellings(pipeline: Pipeline, spelling: str) -> None:
    event = one(pipeline, f"{OPENING}، وألقى الرئيس الأوزبكي {spelling} كلمة في الجلسة العامة.")
    person = by_name(event, "Shavkat Mirziyoyev")
    assert (person.country, person.role, person.guest) == ("UZ", "president", False)
    assert person.name_original in {spelling, spelling.split(" ", 1)[1]}


@pytest.mark.parametrize("spelling", ["قاسم جومارت توكاييف", "قاسم جومارت توكايف", "قاسم جومارت توقاييف"])
def test_tokayev_spellings(reports: Pipeline, spelling: str) -> None:
    event = one(reports, f"{OPENING} برئاسة الرئيس الكازاخستاني {spelling}.")
    person = by_name(event, "Kassym-Jomart Tokayev")
    assert (person.country, person.role) == ("KZ", "president")


@pytest.mark.parametrize("spelling", ["صدير جباروف", "سادير جاباروف"])
def test_japarov_spellings(pipeline: Pipeline, spelling: str) -> None:
    event = one(pipeline, f"{OPENING}، وشارك فيه الرئيس القرغيزي {spelling}.")
    person = by_name(event, "Sadyr Japarov")
    assert (person.country, person.role) == ("KG", "president")


def test_surname_only_mention_is_attached_to_known_leader(pipeline: Pipeline) -> None:
    body = (
        f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان. وقال الرئيس "
        "الأوزبكي شوكت ميرضيائيف إن المنطقة تتغير. وأضاف ميرزيوييف أن التجارة نمت."
    )
    person = by_name(one(pipeline, body), "Shavkat Mirziyoyev")
    assert len(person.mentions) == 2


def test_guest_of_honour_is_flagged(pipeline: Pipeline) -> None:
    body = (
        f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان وتركمانستان وأوزبكستان، فيما شارك "
        "الرئيس الأذربيجاني إلهام علييف في الاجتماع كضيف شرف. وترأس الاجتماع الرئيس الكازاخستاني قاسم "
        "جومارت توكاييف."
    )
    event = one(pipeline, body)
    assert by_name(event, "Ilham Aliyev").guest is True
    assert by_name(event, "Ilham Aliyev").country == "AZ"
    assert by_name(event, "Kassym-Jomart Tokayev").guest is False


def test_a_leader_who_stays_away_is_read_as_absent_and_his_state_not_listed(pipeline: Pipeline) -> None:
    body = (
        f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان وأوزبكستان، فيما أعلنت عشق آباد أن "
        "الرئيس التركمانستاني سردار بيردي محمدوف لن يتمكن من الحضور بسبب ارتباطات سابقة."
    )
    doc = read(pipeline, body)
    assert read_person(doc, "Serdar Berdimuhamedow").signals["absent"] == 1.0
    assert listed(doc) == {"KG", "KZ", "TJ", "UZ"}
    assert "leader_in_summit_context" not in state_readings(doc)["TM"]


@pytest.mark.parametrize(
    ("lang", "body", "state"),
    [
        (
            "en",
            "Group of 20 leaders wrapped up their summit in Rio de Janeiro on Tuesday. Chinese President Xi "
            "Jinping attended. Russian President Vladimir Putin stayed away; Russia was represented by "
            "Foreign Minister Sergei Lavrov.",
            "RU",
        ),
        (
            "ru",
            "В Минске прошло заседание Высшего Евразийского экономического совета. В заседании приняли "
            "участие Президент России Владимир Путин и Президент Казахстана Касым-Жомарт Токаев. "
            "Армению на встрече представлял вице-премьер Мгер Григорян.",
            "AM",
        ),
        (
            "ar",
            "انعقد في أستانا الاجتماع التشاوري الأول لرؤساء دول آسيا الوسطى، وشارك في الاجتماع الرئيس "
            "الكازاخستاني والرئيس الأوزبكي، فيما مثلت تركمانستان رئيسة البرلمان غولشات محمدوفا.",
            "TM",
        ),
        (
            "ar",
            "انطلقت في الجزائر أعمال القمة العربية الحادية والثلاثين بمشاركة الرئيس المصري عبد الفتاح السيسي "
            "وأمير دولة قطر الشيخ تميم بن حمد آل ثاني. وأكد الرئيس المصري أهمية العمل العربي المشترك. "
            "ويمثل المملكة الأردنية الهاشمية في أعمال القمة رئيس الوزراء بشر الخصاونة.",
            "JO",
        ),
        (
            "en",
            "The GCC summit opened in Riyadh on Tuesday. Attending were the Emir of Qatar and the Special "
            "Representative of the King of Bahrain, Sheikh Nasser bin Hamad Al Khalifa.",
            "BH",
        ),
        (
            "ar",
            "عقدت في العلا اليوم القمة الخليجية الحادية والأربعون بمشاركة أمير دولة قطر الشيخ تميم بن حمد آل "
            "ثاني. وفي ختام القمة وقعت جمهورية مصر العربية على البيان الختامي ممثلة بوزير خارجيتها "
            "سامح شكري.",
            "EG",
        ),
    ],
)
def test_a_state_represented_by_someone_else_is_read_as_sending_a_delegation(
    pipeline: Pipeline, lang: str, body: str, state: str
) -> None:
    doc = read(pipeline, body, lang, published="2024-11-19")
    assert state_readings(doc)[state].get("delegation") == 1.0


@pytest.mark.parametrize(
    ("lang", "body", "codes"),
    [
        (
            "en",
            "The EAC summit opened in Arusha on Friday. The delegations of Kenya, Uganda, Rwanda and Burundi "
            "arrived on Thursday.",
            {"KE", "UG", "RW", "BI"},
        ),
        (
            "ru",
            "В Минске открылся саммит ОДКБ. Делегации Казахстана, Киргизии и Таджикистана прибыли накануне.",
            {"KZ", "KG", "TJ"},
        ),
    ],
)
def test_every_state_of_a_list_opened_by_a_delegation_word_sends_a_delegation(
    pipeline: Pipeline, lang: str, body: str, codes: set[str]
) -> None:
    readings = state_readings(read(pipeline, body, lang, published="2024-11-22"))
    assert {code for code, said in readings.items() if said.get("delegation")} >= codes


@pytest.mark.parametrize(
    ("lang", "body", "codes", "not_codes"),
    [
        (
            "en",
            "The AU summit opened in Addis Ababa on Sunday. The session heard an address by the Finance "
            "Minister of Norway and a speech by Kenya, then discussed the situation in Sudan.",
            {"NO", "KE"},
            {"SD"},
        ),
        (
            "ar",
            "افتتحت اليوم في الكويت أعمال القمة العربية الأفريقية. واستمعت القمة إلى كلمة لوزير خارجية "
            "النرويج، ثم ناقش القادة الوضع في السودان.",
            {"NO"},
            {"SD"},
        ),
    ],
)
def test_a_state_whose_minister_addresses_the_summit_is_read_as_sending_a_delegation(
    pipeline: Pipeline, lang: str, body: str, codes: set[str], not_codes: set[str]
) -> None:
    readings = state_readings(read(pipeline, body, lang, published="2024-11-22"))
    said = {code for code, reads in readings.items() if reads.get("delegation")}
    assert codes <= said
    assert not said & not_codes


def test_arabic_list_items_opening_with_wa_and_an_honorific_read_every_state_as_listed(
    pipeline: Pipeline,
) -> None:
    body = (
        "عقدت في الرياض اليوم أعمال القمة الخليجية الثانية والأربعين. وشارك في القمة صاحب السمو الشيخ تميم "
        "بن حمد آل ثاني أمير دولة قطر وصاحب السمو الملكي الأمير سلمان بن حمد آل خليفة ولي العهد رئيس مجلس "
        "الوزراء في مملكة البحرين وصاحب السمو السيد فهد بن محمود آل سعيد نائب رئيس الوزراء لشؤون مجلس "
        "الوزراء في سلطنة عمان."
    )
    assert {"QA", "BH", "OM"} <= listed(read(pipeline, body, "ar", published="2021-12-14"))


def test_a_bulleted_list_of_titled_heads_adds_every_state(pipeline: Pipeline) -> None:
    body = (
        "On 19 July 2023, the first Summit of the Heads of State of the Gulf Cooperation Council and Central "
        "Asian countries was held in Jeddah.\n\nThe summit was attended by:\n\n• President of Kazakhstan "
        "Kassym-Jomart Tokayev\n\n• Emir of the State of Qatar Sheikh Tamim bin Hamad Al Thani\n\n"
        "• Deputy Emir, Crown Prince of Kuwait Sheikh Mishaal Al-Ahmed Al-Jaber Al-Sabah\n\n"
        "• Deputy Prime Minister of the Sultanate of Oman Sheikh Asaad bin Tariq Al-Said"
    )
    countries = set(one(pipeline, body, "en", published="2023-07-19").participant_countries)
    assert {"KZ", "QA", "KW", "OM"} <= countries


def test_a_title_of_another_state_does_not_vouch_for_a_look_alike_surname(pipeline: Pipeline) -> None:
    body = (
        "The first summit of the Gulf Cooperation Council and Central Asian countries was held in Jeddah. "
        "It was attended by President of Kazakhstan Kassym-Jomart Tokayev and UAE Prime Minister Sheikh "
        "Muhammad bin Rashid Al Maktoum."
    )
    event = one(pipeline, body, "en", published="2023-07-19")
    assert "SO" not in event.participant_countries
    assert "Hassan Sheikh Mohamud" not in names(event)


def test_a_state_that_addresses_the_summit_takes_part(pipeline: Pipeline) -> None:
    body = (
        "انطلقت القمة العربية العادية الـ33 بالبحرين اليوم الخميس، وبدأت الجلسة الافتتاحية بكلمة المملكة "
        "العربية السعودية بصفتها رئيسة سابقة للقمة."
    )
    assert "SA" in one(pipeline, body, published="2024-05-16").participant_countries


def test_someone_not_in_office_that_day_is_no_participant(pipeline: Pipeline) -> None:
    body = (
        "Kazakh President Kassym-Jomart Tokayev and Uzbek President Shavkat Mirziyoyev attended the "
        "China-Central Asia Summit in Xi'an on Friday. In a speech at Kazakhstan's Nazarbayev University in "
        "2013, Xi first proposed the Silk Road Economic Belt."
    )
    event = one(pipeline, body, "en", published="2023-05-19")
    assert "Nursultan Nazarbayev" not in names(event)
    assert {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev"} <= names(event)


def test_leaders_met_on_the_summits_sidelines_attend_it(pipeline: Pipeline) -> None:
    body = "\n".join(
        [
            "БИШКЕК, 13 окт — РИА Новости. Саммит СНГ прошел в пятницу в Бишкеке под председательством "
            "президента Киргизии Садыра Жапарова.",
            "Владимир Путин, выступая в узком составе, заявил, что Содружество уверенно развивается.",
            "На полях саммита Путин провел также отдельные встречи с Токаевым и Шавкатом Мирзиёевым.",
        ]
    )
    mirziyoyev = read_person(read(pipeline, body, "ru", published="2023-10-13"), "Shavkat Mirziyoyev")
    assert mirziyoyev.signals["sideline"] == 1.0  # met on the summit's sidelines: the person model weighs it


def test_words_after_a_title_that_are_not_capitalised_are_no_name(pipeline: Pipeline) -> None:
    body = (
        "Саммит СНГ прошел в пятницу в Бишкеке, в нем приняли участие лидеры России, Белоруссии и "
        "Казахстана. Президент России также сообщил, что председательство в СНГ перейдет к России."
    )
    event = one(pipeline, body, "ru", published=None)
    assert all(p.name_original != "также сообщил" for p in event.participants)


def test_a_leader_represented_by_a_minister_is_read_as_absent_and_his_state_as_a_delegation(
    pipeline: Pipeline,
) -> None:
    body = (
        "Leaders of the Group of 20 met in New Delhi on Saturday for their annual summit. Indian Prime "
        "Minister Narendra Modi opened it, while Russian President Vladimir Putin was represented by Foreign "
        "Minister Sergei Lavrov."
    )
    doc = read(pipeline, body, "en", published="2023-09-09")
    assert read_person(doc, "Vladimir Putin").signals["absent"] == 1.0
    assert read_person(doc, "Narendra Modi").signals["absent"] == 0.0
    readings = state_readings(doc)
    assert readings["RU"].get("delegation") == 1.0
    assert readings["IN"].get("leader_in_summit_context") == 1.0


def test_states_at_a_related_summit_get_no_taking_part_reading(pipeline: Pipeline) -> None:
    body = (
        "VIENTIANE, Laos (AP) — Southeast Asian leaders wrapped up the 45th ASEAN Summit on Friday in the "
        "Lao capital.\nLeaders of the United States, China, Japan and other partners joined the related "
        "East Asia Summit on Friday."
    )
    readings = state_readings(read(pipeline, body, "en", published="2024-10-11"))
    assert not {code for code, said in readings.items() if said.get("listed") or said.get("delegation")} & {
        "US",
        "CN",
        "JP",
    }


def test_a_long_name_before_did_not_come_reads_as_absent(pipeline: Pipeline) -> None:
    body = (
        "XXIX саммит Лиги арабских государств завершился в воскресенье в Дахране. В саммите приняли участие "
        "король Иордании Абдалла II и президент Палестины Махмуд Аббас; эмир Тамим бен Хамад Аль Тани в "
        "Дахран не прибыл."
    )
    doc = read(pipeline, body, "ru", published="2018-04-15")
    assert read_person(doc, "Tamim bin Hamad Al Thani").signals["absent"] == 1.0
    assert read_person(doc, "Mahmoud Abbas").signals["absent"] == 0.0


def test_leaders_at_their_first_summit_as_leaders_attend_this_one(pipeline: Pipeline) -> None:
    body = (
        "VIENTIANE, Laos (AP) — Southeast Asian leaders wrapped up the 45th ASEAN Summit on Friday.\n"
        "Thailand's new Prime Minister Paetongtarn Shinawatra and Singapore's Lawrence Wong attended their "
        "first ASEAN summit as leaders."
    )
    event = one(pipeline, body, "en", published="2024-10-11")
    assert event.summit.ordinal == 45
    assert {"Paetongtarn Shinawatra", "Lawrence Wong"} <= names(event)


def test_refusing_to_sign_is_not_staying_away(pipeline: Pipeline) -> None:
    body = (
        "A summit of the Collective Security Treaty Organization ended in Yerevan on Wednesday after "
        "Armenian Prime Minister Nikol Pashinyan, who chaired the meeting, refused to sign the declaration."
    )
    event = one(pipeline, body, "en", published="2022-11-23")
    assert "Nikol Pashinyan" in names(event)
    assert "AM" in event.participant_countries


def test_a_former_leader_of_a_past_summit_is_read_out_of_office_in_a_sentence_about_it(
    pipeline: Pipeline,
) -> None:
    body = (
        f"{OPENING}، برئاسة الرئيس الكازاخستاني قاسم جومارت توكاييف. يذكر أن أول اجتماع تشاوري عقد في "
        "أستانا عام 2018 بمبادرة من الرئيس الكازاخستاني السابق نور سلطان نزارباييف."
    )
    doc = read(pipeline, body)
    former = read_person(doc, "Nursultan Nazarbayev").signals
    assert (former["in_office"], former["excluded"], former["summit_sentence"]) == (0.0, 1.0, 0.0)
    current = read_person(doc, "Kassym-Jomart Tokayev").signals
    assert (current["in_office"], current["excluded"], current["main_sentence"]) == (1.0, 0.0, 1.0)


def test_un_secretary_general_is_read_as_an_official_not_a_leader(pipeline: Pipeline) -> None:
    body = (
        "جدة 19 يوليو (واس) - انطلقت اليوم أعمال قمة مجلس التعاون لدول الخليج العربية ودول آسيا الوسطى، "
        "بحضور الأمين العام للأمم المتحدة أنطونيو غوتيريش."
    )
    doc = read(pipeline, body, published="2023-07-19")
    assert [p.leader for p in doc.people] == [None]
    assert [(p.official.name_en, p.official.organization) for p in doc.people if p.official] == [
        ("António Guterres", "UN")
    ]


def test_an_attendance_list_is_read_as_listing_every_state(pipeline: Pipeline) -> None:
    body = f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان."
    assert listed(read(pipeline, body)) == {"KG", "KZ", "TJ"}


GCC_LIST = (
    "مكة المكرمة (واس) - انعقدت مساء اليوم القمة الخليجية الطارئة. وشارك في القمة صاحب السمو الشيخ صباح "
    "الأحمد الجابر الصباح أمير دولة الكويت، ومعالي الشيخ عبدالله بن ناصر بن خليفة آل ثاني رئيس مجلس "
    "الوزراء وزير الداخلية بدولة قطر، {tail}"
)


def test_a_long_list_item_of_a_titled_delegation_head_adds_its_state(pipeline: Pipeline) -> None:
    body = GCC_LIST.format(tail="وصاحب السمو السيد فهد بن محمود آل سعيد نائب رئيس الوزراء في سلطنة عمان.")
    assert {"KW", "QA", "OM"} <= set(one(pipeline, body, published="2019-05-30").participant_countries)


def test_a_topic_after_the_list_adds_no_state(pipeline: Pipeline) -> None:
    body = GCC_LIST.format(tail="وبحث القادة خلال القمة الأوضاع الأمنية في السودان.")
    countries = set(one(pipeline, body, published="2019-05-30").participant_countries)
    assert {"KW", "QA"} <= countries
    assert "SD" not in countries


def test_background_member_list_does_not_add_participants(pipeline: Pipeline) -> None:
    body = (
        f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان. وتضم المنطقة خمس دول هي كازاخستان "
        "وأوزبكستان وقرغيزستان وطاجيكستان وتركمانستان، ويبلغ عدد سكانها نحو 80 مليون نسمة."
    )
    assert one(pipeline, body).participant_countries == ["KG", "KZ", "TJ"]


def test_the_host_alone_gets_no_taking_part_reading(pipeline: Pipeline) -> None:
    body = (
        "جدة 19 يوليو (واس) - تستضيف المملكة العربية السعودية الشهر المقبل قمة مجلس التعاون لدول الخليج "
        "العربية ودول آسيا الوسطى، بمشاركة رئيسي كازاخستان وأوزبكستان."
    )
    doc = read(pipeline, body, published="2023-06-19")
    assert "SA" in {code for code, _ in states(doc)}  # named: a candidate the state model weighs
    readings = state_readings(doc)
    assert readings.get("SA", {}) == {}
    assert listed(doc) == {"KZ", "UZ"}


def test_unknown_head_of_state_introduced_by_title(pipeline: Pipeline) -> None:
    body = f"{OPENING}، وألقى الرئيس القرغيزي أسان بيكوف كلمة دعا فيها إلى تسريع مشاريع النقل."
    event = one(pipeline, body)
    unknown = [p for p in event.participants if p.name_original == "أسان بيكوف"]
    assert len(unknown) == 1, [(p.name, p.name_original) for p in event.participants]
    assert (unknown[0].country, unknown[0].role) == ("KG", "president")
    assert "KG" in event.participant_countries


def test_english_leaders_and_countries(pipeline: Pipeline) -> None:
    body = (
        "ASTANA, August 9 (Kazinform) - President Kassym-Jomart Tokayev chaired the sixth "
        "Consultative Meeting of the Heads of State of Central Asia in Astana on Friday. "
        "President Shavkat Mirziyoyev of Uzbekistan and President Sadyr Japarov of Kyrgyzstan attended."
    )
    event = one(pipeline, body, lang="en")
    assert {"Kassym-Jomart Tokayev", "Shavkat Mirziyoyev", "Sadyr Japarov"} <= names(event)
    assert {"KZ", "UZ", "KG"} <= set(event.participant_countries)


def test_russian_leader_mentions_in_inflected_forms(reports: Pipeline) -> None:
    body = (
        "АСТАНА, 9 августа. /ТАСС/. Консультативная встреча глав государств Центральной Азии прошла "
        "в Астане. "
        "Президент Казахстана Касым-Жомарт Токаев предложил принять дорожную карту."
    )
    event = one(reports, body, lang="ru")
    assert "Kassym-Jomart Tokayev" in names(event)


def test_a_former_head_named_in_another_office_does_not_bring_his_state(pipeline: Pipeline) -> None:
    body = (
        "تستضيف مدينة سمرقند غداً الجمعة أول قمة بين الاتحاد الأوروبي ودول آسيا الوسطى الخمس، بمشاركة رئيس "
        "المجلس الأوروبي أنطونيو كوستا ورئيسة المفوضية الأوروبية أورسولا فون دير لاين ورؤساء أوزبكستان "
        "وكازاخستان وقرغيزستان وطاجيكستان وتركمانستان."
    )
    countries = one(pipeline, body, "ar", published="2025-04-03").participant_countries
    assert "PT" not in countries  # António Costa left the Portuguese premiership in 2024
    assert {"UZ", "KZ", "KG", "TJ", "TM"} <= set(countries)


def test_a_head_of_government_representing_his_state_takes_part(pipeline: Pipeline) -> None:
    body = (
        "Leaders of the BRICS group opened a two-day summit in Rio de Janeiro on Sunday. Indian Prime "
        "Minister Narendra Modi attended. China was represented by Premier Li Qiang."
    )
    # read as a candidate with his state and office; whether he takes part is the person model's call
    li = read_person(read(pipeline, body, "en", published="2025-07-06"), "Li Qiang")
    assert (li.country, li.role) == ("CN", "prime_minister")
    assert li.signals["in_office"] == 1.0


def test_a_list_after_took_part_in_the_summit_with_long_items_reads_every_state_as_taking_part(
    pipeline: Pipeline,
) -> None:
    body = (
        "اختتمت في الرياض اليوم أعمال الدورة السادسة والثلاثين للمجلس الأعلى لمجلس التعاون لدول "
        "الخليج العربية. وشارك في أعمال القمة صاحب السمو الشيخ صباح الأحمد الجابر الصباح أمير "
        "دولة الكويت، وصاحب السمو الشيخ محمد بن راشد آل مكتوم نائب رئيس دولة الإمارات العربية "
        "المتحدة رئيس مجلس الوزراء حاكم دبي، وصاحب السمو السيد فهد بن محمود آل سعيد نائب رئيس "
        "الوزراء لشؤون مجلس الوزراء في سلطنة عمان."
    )
    readings = state_readings(read(pipeline, body, "ar", published="2015-12-10"))
    # each item's state is listed, or its head (Oman's deputy prime minister) is a known leader named there
    taking_part = {
        c for c, said in readings.items() if said.get("listed") or said.get("leader_in_summit_context")
    }
    assert {"KW", "AE", "OM"} <= taking_part


@pytest.mark.parametrize("written", ["عادل عبدالمهدي", "عادل عبد المهدي"])
def test_names_in_abd_are_found_joined_or_spaced(pipeline: Pipeline, written: str) -> None:
    body = (
        "عقد جلالة الملك عبدالله الثاني والرئيس المصري عبدالفتاح السيسي ورئيس الوزراء العراقي "
        f"{written} اليوم قمة ثلاثية في القاهرة لتعزيز التعاون بين البلدان الثلاثة."
    )
    abdul_mahdi = read_person(read(pipeline, body, "ar", published="2019-03-24"), "Adil Abdul-Mahdi")
    assert abdul_mahdi.country == "IQ"


def test_states_that_walked_out_are_read_as_walked_out_and_the_presiding_state_as_chair(
    pipeline: Pipeline,
) -> None:
    body = (
        "شارك أمير دولة الكويت الشيخ صباح الأحمد الجابر الصباح اليوم في افتتاح أعمال القمة العربية "
        "الأفريقية الرابعة في مالابو.\nوترأس القمة رئيس جمهورية غينيا الاستوائية تيودورو أوبيانغ نغيما "
        "مباسوغو الذي رحب في كلمته الافتتاحية بالقادة ورؤساء الوفود العربية والأفريقية.\nوشهدت القمة "
        "انسحاب وفود المملكة المغربية والمملكة العربية السعودية ودولة الإمارات العربية المتحدة."
    )
    doc = read(pipeline, body, "ar", published="2016-11-23")
    readings = state_readings(doc)
    assert {code for code, said in readings.items() if said.get("walked_out")} == {"MA", "SA", "AE"}
    # "ترأس القمة": chairing the summit, not heading a delegation
    assert {code for how, code, _, _ in doc.chair_pointers if how.endswith("_read")} == {"GQ"}


def test_words_after_an_arabic_title_that_are_no_ones_name_are_no_person(pipeline: Pipeline) -> None:
    # Arabic has no capitals: after "الرئيس الروسي" the words of a clause ("شدد مرارا") are no name
    body = f"{OPENING}، وكان الرئيس الروسي شدد مرارا على أهمية التعاون الإقليمي."
    doc = read(pipeline, body)
    assert not [p for p in doc.people if p.signals.get("titled_head")], [p.role for p in doc.people]


def test_a_titled_head_sharing_a_name_with_the_office_holder_is_read_as_that_holder(
    pipeline: Pipeline,
) -> None:
    # a spelling the knowledge base lacks ("كاقامي"), but the given name is the holder's: the holder
    body = f"{OPENING}، وألقى الرئيس الرواندي بول كاقامي كلمة في الجلسة العامة."
    person = read_person(read(pipeline, body), "Paul Kagame")
    assert person.country == "RW"
    assert person.signals["titled_head"] == 1.0


def test_a_leader_who_will_skip_the_summit_is_read_as_absent(pipeline: Pipeline) -> None:
    body = (
        "Президент Азербайджана Ильхам Алиев пропустит неформальный саммит СНГ в Санкт-Петербурге. "
        "Об этом сообщил Ильхам Алиев журналистам."
    )
    aliyev = read_person(read(pipeline, body, "ru", published="2025-12-22"), "Ilham Aliyev")
    assert aliyev.signals["absent"] == 0.0  # not every mention says so
    assert aliyev.signals["absent_any"] == 1.0


def test_a_former_head_among_the_titles_is_read_as_former_and_away(pipeline: Pipeline) -> None:
    body = (
        f"{OPENING}، بمشاركة الرئيس الكازاخستاني قاسم جومارت توكاييف. وأشاد القادة بدور الرئيس الكازاخستاني "
        "السابق نور سلطان نزارباييف في تأسيس هذا الإطار."
    )
    doc = read(pipeline, body)
    nazarbayev = read_person(doc, "Nursultan Nazarbayev").signals
    assert (nazarbayev["former"], nazarbayev["absent"]) == (1.0, 1.0)
    tokayev = read_person(doc, "Kassym-Jomart Tokayev").signals
    assert (tokayev["former"], tokayev["absent"]) == (0.0, 0.0)


def test_the_one_who_stands_in_for_a_head_is_not_read_as_absent(pipeline: Pipeline) -> None:
    body = (
        "Саммит Лиги арабских государств откроется в понедельник в Нуакшоте. Короля Иордании на встрече "
        "будет замещать премьер-министр Хани аль-Мульки, а президента Египта Абдель Фаттаха ас-Сиси будет "
        "замещать премьер-министр Шериф Исмаил."
    )
    doc = read(pipeline, body, "ru", published="2016-07-24")
    assert read_person(doc, "Abdel Fattah el-Sisi").signals["absent"] == 1.0
    assert read_person(doc, "Sherif Ismail").signals["absent"] == 0.0


@pytest.mark.parametrize(
    ("lang", "body", "published", "represented", "representative"),
    [
        (
            "ar",
            "انطلقت اليوم في أديس أبابا أعمال قمة الاتحاد الإفريقي. ويمثل الوزير الأول عبد المالك سلال رئيس "
            "الجمهورية عبد العزيز بوتفليقة في أشغال القمة.",
            "2015-01-30",
            "Abdelaziz Bouteflika",
            "Abdelmalek Sellal",
        ),
        (
            "ru",
            "Саммит СНГ пройдет в Кишиневе. Нурсултан Назарбаев отказался от участия, направив вместо себя "
            "премьер-министра Карима Масимова.",
            "2009-10-07",
            "Nursultan Nazarbayev",
            "Karim Massimov",
        ),
    ],
)
def test_a_head_represented_by_a_lower_ranking_one_is_read_as_represented(
    pipeline: Pipeline, lang: str, body: str, published: str, represented: str, representative: str
) -> None:
    doc = read(pipeline, body, lang, published=published)
    head = read_person(doc, represented).signals
    assert (head["represented"], head["absent"]) == (1.0, 1.0)
    assert read_person(doc, representative).signals["represented"] == 0.0


def test_a_state_or_city_name_is_no_ones_surname(pipeline: Pipeline) -> None:
    # "Германии" looks like a surname of the knowledge base once its case ending is read off; "Xi'an" opens
    # with a leader's surname: both are places, not people
    body = (
        "Саммит G20 открылся в субботу. На саммит прибыли канцлер Германии и президент Франции. "
        "Следующий саммит Китай и Центральная Азия пройдет в городе Сиань."
    )
    doc = read(pipeline, body, "ru", published="2024-11-18")
    assert all(p.official is None for p in doc.people), [p.official for p in doc.people]
    body_en = "The China-Central Asia summit opened in Xi'an on Thursday with the leaders of five states."
    doc_en = read(pipeline, body_en, "en", published="2023-05-18")
    assert "CN" not in {p.country for p in doc_en.people}


def test_a_one_letter_word_and_the_next_are_not_read_as_one_surname(pipeline: Pipeline) -> None:
    body = "Саммит ЕАЭС прошел в Минске, в нем приняли участие президенты и лидеры оппозиции соседних стран."
    doc = read(pipeline, body, "ru", published="2024-12-20")
    assert "TR" not in {p.country for p in doc.people}


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "en",
            "The Eastern Partnership summit opened in Brussels on Friday. Also taking part are the leaders "
            "of the partnership's member states: Armenia, Azerbaijan, Georgia and Moldova.",
        ),
        (
            "ru",
            "В Брюсселе в пятницу открылся саммит Восточного партнерства. В нем принимают участие лидеры "
            "пяти стран-участниц программы — Армения, Азербайджан, Грузия и Молдова.",
        ),
    ],
)
def test_a_list_a_colon_or_dash_introduces_after_a_taking_part_word_is_read(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    doc = read(pipeline, body, lang, published="2024-06-07")
    assert {"AM", "AZ", "GE", "MD"} <= listed(doc)


def test_a_colon_far_from_the_taking_part_word_opens_no_list(pipeline: Pipeline) -> None:
    body = (
        "The Eastern Partnership summit opened in Brussels on Friday with the leaders taking part in a long "
        "debate on trade, energy, transport, migration and many other questions of the region: Armenia "
        "spoke first."
    )
    doc = read(pipeline, body, "en", published="2024-06-07")
    assert "AM" not in listed(doc)


@pytest.mark.parametrize(
    ("lang", "published", "body", "name_en"),
    [
        # the given name, spelled another way, right before the surname
        (
            "en",
            "2019-08-24",
            "The G7 summit opened on Saturday. Guests were met by Emanuel Macron and his wife.",
            "Emmanuel Macron",
        ),
        # an initial before the surname
        (
            "ru",
            "2010-06-10",
            "Саммит ШОС открылся в столице. Участвуют М. Ахмадинежад и другие.",
            "Mahmoud Ahmadinejad",
        ),
        # a middle name between the given name and the surname
        (
            "en",
            "2021-08-17",
            "The summit of the regional bloc opened on Tuesday, and Lazarus Jonah Chakwera spoke after "
            "the host.",
            "Lazarus Chakwera",
        ),
    ],
)
def test_a_surname_after_the_leaders_given_name_or_initial_is_read_as_that_leader(
    pipeline: Pipeline, lang: str, published: str, body: str, name_en: str
) -> None:
    person = read_person(read(pipeline, body, lang, published=published), name_en)
    assert person.signals["surname_only"] == 1.0


def test_a_surname_after_another_given_name_is_not_vouched_for(pipeline: Pipeline) -> None:
    body = (
        "The summit of the regional bloc opened on Tuesday, and Walter Chakwera, a reporter, wrote about it."
    )
    doc = read(pipeline, body, "en", published="2021-08-17")
    assert all(p.leader is None or p.leader.name_en != "Lazarus Chakwera" for p in doc.people)


def test_a_bare_surname_of_a_leader_in_office_is_a_candidate(pipeline: Pipeline) -> None:
    # no title, state or given name beside it: not credible enough to name a state, but the one leader
    # of that surname in office on the article's day is a candidate the person model weighs
    body = "The G20 summit opened on Saturday in the capital. Modi said the first session went well."
    person = read_person(read(pipeline, body, "en", published="2023-09-09"), "Narendra Modi")
    assert person.signals["bare_surname"] == 1.0
    assert "IN" not in {code for code, _ in states(read(pipeline, body, "en", published="2023-09-09"))}


def test_a_bare_surname_is_no_candidate_without_a_day_or_after_another_given_name(pipeline: Pipeline) -> None:
    body = "The G20 summit opened on Saturday in the capital. Modi said the first session went well."
    doc = read(pipeline, body, "en", published=None)
    assert all(p.leader is None or p.leader.name_en != "Narendra Modi" for p in doc.people)
    body = "The G20 summit opened on Saturday in the capital, and the writer Anil Modi covered it."
    doc = read(pipeline, body, "en", published="2023-09-09")
    assert all(p.leader is None or p.leader.name_en != "Narendra Modi" for p in doc.people)


@pytest.mark.parametrize(
    ("published", "body", "name_en"),
    [
        # state, title, then the name spelled another way
        (
            "2022-02-06",
            "The summit of the regional bloc opened on Sunday. Niger President Mohamed Bazoumi spoke first.",
            "Mohamed Bazoum",
        ),
        # the name, then its state in brackets
        (
            "2024-07-04",
            "The summit of the regional bloc opened on Thursday, attended by Olzhas Bektenof (Kazakhstan).",
            "Olzhas Bektenov",
        ),
    ],
)
def test_a_misspelled_head_beside_the_state_is_read_as_its_office_holder(
    pipeline: Pipeline, published: str, body: str, name_en: str
) -> None:
    person = read_person(read(pipeline, body, "en", published=published), name_en)
    assert person.signals["misspelled_head"] == 1.0


def test_a_name_beside_a_state_spelled_unlike_any_of_its_heads_is_no_one(pipeline: Pipeline) -> None:
    body = "The summit of the regional bloc opened on Sunday. Niger President Abdou Karimou spoke first."
    doc = read(pipeline, body, "en", published="2022-02-06")
    assert all(not p.signals.get("misspelled_head") for p in doc.people)


def test_a_crown_prince_beside_his_king_sees_the_higher_rank(pipeline: Pipeline) -> None:
    doc = read(
        pipeline,
        f"{OPENING}، وشارك فيه العاهل السعودي الملك سلمان بن عبدالعزيز "
        "يرافقه ولي العهد الأمير محمد بن سلمان.",
    )
    king = person_features(doc, read_person(doc, "Salman of Saudi Arabia"))
    prince = person_features(doc, read_person(doc, "Mohammed bin Salman"))
    assert (prince["same_state_higher"], prince["same_state_lower"]) == (1.0, 0.0)
    assert (king["same_state_higher"], king["same_state_lower"]) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("lang", "body", "published", "away", "present"),
    [
        (
            "ar",
            "انطلقت اليوم أعمال القمة العربية في العاصمة. ويغيب عن القمة العاهل المغربي الملك محمد السادس "
            "والرئيس الجزائري عبد العزيز بوتفليقة. وشارك في القمة أمير قطر الشيخ تميم بن حمد.",
            "2019-03-31",
            ("Mohammed VI of Morocco", "Abdelaziz Bouteflika"),
            "Tamim bin Hamad Al Thani",
        ),
        (
            "en",
            "The Arab League summit opened in the capital on Sunday. Absent were King Mohammed VI of Morocco "
            "and President Abdelaziz Bouteflika of Algeria, while Emir Tamim bin Hamad of Qatar attended.",
            "2019-03-31",
            ("Mohammed VI of Morocco", "Abdelaziz Bouteflika"),
            "Tamim bin Hamad Al Thani",
        ),
    ],
)
def test_every_name_of_a_list_of_absentees_is_read_as_absent(
    pipeline: Pipeline, lang: str, body: str, published: str, away: tuple[str, ...], present: str
) -> None:
    doc = read(pipeline, body, lang, published=published)
    for name_en in away:
        assert read_person(doc, name_en).signals["absent"] == 1.0, name_en
    assert read_person(doc, present).signals["absent"] == 0.0


def test_a_list_after_an_absentee_ends_at_a_word_of_standing_in(pipeline: Pipeline) -> None:
    body = (
        "انطلقت اليوم أعمال القمة العربية في العاصمة. ويغيب عن القمة العاهل المغربي الملك محمد السادس، "
        "ويمثله رئيس الحكومة سعد الدين العثماني."
    )
    doc = read(pipeline, body, "ar", published="2019-03-31")
    assert read_person(doc, "Mohammed VI of Morocco").signals["absent"] == 1.0
    assert read_person(doc, "Saadeddine Othmani").signals["absent"] == 0.0


def test_a_surname_alone_in_lower_case_is_no_name(pipeline: Pipeline) -> None:
    # "корр." (correspondent) reads as a leader's surname once a case ending is read off
    body = "Саммит ГУАМ откроется в Батуми в четверг, сообщает наш корр. из Тбилиси."
    doc = read(pipeline, body, "ru", published="2008-06-12")
    assert all(p.leader is None or p.leader.name_en != "Rafael Correa" for p in doc.people)


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ru",
            "Саммит ЕС открылся в Брюсселе. Председатель Европейского совета Дональд Туск призвал лидеров к "
            "единству.",
        ),
        (
            "en",
            "The EU summit opened in Brussels. European Council President Donald Tusk urged the leaders to "
            "unite.",
        ),
    ],
)
def test_with_no_day_known_a_former_head_who_headed_a_body_is_read_as_its_head_unless_titled_so(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    doc = read(pipeline, body, lang, published=None)
    assert [p.official.name_en for p in doc.people if p.official is not None] == ["Donald Tusk"]
    assert all(p.leader is None for p in doc.people)
    titled = "The EU summit opened in Brussels. Polish Prime Minister Donald Tusk urged the leaders to unite."
    doc = read(pipeline, titled, "en", published=None)
    assert [p.leader.name_en for p in doc.people if p.leader is not None] == ["Donald Tusk"]


def test_acting_on_behalf_of_a_head_does_not_read_the_head_as_represented(pipeline: Pipeline) -> None:
    body = (
        "انطلقت اليوم أعمال القمة العربية في العاصمة. وترأس القمة نيابة عن العاهل السعودي الملك سلمان بن "
        "عبدالعزيز ولي العهد الأمير محمد بن سلمان."
    )
    doc = read(pipeline, body, "ar", published="2023-05-19")
    assert read_person(doc, "Salman of Saudi Arabia").signals["represented"] == 0.0


def test_the_verb_for_chairing_with_a_preposition_is_no_ones_surname(pipeline: Pipeline) -> None:
    body = (
        "انطلقت اليوم أعمال القمة العربية في العاصمة. وأعلن الديوان أن الملك أمر بترأس ولي العهد وفد "
        "المملكة إلى القمة."
    )
    doc = read(pipeline, body, "ar", published="2018-04-15")
    assert all(p.leader is None or p.leader.country != "SR" for p in doc.people)


def test_a_leader_after_the_absence_of_is_read_as_absent(pipeline: Pipeline) -> None:
    body = (
        "انطلقت اليوم أعمال القمة العربية في العاصمة، وتأخرت الجلسة لغياب الرئيس الجزائري عبد العزيز "
        "بوتفليقة."
    )
    doc = read(pipeline, body, "ar", published="2018-04-15")
    assert read_person(doc, "Abdelaziz Bouteflika").signals["absent"] == 1.0


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "ar",
            "انطلقت اليوم أعمال القمة العربية في العاصمة. ويغيب خمسة قادة عن القمة، أبرزهم العاهل المغربي "
            "الملك محمد السادس والرئيسان الجزائري عبد العزيز بوتفليقة والسوداني عمر البشير. وشارك في القمة "
            "أمير قطر الشيخ تميم بن حمد.",
        ),
        (
            "en",
            "The Arab League summit opened in the capital on Sunday. Several leaders stayed away from the "
            "meeting, including King Mohammed VI of Morocco and President Abdelaziz Bouteflika of Algeria, "
            "while Emir Tamim bin Hamad of Qatar attended.",
        ),
    ],
)
def test_a_list_opened_by_most_notably_after_an_absence_word_is_read_as_absent(
    pipeline: Pipeline, lang: str, body: str
) -> None:
    doc = read(pipeline, body, lang, published="2019-03-31")
    for name_en in ("Mohammed VI of Morocco", "Abdelaziz Bouteflika"):
        assert read_person(doc, name_en).signals["absent"] == 1.0, name_en
    assert read_person(doc, "Tamim bin Hamad Al Thani").signals["absent"] == 0.0


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "en",
            "The summit of Central Asian leaders opened in Dushanbe on Friday at the invitation of President "
            "Emomali Rahmon of Tajikistan.",
        ),
        (
            "ar",
            "انطلقت في دوشنبه اليوم أعمال القمة التشاورية لقادة دول آسيا الوسطى تلبية لدعوة من الرئيس "
            "الطاجيكي إمام علي رحمان.",
        ),
        (
            "ru",
            "В Душанбе открылся саммит лидеров стран Центральной Азии по приглашению президента Таджикистана "
            "Эмомали Рахмона.",
        ),
    ],
)
def test_the_host_who_invites_is_not_read_as_invited(pipeline: Pipeline, lang: str, body: str) -> None:
    doc = read(pipeline, body, lang, published="2023-09-15")
    assert read_person(doc, "Emomali Rahmon").signals["invited"] == 0.0


def test_and_written_on_a_negation_reads_the_absence_word(pipeline: Pipeline) -> None:
    # "ولن يحضر" is "لن يحضر" (will not attend) with "and" written on: three letters, shorter than the
    # four a word needs for its conjunction to be stripped, so the absence cue was not read before
    body = (
        f"{OPENING}، بمشاركة رؤساء كازاخستان وقرغيزستان وطاجيكستان وأوزبكستان. "
        "ولن يحضر القمة الرئيس التركمانستاني سردار بيردي محمدوف بسبب ارتباطات سابقة."
    )
    doc = read(pipeline, body)
    assert read_person(doc, "Serdar Berdimuhamedow").signals["absent"] == 1.0


@pytest.mark.parametrize(
    ("lang", "body", "place"),
    [
        (
            "en",
            "The summit of the Organization of Turkic States opened in Gabala on Thursday at the Heydar "
            "Aliyev Center. President Ilham Aliyev welcomed President Recep Tayyip Erdogan.",
            "Heydar Aliyev",
        ),
        (
            "ar",
            "انطلقت اليوم في مدينة قبلة القمة الحادية عشرة لمنظمة الدول التركية في مركز حيدر علييف، "
            "واستقبل الرئيس الأذربيجاني إلهام علييف الرئيس التركي رجب طيب أردوغان.",
            "Heydar Aliyev",
        ),
        (
            "ru",
            "Саммит Совета глав государств СНГ пройдет 9 октября в городе Туркменбаши. В заседании примут "
            "участие Президент России Владимир Путин и Президент Казахстана Касым-Жомарт Токаев.",
            "Saparmurat Niyazov",
        ),
    ],
)
def test_a_place_named_after_someone_is_no_mention_of_them(
    pipeline: Pipeline, lang: str, body: str, place: str
) -> None:
    doc = read(pipeline, body, lang)
    people = {p.leader.name_en for p in doc.people if p.leader is not None}
    assert place not in people
    assert len(people) >= 2  # the heads named beside the place are still read


def test_a_fathers_name_before_a_turkic_patronymic_is_no_mention_of_a_leader(pipeline: Pipeline) -> None:
    # "Якуб Абдулла оглы Эюбов": "Абдулла" is the father's name inside the vice-premier's full name
    body = (
        "В Минске прошло заседание Совета глав правительств СНГ. Азербайджан представляет первый "
        "вице-премьер Эюбов Якуб Абдулла оглы, Россию - Председатель Правительства Дмитрий Медведев."
    )
    doc = read(pipeline, body, "ru", "2017-10-27")
    people = {p.leader.name_en for p in doc.people if p.leader is not None}
    assert "Abdullah II of Jordan" not in people
    assert "Dmitry Medvedev" in people


def test_a_title_before_a_city_that_is_also_a_name_keeps_the_person(pipeline: Pipeline) -> None:
    body = (
        "В Ашхабаде прошел саммит глав государств СНГ. Президент Туркменистана Туркменбаши открыл "
        "заседание, в котором приняли участие Президент России Владимир Путин и другие лидеры."
    )
    doc = read(pipeline, body, "ru", "2005-08-26")
    assert "Saparmurat Niyazov" in {p.leader.name_en for p in doc.people if p.leader is not None}
