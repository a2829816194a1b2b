from generator.importer.script import Restorer, to_simplified


def test_shadow_has_the_same_length_and_simplified_characters():
    original = "關於申報2025年度校級學術交流資助項目的通知，聯繫人：林曉雯"
    shadow = to_simplified(original)
    assert len(shadow) == len(original)
    assert shadow.startswith("关于申报2025年度校级学术交流资助项目的通知")


def test_values_are_restored_as_written_across_line_breaks():
    original = "請於5月20日前報送至校科協\n辦公室。"
    restore = Restorer(original, to_simplified(original))
    assert restore("校科协办公室") == "校科協辦公室"
    assert restore("不在原文") == "不在原文"


def test_simplified_text_is_left_alone():
    text = "关于申报的通知"
    assert Restorer(text, to_simplified(text))("申报") == "申报"
