"""The forms an applicant fills: attached ones and required ones the notice does not attach
(the *Counts* rule for forms)."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Call


@dataclass(frozen=True)
class FormView:
    """A form an applicant fills.

    Attributes:
        id: The form's id (``None`` for a form the notice does not attach).
        title: Its title.
        attachment: 附件号, when it has one.
        attached: The notice attaches it (downloadable here).
        obtain: Where the notice says to get a form it does not attach.
        kind: application / recommendation / case.
        categories: Ids of the categories that use it (empty: not tied to categories).
        note: Editorial note.
    """

    id: str | None
    title: str
    attachment: str | None
    attached: bool
    obtain: str | None
    kind: str
    categories: tuple[str, ...]
    note: str | None

    @property
    def label(self) -> str:
        base = f"{self.attachment} {self.title}" if self.attachment else self.title
        if self.attached:
            return base
        return f"{base}（原文未附{('；' + self.obtain) if self.obtain else '，获取方式原文未载明'}）"


def applicant_forms(call: Call) -> tuple[FormView, ...]:
    """The forms an applicant must fill (the *Counts* rule): the call's own forms except
    indicator tables, then every required form the notice names but does not attach."""
    out: list[FormView] = []
    for f in call.forms:
        if f.kind == "indicators":
            continue
        cats = tuple(c.id for c in call.all_categories() if f.id in c.forms)
        out.append(FormView(f.id, f.title, f.attachment, True, None, f.kind, cats, f.note))
    for a in call.attachments:
        if a.kind.value == "form" and not a.in_source and a.form is None:
            out.append(
                FormView(None, a.title, a.number, False, a.obtain, "application",
                         tuple(a.categories), a.note)
            )
    return tuple(out)
