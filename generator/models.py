"""Pydantic models of a project-call notice (项目申报通知) and its application forms.

Every model forbids unknown keys, so a misspelt key in a data file is an error.

Text fields come in two kinds:

* ``Quote`` (plain ``str`` fields): text taken from the notice. The rule
  ``quote-in-source`` (:mod:`generator.rules.notice`) checks that each one occurs in
  the notice's source text (after normalising whitespace and full/half-width punctuation).
* ``Editorial``: our own wording (summaries, short labels, notes). Exempt from the
  fidelity check, and shown to readers as our wording, not the notice's.

A fact the notice does not state is ``None`` and is shown as 原文未载明.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import Enum, StrEnum
from functools import cache
from typing import Annotated, Any, Literal, NamedTuple, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"
UNKNOWN = "原文未载明"
#: Longest text field. Notices' longest paragraphs are a few hundred characters; a cap keeps
#: hostile data from making PDF layout (quadratic in a paragraph's length) take minutes.
MAX_TEXT = 4000


class QuoteMarker:
    """Marks a ``str`` field as text quoted from the notice (checked for fidelity)."""

    def __repr__(self) -> str:
        return "Quote"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _visible_controls(value: str) -> str:
    """Show control characters as Unicode control pictures (␇), never as raw bytes.

    A control character has no business in a notice; shown as a picture it is inert in
    HTML, Markdown, DOCX (XML cannot hold most of them), PDF, ICS, CSV and JSON alike.
    """
    def picture(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else "\ufffd"

    return _CONTROL.sub(picture, value)


#: Names Windows reserves for devices, with or without an extension (``nul.docx`` too).
#: Ids become file and folder names (``downloads/<call>/<form>.docx``, the offline copy).
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def _not_reserved(value: str) -> str:
    """Reject an id that Windows cannot use as a file or folder name."""
    if value in WINDOWS_RESERVED:
        raise ValueError(
            f"{value} 是 Windows 保留名，不能作文件名 / '{value}' is a device name Windows reserves"
        )
    return value


Slug = Annotated[
    str, StringConstraints(pattern=SLUG_PATTERN, max_length=80), AfterValidator(_not_reserved)
]
Quote = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_visible_controls),
    QuoteMarker(),
]
Editorial = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT), AfterValidator(_visible_controls)
]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254)]


class StrictModel(BaseModel):
    """Base of every model: unknown keys are errors; instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- vocabulary


class Level(StrEnum):
    """Administrative level of the issuing 科协 (a 区 is a county-level district).

    A university's or college's 科协 (高校科协) has no administrative level of its own: 高校.
    """

    PROVINCE = "省"
    CITY = "市"
    COUNTY = "县"
    DISTRICT = "区"
    TOWNSHIP = "乡镇"
    UNIVERSITY = "高校"


class ApplicantType(StrEnum):
    """Kinds of unit that may apply. Values are the Chinese names shown to readers."""

    PROVINCIAL_SOCIETY = "省级学会"
    CITY_SOCIETY = "市级学会"
    SOCIETY_UNION = "学会联合体"
    SOCIETY_STATION = "学会服务站"
    UNIVERSITY_KX = "高校科协"
    ENTERPRISE_KX = "企事业科协"
    CITY_KX = "市级科协"
    COUNTY_KX = "县级科协"
    SCIENCE_BASE = "科普基地"
    RESEARCH_INSTITUTE = "科研机构"
    MEDIA = "社会媒体"
    LEADING_GROUP_MEMBER = "领导小组成员单位"
    VOLUNTEER_TEAM = "科普志愿服务队"
    RURAL_TECH_ASSOCIATION = "农技协"
    ORGAN_DEPARTMENT = "机关部室和直属单位"
    COMMUNITY = "社区"
    SUBDISTRICT_TOWN = "街道/乡镇"
    SCIENCE_BUREAU = "科技局"
    ENTERPRISE = "企业"
    SCHOOL = "学校"
    MEDICAL_INSTITUTION = "医疗卫生机构"
    INDIVIDUAL = "个人"
    OTHER = "其他有关单位"


class Role(StrEnum):
    """What a unit does with a project: apply for it itself, or recommend another's."""

    APPLY = "申报"
    RECOMMEND = "推荐"


class LimitScope(StrEnum):
    """What a quota (限项) counts against. Values are the Chinese names shown to readers."""

    PER_UNIT = "每个单位"
    PER_CATEGORY = "每个类别"
    PER_POINT = "每个服务点"
    PER_AREA = "整个地区"


class Unstated(StrEnum):
    """A list a call normally has that its notice does not state (shown as 原文未载明)."""

    CATEGORIES = "categories"
    CONTACTS = "contacts"


class AttachmentKind(StrEnum):
    """What an attachment (附件) of a notice is."""

    FORM = "form"  # 申报表 / 申报书 / 推荐表 to fill in
    LIST = "list"  # 项目清单 / 申报范围
    GUIDE = "guide"  # 申报指南 / 操作流程 / 说明
    INDICATORS = "indicators"  # 指标体系 / 评分表
    OTHER = "other"


# --------------------------------------------------------------------------- small values


class Issuer(StrictModel):
    name: Quote = Field(title="发文单位", description="发文机关全称，如 济宁市科学技术协会")
    level: Level = Field(title="层级", description="省 / 市 / 县 / 区 / 乡镇 / 高校（高校科协）")
    region: Quote | None = Field(default=None, title="地区", description="如 济宁市、山东省")
    within: list[Editorial] = Field(
        default_factory=list,
        title="上级地区",
        description="发文地区所属的上级行政区，由大到小，如 [山东省]（自行填写；用于按地区筛选）",
    )


class CountRange(StrictModel):
    """A planned number of projects, e.g. 5-7 个. ``min == max`` for an exact count."""

    min: int | None = Field(default=None, ge=0, title="最少")
    max: int | None = Field(default=None, ge=0, title="最多")
    text: Quote = Field(title="原文", description="原文表述，如 5-7 个")


class Funding(StrictModel):
    """Funding per project in 万元; ``None`` bounds when the notice gives no figure."""

    min: float | None = Field(default=None, ge=0, title="最低额度")
    max: float | None = Field(default=None, ge=0, title="最高额度")
    unit: Literal["万元", "元"] = Field(default="万元", title="单位")
    per: Editorial | None = Field(default=None, title="计量", description="如 每个项目")
    text: Quote = Field(title="原文")


class Period(StrictModel):
    """Project period (项目周期)."""

    text: Quote = Field(title="原文")
    start: dt.date | None = Field(default=None, title="开始日期")
    end: dt.date | None = Field(default=None, title="完成日期")


class Contact(StrictModel):
    id: Slug = Field(title="联系人编号")
    department: Quote | None = Field(default=None, title="部门")
    names: list[Quote] = Field(default_factory=list, title="联系人")
    phones: list[Quote] = Field(default_factory=list, title="电话", description="每个号码一项")
    phones_text: Quote | None = Field(
        default=None,
        title="电话原文",
        description="一行写了几个号码时的原文写法，如 0537-3739895、3739896",
    )
    emails: list[Email] = Field(default_factory=list, title="邮箱")
    address: Quote | None = Field(default=None, title="地址")
    note: Editorial | None = Field(default=None, title="说明")


class Link(StrictModel):
    title: Editorial = Field(title="名称")
    url: Quote = Field(title="网址", description="通知中载明的网址")


class ChangelogEntry(StrictModel):
    date: dt.date = Field(title="日期")
    summary: Editorial = Field(title="更正内容")


class Discrepancy(StrictModel):
    """Something in the original that is inconsistent or missing, shown as a note."""

    quote: Quote | None = Field(default=None, title="原文", description="原文中出错之处")
    note: Editorial = Field(title="说明")


class Source(StrictModel):
    text_file: str = Field(
        title="原文文件", description="仓库中原文纯文本的路径，如 data/sources/<id>.txt"
    )
    seed: str | None = Field(default=None, title="来源文件", description="原始来源文件名")
    missing: list[Editorial] = Field(
        default_factory=list, title="原文缺失部分", description="来源中没有的部分"
    )
    discrepancies: list[Discrepancy] = Field(default_factory=list, title="原文疑误")

    @field_validator("text_file")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError("text_file must be a relative path inside the repository")
        return value


# --------------------------------------------------------------------------- call parts


class Deadline(StrictModel):
    label: Editorial = Field(title="名称", description="如 申报截止、服务专项")
    date: dt.date | None = Field(
        title="日期", description="原文未载明或年份无法确定时写 null（月日写在 month、day）"
    )
    year_inferred: bool = Field(
        default=False,
        title="年份推定",
        description="原文只写了月日（如 11月30日前），年份据发文日期推定",
    )
    month: int | None = Field(
        default=None, ge=1, le=12, title="月", description="原文只写月日且年份无法推定时的月份"
    )
    day: int | None = Field(
        default=None, ge=1, le=31, title="日", description="原文只写月日且年份无法推定时的日"
    )
    categories: list[Slug] = Field(
        default_factory=list, title="适用类别", description="适用的类别编号；空表示全部"
    )
    text: Quote | None = Field(default=None, title="原文")

    @model_validator(mode="after")
    def _month_day(self) -> Deadline:
        if (self.month is None) != (self.day is None):
            raise ValueError(
                "month 与 day 须同时填写 / month and day go together"
            )
        if self.month is not None and self.date is not None:
            raise ValueError(
                "已有完整日期 date 时不写 month、day / month and day are only for a date without a year"
            )
        if self.year_inferred and self.date is None:
            raise ValueError(
                "year_inferred 只用于推定了年份的 date / year_inferred needs a date"
            )
        if self.month is not None and self.day is not None:
            try:
                dt.date(2000, self.month, self.day)  # a leap year: 2月29日 may exist
            except ValueError as exc:
                raise ValueError(
                    f"{self.month}月{self.day}日 不存在 / no such day {self.month}-{self.day}"
                ) from exc
        return self


class Stage(StrictModel):
    name: Quote = Field(title="阶段")
    description: Quote | None = Field(default=None, title="说明")
    date: dt.date | None = Field(default=None, title="日期")


class Publicity(StrictModel):
    days: int | None = Field(default=None, ge=0, title="公示天数")
    working_days: bool = Field(default=True, title="工作日")
    at_least: bool = Field(default=False, title="不少于")
    text: Quote = Field(title="原文")


class Process(StrictModel):
    stages: list[Stage] = Field(default_factory=list, title="评审流程")
    publicity: Publicity | None = Field(default=None, title="公示")
    notes: list[Quote] = Field(default_factory=list, title="其他说明")


class RouteStep(StrictModel):
    """One hop of the way materials travel, e.g. 申报单位 → 街道/镇 (推荐) → 区科协."""

    by: Editorial = Field(title="报送单位", description="如 申报单位、街道/镇")
    to: Editorial = Field(title="接收单位", description="如 街道/镇、区科协")
    action: Role = Field(default=Role.APPLY, title="方式", description="申报 / 推荐")
    text: Quote | None = Field(default=None, title="原文")


class Submission(StrictModel):
    methods: list[Literal["email", "post", "in_person", "online", "paper", "electronic"]] = Field(
        default_factory=list,
        title="报送方式",
        description=(
            "按原文顺序列出每一种：email 电子邮件 / post 邮寄 / in_person 现场报送 / online 网上申报 / "
            "paper 纸质材料（原文未写明寄送或现场）/ electronic 电子版（原文未写明途径）"
        ),
    )
    formats: list[Quote] = Field(default_factory=list, title="材料格式", description="如 PDF格式、WORD版")
    copies: int | None = Field(default=None, ge=0, title="纸质份数")
    paper: Literal["submit", "keep", "not_required"] | None = Field(
        default=None, title="纸质版", description="submit 报送 / keep 自行留存 / not_required 不需要寄送"
    )
    recipient: Quote | None = Field(default=None, title="接收部门")
    address: Quote | None = Field(default=None, title="报送地址")
    emails: list[Email] = Field(default_factory=list, title="报送邮箱")
    late_policy: Quote | None = Field(default=None, title="逾期处理")
    text: Quote | None = Field(default=None, title="原文")
    notes: list[Quote] = Field(default_factory=list, title="其他要求")
    route: list[RouteStep] = Field(
        default_factory=list,
        title="报送路径",
        description="材料经谁报给谁，依次列出，如 申报单位→街道/镇→区科协；直接报送时不写",
    )
    note: Editorial | None = Field(
        default=None, title="说明", description="编者说明，如原文未写明的报送细节"
    )


class Limit(StrictModel):
    """A quota (限项): how many projects may be submitted, counted against what."""

    applicants: list[ApplicantType] = Field(
        default_factory=list, title="适用单位", description="空表示所有申报单位"
    )
    categories: list[Slug] = Field(default_factory=list, title="适用类别", description="空表示全部")
    max_count: int | None = Field(default=None, ge=0, title="最多项数", description="不限时写 null")
    scope: LimitScope = Field(
        default=LimitScope.PER_UNIT,
        title="计数范围",
        description="每个单位 / 每个类别 / 每个服务点 / 整个地区（全区、全市共几项）",
    )
    role: Role = Field(default=Role.APPLY, title="方式", description="申报 / 推荐")
    qualifiers: list[Quote] = Field(
        default_factory=list, title="限定语", description="原文的限定，如 原则上、含县级科协项目"
    )
    allocated_by: Quote | None = Field(
        default=None, title="分配单位", description="名额由谁分配或推荐，如 街道/镇"
    )
    text: Quote = Field(title="原文")


class Exclusivity(StrictModel):
    """Categories that may not be applied for together (互不兼报)."""

    categories: list[Slug] = Field(min_length=2, title="互不兼报类别")
    text: Quote = Field(title="原文")


class Recommendation(StrictModel):
    """Units that recommend projects (推荐) rather than apply for them (申报)."""

    recommenders: list[ApplicantType] = Field(min_length=1, title="推荐单位")
    form: Slug | None = Field(default=None, title="推荐表", description="推荐时填写的表单编号")
    text: Quote = Field(title="原文")


class Channel(StrictModel):
    """Units that apply through another unit, e.g. county projects within a city 科协's quota."""

    applicants: list[ApplicantType] = Field(min_length=1, title="经由申报的单位", description="如 县级科协")
    via: ApplicantType = Field(title="经由", description="如 市级科协")
    within_quota: bool = Field(
        default=False, title="占用其名额", description="true: 计入经由单位的限项（如 含县级科协项目）"
    )
    text: Quote = Field(title="原文")


class Eligibility(StrictModel):
    applicants: list[ApplicantType] = Field(
        default_factory=list,
        title="申报主体",
        description="原文写明可申报全部类别的单位；原文未写明时留空（类别各自写明的见类别）",
    )
    text: Quote | None = Field(default=None, title="原文")
    recommenders: list[Recommendation] = Field(
        default_factory=list, title="推荐", description="只推荐、不申报的单位（如 机关部室）"
    )
    channels: list[Channel] = Field(
        default_factory=list, title="经由申报", description="经其他单位申报的单位（如 县级科协经市级科协）"
    )
    conditions: list[Quote] = Field(default_factory=list, title="资格条件")
    excluded: list[Quote] = Field(default_factory=list, title="不得申报")
    limits: list[Limit] = Field(default_factory=list, title="限项")
    exclusive: list[Exclusivity] = Field(default_factory=list, title="互不兼报")


class GuideStep(StrictModel):
    """One step of a how-to guide, e.g. 注册科技志愿者队伍。管理员→进入…→提交完成注册。"""

    title: Quote | None = Field(default=None, title="步骤", description="如 注册科技志愿者队伍")
    text: Quote | None = Field(default=None, title="说明", description="步骤的引导语或整段文字")
    actor: Quote | None = Field(default=None, title="操作人", description="如 管理员、志愿者")
    actions: list[Quote] = Field(
        default_factory=list, title="操作", description="依次进行的操作（原文以 → 连接）"
    )


class TextSection(StrictModel):
    """A piece of running text of a notice: a heading with paragraphs, list items and/or steps."""

    heading: Quote | None = Field(default=None, title="小标题")
    paragraphs: list[Quote] = Field(default_factory=list, title="段落")
    items: list[Quote] = Field(
        default_factory=list, title="条目", description="原文编号列举的各项（①②③…）"
    )
    steps: list[GuideStep] = Field(default_factory=list, title="操作步骤")


class Category(StrictModel):
    """A project category, project, direction or 事项 of a call; may nest."""

    id: Slug = Field(title="类别编号")
    code: Editorial | None = Field(default=None, title="序号", description="如 A1、（一）")
    name: Quote = Field(title="名称")
    description: Quote | None = Field(default=None, title="项目内容/简介")
    count: CountRange | None = Field(default=None, title="计划数量")
    funding: Funding | None = Field(default=None, title="经费额度")
    period: Period | None = Field(default=None, title="项目周期")
    applicants: list[ApplicantType] = Field(
        default_factory=list,
        title="申报主体",
        description="空表示同本通知的申报主体；本通知也未写明时为原文未载明",
    )
    applicants_text: Quote | None = Field(default=None, title="申报主体原文")
    applicants_only: Quote | None = Field(
        default=None,
        title="申报主体限定",
        description="只有部分此类单位可申报时的原文限定，如 本年度新成立的市级学会",
    )
    rating_required: Quote | None = Field(default=None, title="评估等级要求", description="如 4A")
    requirements: list[Quote] = Field(default_factory=list, title="申报要求/条件")
    deliverables: list[Quote] = Field(default_factory=list, title="应完成内容")
    priority: list[Quote] = Field(default_factory=list, title="优先条件")
    materials: list[Quote] = Field(default_factory=list, title="申报材料")
    contacts: list[Slug] = Field(default_factory=list, title="联系人")
    forms: list[Slug] = Field(default_factory=list, title="申报表")
    children: list[Category] = Field(default_factory=list, title="子类别")
    outline: list[TextSection] = Field(
        default_factory=list,
        title="内容要点",
        description="项目内容的分项，如 1) 组织凝聚力全面增强 下的 ①…④",
    )
    note: Editorial | None = Field(default=None, title="说明")


class Indicator(StrictModel):
    text: Quote = Field(title="指标内容")
    points: int = Field(ge=0, title="分值")


class IndicatorGroup(StrictModel):
    id: Slug = Field(title="编号")
    name: Quote = Field(title="一级指标")
    points: int = Field(ge=0, title="分值")
    indicators: list[Indicator] = Field(min_length=1, title="二级指标")


class BonusItem(StrictModel):
    name: Quote = Field(title="名称")
    points: int = Field(ge=0, title="附加分")
    text: Quote = Field(title="说明")


class IndicatorTable(StrictModel):
    """A scoring table such as 江苏's 项目指标（计100分）."""

    attachment: Quote | None = Field(default=None, title="附件号")
    title: Quote = Field(title="标题")
    total: int = Field(ge=0, title="总分")
    groups: list[IndicatorGroup] = Field(min_length=1, title="一级指标")
    bonus: list[BonusItem] = Field(default_factory=list, title="附加分")


class Attachment(StrictModel):
    number: Quote | None = Field(default=None, title="附件号", description="如 附件3")
    title: Quote = Field(title="标题")
    kind: AttachmentKind = Field(title="类型")
    form: Slug | None = Field(default=None, title="对应表单")
    in_source: bool = Field(
        default=True, title="原文附有", description="false: 通知提到但原文未附（不得自行编造）"
    )
    obtain: Quote | None = Field(
        default=None,
        title="获取方式",
        description="原文未附的表格从哪里获取（原文），如 由各单位从徐州市科协网站下载",
    )
    categories: list[Slug] = Field(
        default_factory=list, title="适用类别", description="原文未附的表格适用的类别；空表示全部"
    )
    note: Editorial | None = Field(default=None, title="说明")
    content: list[TextSection] = Field(
        default_factory=list,
        title="正文",
        description="非表单附件（如操作流程）的内容；表单见 forms，指标见 indicators",
    )


# --------------------------------------------------------------------------- forms


class Blank(StrictModel):
    """An inline blank to write on, e.g. 支部书记 ____."""

    blank: Slug = Field(title="填空编号")
    width: int = Field(default=8, ge=1, le=60, title="宽度（字）")


class Checkbox(StrictModel):
    """A group of ☐ options, e.g. 是☐ 否☐."""

    choice: Slug = Field(title="选项编号")
    options: list[Quote] = Field(min_length=1, title="选项")
    multiple: bool = Field(default=False, title="可多选")
    layout: Literal["inline", "stack"] = Field(default="inline", title="排列")
    box: Literal["after", "before", "paren"] = Field(
        default="after",
        title="方框位置",
        description="after: 是☐（方框在后）；before: ☐是（方框在前）；paren: A类（ ）（括号作方框）",
    )


class Break(StrictModel):
    """A line break inside running text."""

    br: Literal[True] = Field(title="换行")


def _inline_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        for key in ("blank", "choice", "br"):
            if key in value:
                return key
        return None
    tags: dict[type, str] = {Blank: "blank", Checkbox: "choice", Break: "br"}
    return tags.get(type(value))


Inline = Annotated[
    Annotated[Quote, Tag("text")]
    | Annotated[Blank, Tag("blank")]
    | Annotated[Checkbox, Tag("choice")]
    | Annotated[Break, Tag("br")],
    Discriminator(
        _inline_tag,
        custom_error_type="inline_kind",
        custom_error_message="an inline item is text, {blank: id}, {choice: id, options: [...]} or {br: true}",
    ),
]


class InputArea(StrictModel):
    """An answer area: a blank box to write in."""

    id: Slug = Field(title="字段编号")
    hint: Quote | None = Field(default=None, title="提示", description="原表中的填写说明，如（200字以内）")
    word_limit: int | None = Field(default=None, ge=1, title="字数限制")
    lines: int = Field(default=1, ge=1, le=60, title="行数", description="留白高度，以行计")
    kind: Literal["text", "date", "number", "multiline"] = Field(default="text", title="类型")


class Signature(StrictModel):
    """A signature / stamp area: lines such as 单位负责人签名：, （单位公章）, 年 月 日."""

    lines: list[Quote] = Field(min_length=1, title="签章文字")
    space: int = Field(default=3, ge=0, le=30, title="留白行数", description="签章文字上方的留白")
    align: Literal["left", "right", "center"] = Field(default="right", title="对齐")


class Cell(StrictModel):
    """One table cell. Exactly one of text / input / parts / sign is set."""

    text: Quote | None = Field(default=None, title="文字")
    input: InputArea | None = Field(default=None, title="填写区")
    parts: list[Inline] | None = Field(default=None, title="图文混排")
    sign: Signature | None = Field(default=None, title="签章区")
    colspan: int = Field(default=1, ge=1, le=20, title="跨列")
    rowspan: int = Field(default=1, ge=1, le=60, title="跨行")
    header: bool | None = Field(
        default=None, title="标签格", description="加粗底纹的标签格；默认：纯文字格为标签格"
    )
    align: Literal["left", "center", "right"] | None = Field(default=None, title="对齐")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # A bare string is a label cell; None/"" is an empty cell.
        if isinstance(value, str):
            return {"text": value}
        return value

    @model_validator(mode="after")
    def _one_content(self) -> Cell:
        set_ = [k for k in ("text", "input", "parts", "sign") if getattr(self, k) is not None]
        if len(set_) > 1:
            raise ValueError(f"a cell holds one of text/input/parts/sign, got {', '.join(set_)}")
        return self

    @property
    def is_header(self) -> bool:
        if self.header is not None:
            return self.header
        return self.text is not None


class Row(StrictModel):
    cells: list[Cell] = Field(min_length=1, title="单元格")
    repeat: int = Field(
        default=1, ge=1, le=50, title="重复行数", description="空白行重复次数；字段编号自动加 -1、-2…"
    )
    height: int | None = Field(default=None, ge=1, le=60, title="行高（行）")
    keep_together: bool = Field(default=True, title="不跨页断行")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # A bare list is a row of cells.
        if isinstance(value, list):
            return {"cells": value}
        return value


class Heading(StrictModel):
    type: Literal["heading"] = "heading"
    text: Quote = Field(title="标题")
    level: int = Field(default=2, ge=1, le=3, title="级别")
    align: Literal["left", "center"] = Field(default="left", title="对齐")


class Paragraph(StrictModel):
    type: Literal["paragraph"] = "paragraph"
    parts: list[Inline] = Field(min_length=1, title="内容")
    align: Literal["left", "center", "right"] = Field(default="left", title="对齐")
    size: Literal["title", "large", "normal", "small"] = Field(default="normal", title="字号")
    bold: bool = Field(default=False, title="加粗")
    indent: bool = Field(default=False, title="首行缩进")


class Table(StrictModel):
    type: Literal["table"] = "table"
    widths: list[float] = Field(min_length=1, title="列宽比例")
    rows: list[Row] = Field(min_length=1, title="行")


class Space(StrictModel):
    type: Literal["space"] = "space"
    lines: int = Field(default=1, ge=1, le=40, title="空行数")


class PageBreak(StrictModel):
    type: Literal["page_break"] = "page_break"


class SignatureBlock(StrictModel):
    type: Literal["signature"] = "signature"
    sign: Signature = Field(title="签章区")


Block = Annotated[
    Heading | Paragraph | Table | Space | PageBreak | SignatureBlock,
    Field(discriminator="type"),
]


class WordLimit(StrictModel):
    """A word limit that spans several fields, e.g. 总字数在2000字以内."""

    fields: list[Slug] = Field(default_factory=list, title="涉及字段")
    limit: int = Field(ge=1, title="字数")
    text: Quote = Field(title="原文")


class Form(StrictModel):
    """An application form (申报表/申报书/推荐表) described as data."""

    id: Slug = Field(title="表单编号")
    attachment: Quote | None = Field(default=None, title="附件号", description="如 附件3")
    title: Quote = Field(title="标题")
    kind: Literal["application", "recommendation", "case", "indicators"] = Field(
        default="application", title="类别"
    )
    cover: list[Block] = Field(default_factory=list, title="封面", description="封面单独成页")
    instructions: list[Block] = Field(
        default_factory=list, title="填报说明", description="单独成页，位于封面之后"
    )
    blocks: list[Block] = Field(min_length=1, title="正文")
    word_limits: list[WordLimit] = Field(default_factory=list, title="总字数限制")
    note: Editorial | None = Field(default=None, title="说明")

    def field_ids(self) -> list[str]:
        """Every answer id in the form (inputs, blanks, checkboxes), repeats expanded."""
        return [fid for fid, _ in iter_form_fields(self)]


# --------------------------------------------------------------------------- the call


class Call(StrictModel):
    """One project-call notice (项目申报通知)."""

    id: Slug = Field(title="编号", description="文件名即编号，如 jining-2023-reform-brand")
    title: Quote = Field(title="通知标题")
    short_title: Editorial = Field(title="简称", description="用于卡片与表格的简短名称")
    year: int = Field(ge=2000, le=2100, title="项目年度")
    issuer: Issuer = Field(title="发文单位")
    doc_no: Quote | None = Field(default=None, title="文号")
    issued: dt.date | None = Field(title="发文日期")
    audience: list[Quote] = Field(default_factory=list, title="主送单位")
    summary: Editorial = Field(title="摘要", description="一两句话说明这是什么通知")
    background: Quote | None = Field(default=None, title="目的与依据")
    goals: Quote | None = Field(default=None, title="工作目标")
    deadlines: list[Deadline] = Field(min_length=1, title="截止日期")
    eligibility: Eligibility = Field(title="申报资格")
    categories: list[Category] = Field(default_factory=list, title="项目类别")
    indicators: IndicatorTable | None = Field(default=None, title="指标体系")
    submission: Submission = Field(title="报送要求")
    process: Process = Field(default_factory=Process, title="评审与管理")
    requirements: list[Quote] = Field(default_factory=list, title="其他要求")
    contacts: list[Contact] = Field(default_factory=list, title="联系方式")
    links: list[Link] = Field(default_factory=list, title="网址")
    attachments: list[Attachment] = Field(default_factory=list, title="附件")
    forms: list[Form] = Field(default_factory=list, title="申报表单")
    source: Source = Field(title="原文")
    last_modified: dt.date = Field(title="最后修改")
    changelog: list[ChangelogEntry] = Field(default_factory=list, title="更正记录")
    unstated: list[Unstated] = Field(
        default_factory=list,
        title="原文未载明",
        description="通知确实没有写的内容：categories（项目类别）、contacts（联系方式）。"
        "列在这里的，check 不再要求录入，网站显示为原文未载明；已录入的不能再列",
    )

    # Convenience for renderers ------------------------------------------------

    def all_categories(self) -> list[Category]:
        """Every category, depth first."""
        return list(iter_categories(self.categories))

    def form(self, form_id: str) -> Form:
        for f in self.forms:
            if f.id == form_id:
                return f
        raise KeyError(form_id)

    def contact(self, contact_id: str) -> Contact:
        for c in self.contacts:
            if c.id == contact_id:
                return c
        raise KeyError(contact_id)


# --------------------------------------------------------------------------- checks


def reference_problems(call: Call) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Cross-reference problems inside one call as ``(location, zh, en)``.

    Checks that category/contact/form references resolve, ids are unique, table rows
    fill their grid, and the changelog is not newer than last_modified. It is the
    ``references`` rule of :mod:`generator.rules`.
    """
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    cats: set[str] = set()

    places = list(category_places(call.categories))
    for c, _, here in places:
        if c.id in cats:
            out.append(((*here, "id"), f"类别编号重复：{c.id}", f"duplicate category id '{c.id}'"))
        cats.add(c.id)
    contact_ids = [c.id for c in call.contacts]
    for i, cid in enumerate(contact_ids):
        if contact_ids.index(cid) != i:
            out.append((("contacts", i, "id"), f"联系人编号重复：{cid}", f"duplicate contact id '{cid}'"))
    form_ids = [f.id for f in call.forms]
    for i, fid in enumerate(form_ids):
        if form_ids.index(fid) != i:
            out.append((("forms", i, "id"), f"表单编号重复：{fid}", f"duplicate form id '{fid}'"))
    known = {"category": cats, "contact": set(contact_ids), "form": set(form_ids)}
    zh_kind = {"category": "类别", "contact": "联系人", "form": "表单"}

    def check(kind: str, refs: list[str], loc: tuple[str | int, ...]) -> None:
        for j, ref in enumerate(refs):
            if ref not in known[kind]:
                out.append(
                    (
                        (*loc, j),
                        f"引用了不存在的{zh_kind[kind]}：{ref}",
                        f"unknown {kind} '{ref}'",
                    )
                )

    for i, d in enumerate(call.deadlines):
        check("category", d.categories, ("deadlines", i, "categories"))
    for i, lim in enumerate(call.eligibility.limits):
        check("category", lim.categories, ("eligibility", "limits", i, "categories"))
    for i, ex in enumerate(call.eligibility.exclusive):
        check("category", ex.categories, ("eligibility", "exclusive", i, "categories"))
    for i, rec in enumerate(call.eligibility.recommenders):
        if rec.form is not None:
            check("form", [rec.form], ("eligibility", "recommenders", i, "form"))

    for c, _, here in places:
        check("contact", c.contacts, (*here, "contacts"))
        check("form", c.forms, (*here, "forms"))
    for i, a in enumerate(call.attachments):
        if a.form is not None:
            check("form", [a.form], ("attachments", i, "form"))
        check("category", a.categories, ("attachments", i, "categories"))
    for i, f in enumerate(call.forms):
        ids = f.field_ids()
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        if dupes:
            out.append(
                (
                    ("forms", i),
                    f"表单 {f.id} 的字段编号重复：{', '.join(dupes)}",
                    f"form {f.id}: duplicate field ids {', '.join(dupes)}",
                )
            )
        for k, wl in enumerate(f.word_limits):
            check_ids = set(ids)
            for j, fid in enumerate(wl.fields):
                if fid not in check_ids:
                    out.append(
                        (
                            ("forms", i, "word_limits", k, "fields", j),
                            f"引用了表单中不存在的字段：{fid}",
                            f"unknown field '{fid}' in form {f.id}",
                        )
                    )
    for i, f in enumerate(call.forms):
        for section in ("cover", "instructions", "blocks"):
            for j, block in enumerate(getattr(f, section)):
                if isinstance(block, Table):
                    for r, zh, en in table_grid_problems(block):
                        out.append((("forms", i, section, j, "rows", r), zh, en))
    if call.changelog:
        newest = max(e.date for e in call.changelog)
        if newest > call.last_modified:
            out.append(
                (
                    ("last_modified",),
                    f"最后修改日期早于更正记录中的 {newest}",
                    f"last_modified is older than the changelog entry of {newest}",
                )
            )
    return out


def table_grid(table: Table) -> list[list[tuple[int, int] | None]]:
    """Lay the cells of a table on a grid (repeats expanded).

    Returns one list per physical row, one entry per column: ``(row_index, cell_index)``
    of the cell whose top-left corner is there, or ``None`` where a span covers it.

    Raises:
        ValueError: a row does not fill exactly ``len(table.widths)`` columns.
    """
    ncols = len(table.widths)
    covered: dict[tuple[int, int], bool] = {}
    grid: list[list[tuple[int, int] | None]] = []
    phys = 0
    for r, row in enumerate(table.rows):
        for _ in range(row.repeat):
            line: list[tuple[int, int] | None] = [None] * ncols
            col = 0
            for c, cell in enumerate(row.cells):
                while col < ncols and covered.get((phys, col)):
                    col += 1
                if col + cell.colspan > ncols:
                    raise ValueError(f"row {r}: cells need more than {ncols} columns")
                line[col] = (r, c)
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered[(phys + dr, col + dc)] = True
                col += cell.colspan
            if not all(covered.get((phys, k)) for k in range(ncols)):
                raise ValueError(f"row {r}: cells fill fewer than {ncols} columns")
            grid.append(line)
            phys += 1
    if any(k[0] >= phys for k in covered):
        raise ValueError("a rowspan reaches past the last row")
    return grid


def table_rows(table: Table) -> list[tuple[int, int]]:
    """Which row of the data each physical row of :func:`table_grid` is.

    Returns:
        ``(row_index, repetition)`` per physical row, ``repetition`` counting from 1 for a
        row with ``repeat`` > 1 (and 1 otherwise).
    """
    return [(r, k) for r, row in enumerate(table.rows) for k in range(1, row.repeat + 1)]


def table_grid_problems(table: Table) -> list[tuple[int, str, str]]:
    """``(row_index, zh, en)`` when the table's cells do not form a full grid."""
    try:
        table_grid(table)
    except ValueError as exc:
        row = int(str(exc).split(":")[0].split()[-1]) if str(exc).startswith("row ") else 0
        return [(row, f"表格行的单元格与列宽数（{len(table.widths)} 列）不符：{exc}",
                 f"table cells do not fill the {len(table.widths)} columns: {exc}")]
    return []


# --------------------------------------------------------------------------- walkers


class CategoryPlace(NamedTuple):
    """A category in its tree: its ancestors (outermost first) and where it is in the data
    (``("categories", 0, "children", 2)``)."""

    category: Category
    ancestors: tuple[Category, ...]
    loc: tuple[str | int, ...]


def category_places(
    categories: list[Category],
    loc: tuple[str | int, ...] = ("categories",),
    ancestors: tuple[Category, ...] = (),
) -> Iterator[CategoryPlace]:
    """The one walk of a category tree: every category depth first, with its place.

    Parameters:
        categories: A call's categories (or any category's children).
        loc: Where ``categories`` are in the data.
        ancestors: The categories above them.

    Returns:
        An iterator of :class:`CategoryPlace`.
    """
    for i, c in enumerate(categories):
        here = (*loc, i)
        yield CategoryPlace(c, ancestors, here)
        yield from category_places(c.children, (*here, "children"), (*ancestors, c))


def iter_categories(categories: list[Category]) -> Iterator[Category]:
    """Yield categories depth first (:func:`category_places` without the places)."""
    return (place.category for place in category_places(categories))


def _blocks_of(form: Form) -> Iterator[Block]:
    yield from form.cover
    yield from form.instructions
    yield from form.blocks


def _inline_fields(parts: list[Inline], suffix: str) -> Iterator[tuple[str, Any]]:
    for p in parts:
        if isinstance(p, Blank):
            yield p.blank + suffix, p
        elif isinstance(p, Checkbox):
            yield p.choice + suffix, p


def iter_form_fields(form: Form) -> Iterator[tuple[str, InputArea | Blank | Checkbox]]:
    """Yield ``(field_id, element)`` for every fillable element; repeated rows get -1, -2…"""
    for block in _blocks_of(form):
        if isinstance(block, Paragraph):
            yield from _inline_fields(block.parts, "")
        elif isinstance(block, Table):
            for row in block.rows:
                for n in range(1, row.repeat + 1):
                    suffix = f"-{n}" if row.repeat > 1 else ""
                    for cell in row.cells:
                        if cell.input is not None:
                            yield cell.input.id + suffix, cell.input
                        if cell.parts is not None:
                            yield from _inline_fields(cell.parts, suffix)


def _has_quote_marker(annotation: Any) -> bool:
    """True when ``annotation`` is ``Quote`` or a union / list-free type containing it."""
    if any(isinstance(m, QuoteMarker) for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_has_quote_marker(arg) for arg in get_args(annotation) if get_origin(arg) is not list)


def _list_item_annotation(annotation: Any) -> Any:
    """The item annotation of ``list[X]`` / ``list[X] | None``; None when not a list."""
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    for arg in get_args(annotation):
        if get_origin(arg) is list:
            return get_args(arg)[0]
    return None


_QUOTE_STR = Annotated[str, QuoteMarker()]


@cache
def _quote_plan(cls: type[BaseModel]) -> tuple[tuple[str, bool, Any], ...]:
    """Per field of ``cls``: its name, whether a string there quotes the notice, and the
    annotation of its list items (worked out once per class, not once per value)."""
    plan = []
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        if any(isinstance(m, QuoteMarker) for m in info.metadata):
            annotation = _QUOTE_STR
        plan.append((name, _has_quote_marker(annotation), _list_item_annotation(annotation)))
    return tuple(plan)


def _walk_quotes(value: Any, quoted: bool, item: Any, path: str) -> Iterator[tuple[str, str]]:
    if value is None or isinstance(value, Enum):
        return
    if isinstance(value, BaseModel):
        yield from iter_quotes(value, path)
    elif isinstance(value, str):
        if quoted:
            yield path, value
    elif isinstance(value, list):
        item_quoted = item is not None and _has_quote_marker(item)
        inner = _list_item_annotation(item) if item is not None else None
        for i, element in enumerate(value):
            yield from _walk_quotes(element, item_quoted, inner, f"{path}[{i}]")


def iter_quotes(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(field_path, text)`` for every string that quotes the notice.

    Only fields typed ``Quote`` count; editorial text, ids and enums are skipped.
    """
    for name, quoted, item in _quote_plan(type(model)):
        sub = f"{path}.{name}" if path else name
        yield from _walk_quotes(getattr(model, name), quoted, item, sub)


def _model_types(annotation: Any) -> list[type[BaseModel]]:
    """Models reachable from an annotation (through Optional, list, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        out.extend(_model_types(arg))
    return out


def field_title(loc: tuple[str | int, ...], model: type[BaseModel] | None = None) -> str:
    """Chinese title of the field at ``loc`` (e.g. ``("deadlines", 0, "date")`` → 日期)."""
    candidates: list[type[BaseModel]] = [model or Call]
    title = ""
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        found = False
        for cls in candidates:
            info = cls.model_fields.get(part)
            if info is None:
                continue
            if not found:
                title = info.title or ""
                found = True
            nxt.extend(_model_types(info.annotation))
        if not found:
            continue  # a union tag or unknown key: stay where we are
        candidates = nxt
    return title


Category.model_rebuild()
