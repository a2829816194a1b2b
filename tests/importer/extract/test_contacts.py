from generator.importer.extract.contacts import extract_contacts
from tests.importer.conftest import context


def test_groups_as_the_notice_groups_them():
    ctx = context(
        "联系方式：办公室，电话：0537-3739895;邮箱：jnskxb@163.com。\n申报要求：……\n"
        "联系方式：学会部，电话：0537-3739896;邮箱：jnskxxhb@163.com。\n"
        "联系方式：办公室，电话：0537-3739895;邮箱：jnskxb@163.com。\n"
    )
    got = extract_contacts(ctx)
    assert [(c["department"], c["phones"], c["emails"]) for c in got] == [
        ("办公室", ["0537-3739895"], ["jnskxb@163.com"]),
        ("学会部", ["0537-3739896"], ["jnskxxhb@163.com"]),
    ]


def test_names_written_with_spaces_and_an_address():
    ctx = context("报送地址：柳叶大道2999号，常德市科协学会部1010室\n\n电子邮箱：cdkx@163.com\n"
                  "联 系 人：李文庆  谢  坤\n联系电话：7256979\n")
    (got,) = extract_contacts(ctx)
    assert got["names"] == ["李文庆", "谢坤"]
    assert got["phones"] == ["7256979"]
    assert got["address"] == "柳叶大道2999号"
    assert got["department"] == "常德市科协学会部"


def test_department_label_before_a_person_starts_a_group():
    ctx = context("科普科：王立新，电话：0539-8123456\n系统技术支持：李青，电话：0539-8123457\n")
    got = extract_contacts(ctx)
    assert [(c.get("department"), c["names"]) for c in got] == [("科普科", ["王立新"]), (None, ["李青"])]


def test_a_sentence_with_an_email_is_not_a_contact():
    ctx = context("请于9月15日前将推荐表电子版发送至区科协邮箱dlqkx@126.com，纸质版送区科协办公室。\n")
    assert extract_contacts(ctx) == []


def test_several_numbers_written_together_keep_their_writing():
    ctx = context("联系电话：0531-82073271、82073208\n 邮箱：skxbgsgy@shandong.cn\n")
    (got,) = extract_contacts(ctx)
    assert got["phones"] == ["0531-82073271", "82073208"]
    assert got["phones_text"] == "0531-82073271、82073208"


def test_contact_person_and_phone_label():
    (got,) = extract_contacts(context("联系人及电话：周明远 0734-5521806\n"))
    assert got["names"] == ["周明远"] and got["phones"] == ["0734-5521806"]


def test_a_phone_s_line_is_not_inside_an_email():
    ctx = context("电子邮箱：cdkx7256979@163.com\n联 系 人：李文庆\n联系电话：7256979\n")
    extract_contacts(ctx)
    lines = {f.field: f.line for f in ctx.findings.items}
    assert lines["contacts[0].phones"] == 3
    assert lines["contacts[0].emails"] == 1
