from generator.importer.extract.process import extract_process
from tests.importer.conftest import context


def test_named_steps_and_publicity():
    ctx = context("三、组织实施\n1.广泛组织申报。各单位要高度重视。\n"
                  "2.严格遴选程序。公示期为5个工作日，期满无异议后确定。\n"
                  "四、有关要求\n1.加强管理。正文。\n")
    got = extract_process(ctx)
    assert [s["name"] for s in got["stages"]] == ["广泛组织申报", "严格遴选程序"]
    assert got["publicity"] == {"days": 5, "working_days": True, "at_least": False,
                                "text": "公示期为5个工作日，期满无异议后确定"}
