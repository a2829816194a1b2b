import datetime as dt

import pytest

from generator.importer.numerals import FULL_DATE, MONTH_DAY, cn_int, full_date, infer_year


@pytest.mark.parametrize(("text", "value"), [("4", 4), ("十", 10), ("十二", 12), ("二十三", 23),
                                              ("三十", 30), ("二〇二二", 2022), ("两", 2), ("甲", None)])
def test_cn_int(text, value):
    assert cn_int(text) == value


@pytest.mark.parametrize(("text", "date"), [
    ("2022年3月8日", dt.date(2022, 3, 8)),
    ("2022 年 8月 11 日", dt.date(2022, 8, 11)),
    ("二〇二二年三月八日", dt.date(2022, 3, 8)),
    ("二○二五年四月二十一日", dt.date(2025, 4, 21)),
    ("2022年2月30日", None),
])
def test_full_dates(text, date):
    assert full_date(FULL_DATE.search(text)) == date


def test_month_day_is_not_part_of_a_full_date():
    assert [m.group().strip() for m in MONTH_DAY.finditer("于2022年3月31日前，或于 8 月 20 日前")] == ["8 月 20 日"]


def test_year_inferred_from_the_issue_date_rolls_over():
    assert infer_year(11, 30, dt.date(2022, 11, 8)) == dt.date(2022, 11, 30)
    assert infer_year(1, 10, dt.date(2022, 12, 20)) == dt.date(2023, 1, 10)
