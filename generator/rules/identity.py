"""Rules about which file holds which call: ids, file names, one call per notice."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Finding, Rule, Subject


def _file_name(subject: Subject) -> Iterator[Finding]:
    call = subject.call
    if call.id != subject.file_stem:
        yield FILE_NAME.at(
            ("id",),
            f"编号 {call.id} 与文件名 {subject.file_stem} 不一致，请改为一致",
            f"id '{call.id}' does not match the file name '{subject.file_stem}'",
        )


def _unique(subjects: list[Subject]) -> Iterator[tuple[int, Finding]]:
    first: dict[str, str] = {}
    for n, s in enumerate(subjects):
        if s.call.id in first:
            yield n, UNIQUE_ID.at(
                ("id",),
                f"编号 {s.call.id} 与 {first[s.call.id]}.yaml 重复，请换一个编号（并改文件名）",
                f"duplicate id '{s.call.id}' (also in {first[s.call.id]}.yaml)",
            )
        else:
            first[s.call.id] = s.file_stem


def _one_per_source(subjects: list[Subject]) -> Iterator[tuple[int, Finding]]:
    by_text: dict[str, str] = {}
    by_seed: dict[str, str] = {}
    for n, s in enumerate(subjects):
        src = s.call.source
        if src.text_file in by_text:
            yield n, ONE_PER_SOURCE.at(
                ("source", "text_file"),
                f"原文 {src.text_file} 已是 {by_text[src.text_file]} 的原文：一份通知只录入一次，"
                "请删除重复的数据文件，或改正 text_file",
                f"{src.text_file} is already the source of {by_text[src.text_file]}",
            )
        else:
            by_text[src.text_file] = s.call.id
        if src.seed is None:
            continue
        if src.seed in by_seed:
            yield n, ONE_PER_SOURCE.at(
                ("source", "seed"),
                f"来源文件 {src.seed} 已由 {by_seed[src.seed]} 录入：一份通知只录入一次",
                f"seed {src.seed} is already encoded by {by_seed[src.seed]}",
            )
        else:
            by_seed[src.seed] = s.call.id


FILE_NAME = Rule(
    "id-file-name", "call", "编号与文件名一致", "the id matches the file name",
    "把 id 改成文件名（不含 .yaml），或重命名文件。",
    _file_name,
)
UNIQUE_ID = Rule(
    "id-unique", "repo", "各通知的编号互不相同", "call ids are unique",
    "给其中一个通知换编号，并相应改文件名。",
    _unique,
)
ONE_PER_SOURCE = Rule(
    "one-call-per-source", "repo", "每份通知原文只对应一个数据文件",
    "each source text belongs to one call",
    "删除重复录入的数据文件，或改正 source.text_file / source.seed。",
    _one_per_source,
)

RULES = (FILE_NAME, UNIQUE_ID, ONE_PER_SOURCE)
