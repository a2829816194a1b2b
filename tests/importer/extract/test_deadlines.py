import datetime as dt

from generator.importer.extract.deadlines import extract_deadlines
from tests.importer.conftest import context


def test_full_and_month_day_deadlines():
    ctx = context("1.网上填报。申报单位于2025年6月30日前登录系统在线填报。\n"
                  "2.材料报送。申报单位于7月10日前将纸质申报书报送至市科技局。\n"
                  "项目周期：2026年10月31日前完成。\n")
    got = extract_deadlines(ctx, dt.date(2025, 5, 26))
    assert [(d["label"], d["date"], d.get("year_inferred", False)) for d in got] == [
        ("网上填报截止", dt.date(2025, 6, 30), False),
        ("材料报送截止", dt.date(2025, 7, 10), True),
    ]
    assert got[1]["text"] == "申报单位于7月10日前将纸质申报书报送至市科技局"


def test_unknown_year_is_kept_as_written():
    ctx = context("请于11月30日前发送至邮箱。\n")
    got = extract_deadlines(ctx, None)
    assert got == [{"label": "申报截止", "date": None, "text": "请于11月30日前发送至邮箱", "month": 11, "day": 30}]
    assert ctx.findings.items[0].status == "ambiguous"


def test_no_deadline_is_null_and_reported():
    ctx = context("各单位认真组织。\n")
    assert extract_deadlines(ctx, None) == [{"label": "申报截止", "date": None}]
    assert ctx.findings.items[0].status == "not_found"


def test_deadlines_written_with_until_weekday_or_hour():
    ctx = context("申报时间：即日起至2024年5月31日，逾期不予受理。\n"
                  "请于2024年6月14日（星期五）17:00前提交材料。\n"
                  "报名截止时间：2024年6月20日。\n")
    got = extract_deadlines(ctx, dt.date(2024, 5, 1))
    assert [d["date"] for d in got] == [dt.date(2024, 5, 31), dt.date(2024, 6, 14), dt.date(2024, 6, 20)]


def test_deadline_named_for_whom_it_is():
    ctx = context("学会对照“服务专项”项目，精选推荐于2022年6月5日前完成申报；"
                  "一流学会、创新特色学会于2022年11月10日前完成申报。\n"
                  "各申报单位于2022年3月31日前报送。\n")
    assert [d["label"] for d in extract_deadlines(ctx, dt.date(2022, 3, 1))] == [
        "服务专项申报截止", "一流学会、创新特色学会申报截止", "申报截止"]
