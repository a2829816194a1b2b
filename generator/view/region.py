"""The area a call addresses and which units it reaches (the *Region* rule)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Call

REGION_SEP = "/"


def region_path(call: Call) -> tuple[str, ...]:
    """The area a call addresses, from the largest: ``('山东省', '济宁市')``; empty when unknown."""
    if call.issuer.region is None:
        return ()
    return (*call.issuer.within, call.issuer.region)


def region_key(path: tuple[str, ...]) -> str:
    return REGION_SEP.join(path)


def reaches(call_region: tuple[str, ...], unit_region: tuple[str, ...]) -> bool:
    """Does a call of ``call_region`` address a unit located in ``unit_region``?

    A call addresses the units inside its issuer's area: a city's call the units of that
    city (and of its counties), a provincial call every unit in the province. A call whose
    area is not recorded is shown to everyone; so is every call to a unit that gives none.
    """
    if not call_region or not unit_region:
        return True
    return unit_region[: len(call_region)] == call_region


@dataclass(frozen=True)
class RegionOption:
    """One choice of 本单位所在地区: a path, its key and its label (山东省 › 济宁市)."""

    path: tuple[str, ...]

    @property
    def key(self) -> str:
        return region_key(self.path)

    @property
    def label(self) -> str:
        return " › ".join(self.path)


def region_options(regions: Iterable[tuple[str, ...]]) -> list[RegionOption]:
    """Every area of ``regions`` (the calls' region paths), with each of its larger areas, sorted."""
    paths: set[tuple[str, ...]] = set()
    for region in regions:
        for n in range(1, len(region) + 1):
            paths.add(region[:n])
    return [RegionOption(p) for p in sorted(paths)]
