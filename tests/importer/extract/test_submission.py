from generator.importer.extract.submission import extract_submission
from tests.importer.conftest import context


def test_methods_copies_recipient_and_paper():
    ctx = context("请于4月15日前将申报表纸质版一式2份报送至县科协科普部（人民路18号），"
                  "电子版发送至qh_kpb@163.com，逾期不予受理。\n")
    got = extract_submission(ctx)
    assert got["methods"] == ["email", "paper"]  # paper copies: post or in person is not said
    assert got["copies"] == 2
    assert got["paper"] == "submit"
    assert got["recipient"] == "县科协科普部"
    assert got["emails"] == ["qh_kpb@163.com"]
    assert got["late_policy"] == "逾期不予受理"


def test_paper_kept_or_not_sent():
    assert extract_submission(context("扫描件于11月30日前发送至责任部室邮箱，纸质版自行留存。\n"))["paper"] == "keep"
    got = extract_submission(context("于8月20日前发送至省科协办公室邮箱，纸质版不需要寄送。\n"))
    assert got["paper"] == "not_required"
    assert got["recipient"] == "省科协办公室"
    assert "post" not in got["methods"]


def test_a_heading_is_not_the_hand_in_sentence():
    ctx = context("二、报送要求\n请于2024年10月18日前将推荐表纸质版一式一份送镇科协（镇政府二楼206室）。\n")
    got = extract_submission(ctx)
    assert got["text"] == "请于2024年10月18日前将推荐表纸质版一式一份送镇科协（镇政府二楼206室）。"
    assert got["copies"] == 1
