"""Formal-session days of meetings.toml as the date rows read them: the day reports date a meeting by is
its first day; the days before it (arrivals, ministers' councils, the conference's own opening) are not."""

from __future__ import annotations

import pytest

from handlers.dates import DateMention
from handlers.features import _calendar_day
from handlers.meetings import Calendar


def _row(fmt: str, day: str) -> dict[str, float]:
    row: dict[str, float] = {}
    _calendar_day(Calendar.load().candidates(fmt), DateMention(0, 10, day, None, False), row)
    return row


@pytest.mark.parametrize(
    ("fmt", "formal", "before"),
    [
        ("cop", "2024-11-12", "2024-11-11"),  # COP29: the World Leaders Climate Action Summit
        ("cop", "2023-12-01", "2023-11-30"),  # COP28: the World Climate Action Summit
        ("asean", "2019-06-22", "2019-06-20"),  # the 34th: the plenary session
        ("guam", "2007-06-19", "2007-06-18"),  # Baku: the foreign ministers met the day before
    ],
)
def test_a_meetings_formal_day_reads_as_its_first_day(fmt: str, formal: str, before: str) -> None:
    assert _row(fmt, formal)["calendar_first_day"] == 1.0
    early = _row(fmt, before)
    assert early["calendar_first_day"] == 0.0
    assert early["calendar_before_main_day"] == 1.0


def test_the_cis_heads_of_government_meeting_of_2022_is_a_meeting_day() -> None:
    assert _row("cis", "2022-10-28")["calendar_first_day"] == 1.0
    assert _row("cis", "2022-10-27")["calendar_eve"] == 1.0


@pytest.mark.parametrize("day", ["2015-05-29", "2017-11-03", "2018-11-02", "2019-05-31"])
def test_the_cis_heads_of_government_meetings_listed_are_meeting_days(day: str) -> None:
    # the Council of Heads of Government meets apart from the heads of state: its days are first days,
    # not days "near a meeting of the format that are none" (the heads of state met in October 2017)
    row = _row("cis", day)
    assert row["calendar_first_day"] == 1.0
    assert row["calendar_near_no_meeting_day"] == 0.0


@pytest.mark.parametrize(
    ("fmt", "day"),
    [
        ("ots", "2020-04-10"),  # the extraordinary summit by videoconference on the pandemic
        ("brics", "2023-11-21"),  # the extraordinary online summit on Gaza
        ("cis", "2025-12-22"),  # the informal meeting in Saint Petersburg
    ],
)
def test_extraordinary_and_informal_meetings_listed_are_meeting_days(fmt: str, day: str) -> None:
    row = _row(fmt, day)
    assert row["calendar_first_day"] == 1.0
    assert row["calendar_near_no_meeting_day"] == 0.0


@pytest.mark.parametrize(("first", "formal"), [("2024-10-15", "2024-10-16"), ("2025-11-17", "2025-11-18")])
def test_the_sco_heads_of_government_meetings_days_written_out_start_on_their_first_day(
    first: str, formal: str
) -> None:
    # two-day meetings of the SCO's Council of Heads of Government: the formal session's day reads as the
    # first, the day before it alone does not, and the two days written out ("17-18 November") state the first
    assert _row("sco", formal)["calendar_first_day"] == 1.0
    assert _row("sco", first)["calendar_before_main_day"] == 1.0
    span: dict[str, float] = {}
    _calendar_day(Calendar.load().candidates("sco"), DateMention(0, 10, first, formal, False), span)
    assert span["calendar_first_day"] == 1.0


def test_the_seventh_central_asian_consultative_meeting_runs_over_two_days() -> None:
    assert _row("c5-consultative", "2025-11-16")["calendar_first_day"] == 1.0
    span: dict[str, float] = {}
    known = Calendar.load().candidates("c5-consultative")
    _calendar_day(known, DateMention(0, 10, "2025-11-15", "2025-11-16", False), span)
    assert span["calendar_first_day"] == 1.0


@pytest.mark.parametrize(
    ("fmt", "first", "formal"), [("cis", "2018-09-27", "2018-09-28"), ("cica", "2019-06-14", "2019-06-15")]
)
def test_a_meetings_eve_of_talks_and_dinner_is_its_first_day_when_written_out_with_the_formal_one(
    fmt: str, first: str, formal: str
) -> None:
    assert _row(fmt, formal)["calendar_first_day"] == 1.0
    assert _row(fmt, first)["calendar_before_main_day"] == 1.0
    span: dict[str, float] = {}
    _calendar_day(Calendar.load().candidates(fmt), DateMention(0, 10, first, formal, False), span)
    assert span["calendar_first_day"] == 1.0
