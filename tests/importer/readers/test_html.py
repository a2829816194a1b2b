from generator.importer.readers import read_document


def test_saved_page_keeps_the_article_and_drops_the_site(fixtures):
    lines = read_document(fixtures / "county-kx-2024.html").lines
    text = "\n".join(lines)
    assert lines[0] == "关于开展2024年度青禾县基层科普项目申报工作的通知"
    assert "青科协发〔2024〕3号" in text
    assert "2024年3月12日" in lines[-1]
    for noise in ("网站地图", "当前位置", "热点新闻", "浏览次数", "1287", "打印本页", "上一篇", "友情链接",
                  "版权所有", "访客", "澳门", "注册即送"):
        assert noise not in text, noise


def test_hidden_text_and_counters_are_dropped(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>关于申报的通知_通知公告</title></head><body><div class='nav'>首页</div>"
        "<div class='content'><h1>关于申报的通知</h1><p>各市级学会：</p>"
        "<p style='display:none'>隐藏的广告文字</p>"
        + "".join(f"<p>第{i}条：请按要求认真组织申报工作，确保材料真实完整。</p>" for i in range(8))
        + "<p>阅读次数：52</p></div></body></html>",
        encoding="utf-8",
    )
    text = "\n".join(read_document(page).lines)
    assert "各市级学会：" in text
    assert "隐藏的广告文字" not in text
    assert "阅读次数" not in text


def test_a_notice_s_own_link_is_kept(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>关于申报的通知</title></head><body><div class='content'><h1>关于申报的通知</h1>"
        + "".join(f"<p>第{i}条：请按要求认真组织申报工作，确保材料真实完整。</p>" for i in range(8))
        + "<p><a href='http://kjxm.example.cn/'>http://kjxm.example.cn/</a></p>"
        "<p><a href='https://casino.example/x'>在线娱乐注册即送</a></p></div></body></html>",
        encoding="utf-8",
    )
    text = "\n".join(read_document(page).lines)
    assert "http://kjxm.example.cn/" in text
    assert "注册即送" not in text


def test_a_page_laid_out_in_tables_gives_no_form(tmp_path):
    from generator.importer.command import extract

    page = tmp_path / "p.html"
    page.write_bytes((
        "<html><head><meta charset='gbk'><title>关于开展科普日活动的通知</title></head><body><table><tr><td>"
        "<a href='/'>首页</a></td></tr><tr><td><table><tr><td>栏目</td><td>"
        "<p>关于开展科普日活动的通知</p><p>各市级学会：</p>"
        + "".join(f"<p>第{i}条：请各单位于2024年8月20日前将活动计划报送至市科协科普部。</p>" for i in range(6))
        + "<p>菏泽市科学技术协会</p><p>2024年7月30日</p></td></tr></table></td></tr></table></body></html>"
    ).encode("gbk"))
    doc = read_document(page)
    assert not any(line.startswith("\t") for line in doc.lines)
    data, _ = extract(doc, "x")
    assert "forms" not in data
    assert data["issuer"]["name"] == "菏泽市科学技术协会"
