"""Benchmark inputs: the bundled samples, the labelled dev set when present, and generated non-summit news.

The dev set (../shared/eval/dev.jsonl) is read at bench time only; none of its text is kept in this repo.
Non-summit filler is built from sentence templates written here (Arabic, English, Russian), seeded.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from consumer.demo import sample_lines
from schemas import RawArticle

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev.jsonl"
_ARTICLE_FIELDS = ("id", "url", "source", "language", "published_at", "title", "body")

_CITIES = {
    "ar": (
        "القاهرة",
        "الرياض",
        "عمّان",
        "بيروت",
        "الدار البيضاء",
        "تونس",
        "الدوحة",
        "دبي",
        "بغداد",
        "الخرطوم",
    ),
    "en": (
        "Manchester",
        "Chicago",
        "Lyon",
        "Osaka",
        "Melbourne",
        "Toronto",
        "Leeds",
        "Denver",
        "Porto",
        "Bristol",
    ),
    "ru": (
        "Казани",
        "Новосибирске",
        "Екатеринбурге",
        "Самаре",
        "Перми",
        "Омске",
        "Уфе",
        "Воронеже",
        "Томске",
    ),
}
_SENTENCES = {
    "ar": (
        "ارتفعت أسعار الذهب في السوق المحلية بنسبة {n} في المئة خلال تعاملات اليوم.",
        "أعلنت هيئة الأرصاد الجوية عن موجة حر تضرب {city} مع درجات حرارة تتجاوز {n} درجة مئوية.",
        "فاز فريق النادي الأهلي على منافسه بنتيجة {k} أهداف مقابل هدف في الدوري الممتاز.",
        "افتتح محافظ المدينة مستشفى جديداً في {city} بطاقة استيعابية تبلغ {m} سرير.",
        "قال البنك المركزي إن معدل التضخم تراجع إلى {n} في المئة في الربع الأخير.",
        "شهدت شوارع {city} ازدحاماً مرورياً كبيراً بسبب أعمال صيانة الطرق.",
        "أطلقت شركة ناشئة تطبيقاً جديداً لتوصيل الطلبات يخدم أكثر من {m} ألف مستخدم.",
        "انطلق مهرجان الكتاب السنوي في {city} بمشاركة {m} دار نشر من عدة بلدان.",
        "حذرت وزارة الصحة من انتشار الإنفلونزا الموسمية ودعت المواطنين إلى التطعيم.",
        "سجلت صادرات التمور نمواً ملحوظاً هذا العام بحسب بيانات غرفة التجارة.",
        "أعلنت الجامعة عن فتح باب التسجيل لبرامج الدراسات العليا حتى نهاية الشهر.",
        "تواصل فرق الدفاع المدني جهودها لإخماد حريق اندلع في مستودع بضواحي {city}.",
        "وقال المتحدث إن أعمال البناء ستكتمل قبل نهاية العام المقبل وفق الجدول الزمني.",
        "ارتفع عدد السياح الوافدين إلى {city} إلى نحو {m} ألف زائر خلال الصيف.",
        "يستعد المنتخب الوطني لخوض مباراة ودية استعداداً للتصفيات القارية.",
    ),
    "en": (
        "Gold prices rose {n} percent in early trading as investors sought safer assets.",
        "Forecasters warned of a heatwave in {city}, with temperatures expected to top {n} degrees.",
        "The home side won {k}-1 on Saturday, lifting them to third place in the league.",
        "A new hospital with {m} beds opened in {city} after three years of construction.",
        "The central bank said inflation eased to {n} percent in the last quarter.",
        "Commuters in {city} faced long delays after a signal failure on the main line.",
        "A local start-up launched a delivery app that now serves more than {m} thousand users.",
        "The annual book fair opened in {city} with {m} publishers from around the world.",
        "Health officials urged residents to get their seasonal flu vaccine before winter.",
        "Exports of farm produce grew strongly this year, according to the chamber of commerce.",
        "The university opened applications for its graduate programmes until the end of the month.",
        "Firefighters spent the night tackling a blaze at a warehouse on the outskirts of {city}.",
        "The spokesperson said construction would finish before the end of next year, on schedule.",
        "Tourist arrivals in {city} climbed to about {m} thousand over the summer season.",
        "The national team is preparing for a friendly match ahead of the qualifiers.",
    ),
    "ru": (
        "Цены на золото выросли на {n} процента в начале торгов на фоне спроса на защитные активы.",
        "Синоптики предупредили о жаре в {city}: температура может превысить {n} градусов.",
        "Хозяева поля победили со счётом {k}:1 и поднялись на третье место в таблице.",
        "В {city} после трёх лет строительства открылась новая больница на {m} коек.",
        "Центральный банк сообщил, что инфляция замедлилась до {n} процента в последнем квартале.",
        "Жители {city} столкнулись с пробками из-за ремонта дорог в центре города.",
        "Местный стартап запустил приложение доставки, которым пользуются более {m} тысяч человек.",
        "В {city} открылась ежегодная книжная ярмарка, в которой участвуют {m} издательств.",
        "Врачи призвали жителей сделать прививку от сезонного гриппа до начала зимы.",
        "Экспорт сельхозпродукции в этом году заметно вырос, сообщили в торговой палате.",
        "Университет открыл приём заявок в магистратуру до конца месяца.",
        "Пожарные всю ночь тушили возгорание на складе на окраине города.",
        "Представитель компании заявил, что строительство завершится до конца следующего года.",
        "Поток туристов в {city} за лето вырос примерно до {m} тысяч человек.",
        "Сборная готовится к товарищескому матчу перед отборочными играми.",
    ),
}


@dataclass(frozen=True)
class Corpus:
    """The articles of one benchmark run, and where they came from."""

    articles: tuple[RawArticle, ...]
    summit_like: int  # samples + dev articles (the labelled side)
    filler: int
    dev_included: bool

    def describe(self) -> str:
        dev = "dev set included" if self.dev_included else "dev set absent: samples only"
        return (
            f"{len(self.articles)} articles ({self.summit_like} labelled-side + {self.filler} filler; {dev})"
        )


def article_doc(raw: dict[str, Any]) -> dict[str, Any]:
    """The article fields of a JSON line (gold labels and notes dropped; `content`/`text` -> `body`)."""
    body = next((raw[k] for k in ("body", "content", "text") if raw.get(k)), "")
    return {**{name: raw[name] for name in _ARTICLE_FIELDS if name in raw}, "body": body}


def labelled_documents(include_dev: bool = True) -> tuple[list[dict[str, Any]], bool]:
    """The sample articles, plus the dev articles when ../shared is present (gold labels dropped)."""
    docs = [article_doc(orjson.loads(line)) for line in sample_lines()]
    if include_dev and DEV_SET.is_file():
        with DEV_SET.open("rb") as handle:
            docs += [article_doc(orjson.loads(line)) for line in handle if line.strip()]
        return docs, True
    return docs, False


def filler_paragraph(rng: random.Random, lang: str, sentences: int) -> str:
    """A paragraph of non-summit news in `lang`, from the templates above."""
    picked = rng.sample(_SENTENCES[lang], k=min(sentences, len(_SENTENCES[lang])))
    return " ".join(
        s.format(
            city=rng.choice(_CITIES[lang]), n=rng.randint(2, 45), k=rng.randint(2, 5), m=rng.randint(20, 900)
        )
        for s in picked
    )


def filler_documents(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """`count` generated non-summit articles, languages in the proportion ar 3 : en 1 : ru 1."""
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        lang = ("ar", "ar", "ar", "en", "ru")[i % 5]
        paragraphs = [filler_paragraph(rng, lang, rng.randint(3, 6)) for _ in range(rng.randint(2, 4))]
        docs.append(
            {
                "id": f"filler-{i}",
                "url": f"https://news.example/{lang}/{i}",
                "language": lang,
                "published_at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "body": "\n\n".join(paragraphs),
            }
        )
    return docs


def mixed_documents(total: int, *, include_dev: bool = True) -> tuple[list[dict[str, Any]], Corpus]:
    """The labelled side plus as many filler articles, cycled to `total` documents with unique ids."""
    labelled, dev = labelled_documents(include_dev)
    filler = filler_documents(len(labelled))
    base = [doc for pair in zip(labelled, filler, strict=True) for doc in pair]  # alternate the two
    docs = [
        {**doc, "id": f"r{i // len(base)}-{doc.get('id') or f'labelled-{i % len(base)}'}"}
        for i, doc in zip(range(total), _cycle(base), strict=False)
    ]
    corpus = Corpus(
        articles=(),
        summit_like=sum(1 for d in docs if "filler-" not in d["id"]),
        filler=sum(1 for d in docs if "filler-" in d["id"]),
        dev_included=dev,
    )
    return docs, corpus


def mixed_corpus(total: int, *, include_dev: bool = True) -> Corpus:
    """`mixed_documents` validated as RawArticles."""
    docs, corpus = mixed_documents(total, include_dev=include_dev)
    return Corpus(
        articles=tuple(RawArticle.model_validate(d) for d in docs),
        summit_like=corpus.summit_like,
        filler=corpus.filler,
        dev_included=corpus.dev_included,
    )


def _cycle(items: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    while True:
        yield from items


def sized_documents(kilobytes: int, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` labelled-side articles whose bodies are padded with filler to `kilobytes` KB of UTF-8."""
    rng = random.Random(seed)
    labelled, _ = labelled_documents()
    target = kilobytes * 1024
    docs = []
    for i, doc in zip(range(count), _cycle(labelled), strict=False):
        lang = str(doc["language"]) if doc.get("language") in _SENTENCES else "en"
        body = str(doc["body"])
        while len(body.encode()) < target:
            body += "\n\n" + filler_paragraph(rng, lang, 6)
        body = body.encode()[:target].decode("utf-8", "ignore").rstrip()
        docs.append({**doc, "id": f"size{kilobytes}-{i}", "body": body})
    return docs
