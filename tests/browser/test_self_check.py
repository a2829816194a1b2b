"""江苏 self-assessment: ticking indicators adds up their points, as the indicator table says."""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Error as PlaywrightError

from . import expect


def _total(page, want: int | None = None) -> int:
    """The total the page shows; with ``want``, first give the page a moment to show it."""
    total = page.locator("[data-kx=score-total]")
    if want is not None:
        # On timeout the caller's assertion reports what the page shows.
        with contextlib.suppress(PlaywrightError):
            page.wait_for_function(
                "([el, want]) => (el.textContent.match(/\\d+/) || [''])[0] === String(want)",
                arg=[total.element_handle(), want],
                timeout=3000,
            )
    text = total.inner_text()
    numbers = re.findall(r"\d+", text)
    assert numbers, f"the total shows no number: {text!r}"
    return int(numbers[0])


def _tick(page, selector: str) -> None:
    for box in page.locator(selector).all():
        box.check()


def test_points_on_the_page_are_the_indicator_table(page, calls, site_dir):
    table = expect.by_id(calls, expect.SELF_CHECK_CALL).indicators
    assert table is not None
    page.goto(expect.self_check_path(site_dir))
    points = page.locator("[data-kx=score-item]").evaluate_all("els => els.map(e => Number(e.dataset.points))")
    want = [i.points for g in table.groups for i in g.indicators]
    assert sorted(points) == sorted(want)
    bonus = page.locator("[data-kx=score-bonus]").evaluate_all("els => els.map(e => Number(e.dataset.points))")
    assert sorted(bonus) == sorted(b.points for b in table.bonus)


def test_ticking_adds_up_the_points(page, calls, site_dir):
    table = expect.by_id(calls, expect.SELF_CHECK_CALL).indicators
    page.goto(expect.self_check_path(site_dir))
    assert _total(page) == 0, "nothing ticked yet"

    first = table.groups[0]
    items = page.locator("[data-kx=score-item]")
    # Tick the first group's indicators one by one and watch the total grow.
    running = 0
    for n in range(len(first.indicators)):
        box = items.nth(n)
        box.check()
        running += int(box.get_attribute("data-points"))
        assert _total(page, running) == running
    assert running == first.points

    _tick(page, "[data-kx=score-item]")
    assert _total(page, table.total) == table.total
    _tick(page, "[data-kx=score-bonus]")
    full = table.total + sum(b.points for b in table.bonus)
    assert _total(page, full) == full

    items.nth(0).uncheck()
    less = full - int(items.nth(0).get_attribute("data-points"))
    assert _total(page, less) == less


def test_self_check_works_by_keyboard(page, site_dir):
    page.goto(expect.self_check_path(site_dir))
    box = page.locator("[data-kx=score-item]").first
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    points = int(box.get_attribute("data-points"))
    assert _total(page, points) == points


def test_ticks_and_fields_are_kept_after_reload(page, site_dir):
    """The browser keeps the ticks (localStorage): a reader can come back to the list."""
    page.goto(expect.self_check_path(site_dir))
    items = page.locator("[data-kx=score-item]")
    items.nth(0).check()
    items.nth(2).check()
    page.locator("[data-kx=score-field][name=unit]").fill("某某县科协")
    page.locator("[data-kx=score-field][name=date]").fill("2026-11-30")
    want = int(items.nth(0).get_attribute("data-points")) + int(items.nth(2).get_attribute("data-points"))
    assert _total(page, want) == want

    page.reload()
    assert items.nth(0).is_checked() and items.nth(2).is_checked() and not items.nth(1).is_checked()
    assert _total(page, want) == want
    assert page.locator("[data-kx=score-field][name=unit]").input_value() == "某某县科协"
    assert page.locator("[data-kx=score-field][name=date]").input_value() == "2026-11-30"

    page.locator("[data-kx=score-reset]").click()
    page.reload()
    assert _total(page, 0) == 0


def test_print_button_prints_the_score_and_fields_first(page, site_dir):
    page.goto(expect.self_check_path(site_dir))
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button = page.locator("[data-kx=score-print]")
    assert button.is_visible() and button.inner_text() == "打印自评表"
    page.locator("[data-kx=score-item]").first.check()
    button.click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    assert not button.is_visible(), "the button is not printed"
    score = page.locator(".kx-score").first
    assert score.evaluate("e => getComputedStyle(e).position") == "static", "no sticky bar over an item"
    # The unit and date fields and the score come before the first indicator.
    unit = page.locator("[data-kx=score-field][name=unit]").bounding_box()
    first = page.locator(".kx-item").first.bounding_box()
    assert unit["y"] < score.bounding_box()["y"] < first["y"]
    # Nothing overlaps an indicator in print.
    box = score.bounding_box()
    for item in page.locator(".kx-item").all()[:5]:
        b = item.bounding_box()
        assert b["y"] >= box["y"] + box["height"] or b["y"] + b["height"] <= box["y"]
