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
