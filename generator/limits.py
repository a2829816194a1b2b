"""How big one call may be: limits checked when the data is loaded, before any rendering.

A build holds a call's pages, forms and guideline in memory while it renders them; a data
file just under the 2 MB size limit with 10,000 categories needed 3.1 GB (a 1,507-page
guideline PDF, a 7.8 MB page). The limits below are far above any real notice (the largest
of the seeded notices has 21 categories, 3 forms and 49,000 characters of data). Measured
with the sample call (``--jobs 1``): 300 short categories build in 17 s with at most 265 MB;
199,000 characters in 82 long categories give a 113-page guideline and a 588 KB page in
20 s with at most 205 MB.
"""

from __future__ import annotations

from .formset import forms_of
from .models import Call

#: Categories in one call, at every level.
MAX_CATEGORIES = 300
#: Forms in one call (with those generated from its indicator table).
MAX_FORMS = 40
#: Characters of data in one call (its fields as JSON).
MAX_CALL_TEXT = 200_000
#: Characters of data in one form.
MAX_FORM_TEXT = 100_000

Problem = tuple[tuple[str | int, ...], str, str]


def problems(call: Call) -> list[Problem]:
    """What in ``call`` is over a limit.

    Parameters:
        call: A validated call.

    Returns:
        ``(field path, Chinese message, English message)`` for each limit exceeded.
    """
    out: list[Problem] = []
    categories = sum(1 for _ in call.all_categories())
    if categories > MAX_CATEGORIES:
        out.append((("categories",),
                    f"项目类别过多（{categories} 个，上限 {MAX_CATEGORIES} 个），请拆分为多个通知或合并类别",
                    f"too many categories ({categories}, at most {MAX_CATEGORIES}); split the call"))
    forms = forms_of(call)
    if len(forms) > MAX_FORMS:
        out.append((("forms",), f"表单过多（{len(forms)} 份，上限 {MAX_FORMS} 份）",
                    f"too many forms ({len(forms)}, at most {MAX_FORMS})"))
    for n, form in enumerate(call.forms):
        size = len(form.model_dump_json())
        if size > MAX_FORM_TEXT:
            out.append((("forms", n),
                        f"表单内容过多（{size} 字符，上限 {MAX_FORM_TEXT} 字符），请拆分为多份表单",
                        f"form too large ({size} characters, at most {MAX_FORM_TEXT}); split it"))
    size = len(call.model_dump_json())
    if size > MAX_CALL_TEXT:
        out.append(((), f"通知数据过多（{size} 字符，上限 {MAX_CALL_TEXT} 字符），请拆分为多个通知",
                    f"call data too large ({size} characters, at most {MAX_CALL_TEXT}); split it"))
    return out
