"""Demo data for the agency tree and its people (演示数据).

The hierarchy is real: the region, its 12 leagues and cities and all their county-level units come
from ``data/inner-mongolia-divisions.json`` (a copy of the project's shared data file, so the
product never reads outside its package). Everything else is synthetic and deterministic: codes
derived from pinyin, unified social credit codes with correct check characters, contact details
that cannot reach a real person (local phone numbers starting with 0, e-mail under the reserved
``.example`` domain) and disclosure guides written for this project.

``demo_agencies()`` builds the specifications without touching the database;
``sync_agencies()`` and ``sync_users()`` write them idempotently. ``gongkai demo`` calls them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from gongkai.agencies.models import Agency, AgencyKind, Membership, Role
from gongkai.core.errors import DomainError
from gongkai.core.identity import credit_code_check_char

DATA_FILE = Path(__file__).resolve().parent / "data" / "inner-mongolia-divisions.json"

#: The one password of every demo account (printed by ``gongkai demo``).
DEMO_PASSWORD = "gongkai-demo"

REGION_CODE = "150000"
OFFICE_HOURS = "工作日上午8:30—12:00，下午14:30—18:00（法定节假日除外）"

#: Per league or city: short abbreviation (for 发文代字), government 发文代字, postcode, area code.
LEAGUE_FACTS: dict[str, tuple[str, str, str, str]] = {
    "呼和浩特市": ("呼", "呼政", "010000", "0471"),
    "包头市": ("包", "包府", "014000", "0472"),
    "乌海市": ("乌海", "乌海政", "016000", "0473"),
    "赤峰市": ("赤", "赤政", "024000", "0476"),
    "通辽市": ("通", "通政", "028000", "0475"),
    "鄂尔多斯市": ("鄂", "鄂府", "017000", "0477"),
    "呼伦贝尔市": ("呼伦贝尔", "呼伦贝尔政", "021000", "0470"),
    "巴彦淖尔市": ("巴", "巴政", "015000", "0478"),
    "乌兰察布市": ("乌", "乌政", "012000", "0474"),
    "兴安盟": ("兴", "兴署", "137400", "0482"),
    "锡林郭勒盟": ("锡", "锡署", "026000", "0479"),
    "阿拉善盟": ("阿", "阿署", "750300", "0483"),
}
SEPARATELY_PLANNED_POSTCODES = {"满洲里市": "021400", "二连浩特市": "011100"}

#: Region departments: full name → (code suffix, 发文代字). Unknown names fall back to pinyin.
REGION_DEPARTMENTS: dict[str, tuple[str, str]] = {
    "内蒙古自治区人民政府办公厅": ("bgt", "内政办"),
    "内蒙古自治区发展和改革委员会": ("fgw", "内发改"),
    "内蒙古自治区教育厅": ("jyt", "内教"),
    "内蒙古自治区科学技术厅": ("kjt", "内科"),
    "内蒙古自治区工业和信息化厅": ("gxt", "内工信"),
    "内蒙古自治区民族事务委员会": ("mw", "内民委"),
    "内蒙古自治区公安厅": ("gat", "内公"),
    "内蒙古自治区民政厅": ("mzt", "内民政"),
    "内蒙古自治区司法厅": ("sft", "内司"),
    "内蒙古自治区财政厅": ("czt", "内财"),
    "内蒙古自治区人力资源和社会保障厅": ("rst", "内人社"),
    "内蒙古自治区自然资源厅": ("zrzyt", "内自然资"),
    "内蒙古自治区生态环境厅": ("stht", "内环"),
    "内蒙古自治区住房和城乡建设厅": ("zjt", "内建"),
    "内蒙古自治区交通运输厅": ("jtt", "内交"),
    "内蒙古自治区水利厅": ("slt", "内水"),
    "内蒙古自治区农牧厅": ("nmt", "内农牧"),
    "内蒙古自治区商务厅": ("swt", "内商"),
    "内蒙古自治区文化和旅游厅": ("wlt", "内文旅"),
    "内蒙古自治区卫生健康委员会": ("wjw", "内卫健"),
    "内蒙古自治区退役军人事务厅": ("tyjrt", "内退役"),
    "内蒙古自治区应急管理厅": ("yjt", "内应急"),
    "内蒙古自治区审计厅": ("sjt", "内审"),
    "内蒙古自治区人民政府外事办公室": ("wb", "内外办"),
    "内蒙古自治区人民政府国有资产监督管理委员会": ("gzw", "内国资"),
    "内蒙古自治区市场监督管理局": ("scjgj", "内市监"),
    "内蒙古自治区广播电视局": ("gdj", "内广电"),
    "内蒙古自治区体育局": ("tyj", "内体"),
    "内蒙古自治区统计局": ("tjj", "内统"),
    "内蒙古自治区医疗保障局": ("ybj", "内医保"),
    "内蒙古自治区林业和草原局": ("lcj", "内林草"),
    "内蒙古自治区能源局": ("nyj", "内能源"),
    "内蒙古自治区政务服务与数据管理局": ("zwfwj", "内政务"),
    "内蒙古自治区信访局": ("xfj", "内信访"),
}

#: Departments created under every league and city government: (name, code suffix, 代字 part).
LEAGUE_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("教育局", "jyj", "教"),
    ("财政局", "czj", "财"),
    ("自然资源局", "zrzyj", "自然资"),
    ("生态环境局", "sthjj", "环"),
    ("卫生健康委员会", "wjw", "卫健"),
]

#: The county-level unit that gets townships and departments in the demo.
DEMO_COUNTY = ("兴安盟", "乌兰浩特市")
#: (short name, kind suffix of the full name, code suffix, 发文代字)
DEMO_TOWNSHIPS: list[tuple[str, str, str, str]] = [
    ("和平街道", "办事处", "hpjd", "和平街"),
    ("兴安街道", "办事处", "xajd", "兴安街"),
    ("都林街道", "办事处", "dljd", "都林街"),
    ("乌兰哈达镇", "人民政府", "wlhdz", "乌兰哈达镇"),
    ("葛根庙镇", "人民政府", "ggmz", "葛根庙镇"),
    ("义勒力特镇", "人民政府", "ylltz", "义勒力特镇"),
]
DEMO_COUNTY_DEPARTMENTS: list[tuple[str, str, str]] = [
    ("教育局", "jyj", "教"),
    ("财政局", "czj", "财"),
]

#: Fields that place an agency in the tree; ``sync_agencies`` keeps them as specified.
IDENTITY_FIELDS = ("name", "short_name", "kind", "division_code", "is_separately_planned")
#: Fields an agency's own staff may edit; ``sync_agencies`` only fills them while empty.
CONTENT_FIELDS = (
    "doc_prefix",
    "credit_code",
    "office_name",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "guide_text",
)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    division_code: str = ""
    is_separately_planned: bool = False
    doc_prefix: str = ""
    credit_code: str = ""
    office_name: str = ""
    address: str = ""
    postcode: str = ""
    office_hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    guide_text: str = ""


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    agency_code: str | None = None
    role: Role | None = None
    superuser: bool = False


#: Demo logins: a system administrator and every role in several agencies.
DEMO_USERS: list[DemoUser] = [
    DemoUser("admin", "系统管理员", superuser=True),
    DemoUser("region_supervisor", "赵政", REGION_CODE, Role.SUPERVISOR),
    DemoUser("region_officer", "钱文", REGION_CODE, Role.OFFICER),
    DemoUser("region_jyt_officer", "孙敏", f"{REGION_CODE}-jyt", Role.OFFICER),
    DemoUser("xingan_officer", "李娜", "152200", Role.OFFICER),
    DemoUser("xingan_reviewer", "周强", "152200", Role.REVIEWER),
    DemoUser("xingan_head", "吴刚", "152200", Role.HEAD),
    DemoUser("xingan_supervisor", "郑洁", "152200", Role.SUPERVISOR),
    DemoUser("xingan_admin", "王磊", "152200", Role.ADMINISTRATOR),
    DemoUser("xingan_jyj_officer", "冯丽", "152200-jyj", Role.OFFICER),
    DemoUser("wulanhaote_officer", "陈静", "152200-wlhts", Role.OFFICER),
    DemoUser("wulanhaote_head", "褚明", "152200-wlhts", Role.HEAD),
    DemoUser("xilinguole_officer", "卫华", "152500", Role.OFFICER),
]


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("新建 %(created)d，更新 %(updated)d，未变 %(unchanged)d") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- Building the specifications (no database) ---------------------------------------------


@cache
def load_divisions(path: Path = DATA_FILE) -> dict[str, Any]:
    """The region's divisions and departments as stored in the package's data file."""
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def pinyin_initials(text: str) -> str:
    """``乌兰浩特市`` → ``wlhts``: the first letter of each syllable, ASCII only."""
    letters = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    return "".join(ch for ch in letters if ch.isascii() and ch.isalnum())


def _digits(seed: str, width: int) -> str:
    number = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16) % 10**width
    return f"{number:0{width}d}"


def organisation_code_check_char(first8: str) -> str:
    """Check character of a 9-character organisation code (组织机构代码, GB 11714-1997)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    values = [int(ch, 36) for ch in first8]
    check = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def demo_credit_code(division_code: str, seed: str) -> str:
    """A deterministic unified social credit code for a government body (机构编制 + 机关: ``11``).

    Layout per GB 32100-2015: registration authority and type (2), division code (6),
    organisation code with its own check character (9), credit-code check character (1).
    """
    body = _digits(seed, 8)
    org_code = body + organisation_code_check_char(body)
    first17 = f"11{division_code}{org_code}"
    return first17 + credit_code_check_char(first17)


def abbreviate(unit: str) -> str:
    """A short form of a county-level name for its 发文代字: 科尔沁右翼前旗 → 科右前, 新巴尔虎左旗 → 新左."""
    core = unit[:-1]  # drop 旗/县/市/区
    for wing, side in (("左翼", "左"), ("右翼", "右")):
        if wing in core:
            return core[0] + side + core.split(wing, 1)[1]
    if len(core) > 2 and core[-1] in "左右前中后":
        return core[0] + core[-1]
    return core[0]


def _unique_abbreviations(units: list[str]) -> dict[str, str]:
    """Abbreviations unique within one league, lengthened from the name where they clash."""
    result = {unit: abbreviate(unit) for unit in units}
    for width in range(2, 12):
        clashes = {a for a, n in Counter(result.values()).items() if n > 1}
        if not clashes:
            break
        for unit, abbreviation in result.items():
            if abbreviation in clashes:
                result[unit] = unit[:-1][:width]
    return result


def guide_text(agency_name: str, office_name: str, review_body: str) -> str:
    """A disclosure guide (政府信息公开指南, 条例第十二条) written for the demo, in plain words."""
    return f"""一、本指南的用途
本指南介绍{agency_name}公开政府信息的范围、渠道和办理程序，方便公民、法人和其他组织查找和获取政府信息。工作机构、联系方式等发生变化时，本指南随之更新。

二、主动公开的信息
（一）范围。机构职能和负责人信息，规范性文件，发展规划和工作计划，财政预算决算，行政许可、行政处罚等执法结果，政府采购，公共服务事项，突发事件应急预案等，按照条例第十九条、第二十条和有关规定主动公开。
（二）渠道。在本平台“政府信息公开”栏目集中发布，必要时同时通过新闻发布会、政务新媒体、广播电视和报刊发布，并在档案馆、公共图书馆和政务服务场所设置查阅点。
（三）时限。信息形成或者变更之日起20个工作日内公开，法律、法规对期限另有规定的从其规定。

三、申请获取政府信息
（一）受理机构。{office_name}统一受理向{agency_name}提出的政府信息公开申请，联系方式见本页“联系方式”。
（二）如何申请。可以在本平台在线提交申请，也可以邮寄信函、发送传真，或者在办公时间到受理机构当面提交；书面提交确有困难的，可以口头提出，由受理机构工作人员代为填写申请。申请时请写明：申请人的姓名或者名称、身份证明和联系方式；所需信息的名称、文号，或者便于我们查找的其他特征；希望获取信息的形式（纸质、电子邮件、光盘、现场查阅等）和途径（邮寄、自行领取、网上获取等）。邮寄申请的，请在信封上注明“政府信息公开申请”。
（三）申请内容不明确的。我们会在收到申请之日起7个工作日内一次性告知需要补正的事项和合理的补正期限。答复期限自收到补正后的申请之日起计算。
（四）答复期限。能够当场答复的当场答复；不能当场答复的，在收到申请之日起20个工作日内答复。需要延长的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日。征求第三方和其他机关意见所需时间不计算在期限内。
（五）费用。提供政府信息一般不收费。申请数量、频次明显超过合理范围的，依照国家规定收取信息处理费，收费前书面告知。

四、监督和救济
认为{agency_name}在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报；也可以依法向{review_body}申请行政复议，或者依法向人民法院提起行政诉讼。
"""


def _contact(
    code: str,
    name: str,
    office_name: str,
    locality: str,
    postcode: str,
    area_code: str,
    review_body: str,
    *,
    building: str,
) -> dict[str, str]:
    return {
        "office_name": office_name,
        "address": f"{locality}{building}{int(_digits(code + ':floor', 1)) % 9 + 1}层",
        "postcode": postcode,
        "office_hours": OFFICE_HOURS,
        # Local numbers never start with 0, so these cannot ring a real line.
        "phone": f"{area_code}-0{_digits(code + ':tel', 6)}",
        "fax": f"{area_code}-0{_digits(code + ':fax', 6)}",
        "email": f"gongkai-{code}@demo.example",
        "guide_text": guide_text(name, office_name, review_body),
    }


def _department_office(name: str) -> str:
    return f"{name}综合处" if name.endswith(("办公厅", "办公室")) else f"{name}办公室"


def demo_agencies(divisions: dict[str, Any] | None = None) -> list[AgencySpec]:
    """Every demo agency, parents before children."""
    data = divisions if divisions is not None else load_divisions()
    separately_planned = set(data.get("separately_planned_cities", []))
    specs: list[AgencySpec] = []

    region = data["region"]
    region_name = region["government"]
    region_division = region["division_code"]
    capital_postcode, capital_area = LEAGUE_FACTS["呼和浩特市"][2:]
    region_office = f"{region_name}办公厅政务公开办公室"
    specs.append(
        AgencySpec(
            code=region_division,
            name=region_name,
            short_name=region["name"],
            kind=AgencyKind.REGION_GOVERNMENT,
            parent_code=None,
            division_code=region_division,
            doc_prefix="内政",
            credit_code=demo_credit_code(region_division, region_division),
            **_contact(
                region_division,
                region_name,
                region_office,
                "呼和浩特市",
                capital_postcode,
                capital_area,
                region_name,
                building="政务服务中心",
            ),
        )
    )
    for dept_name in data["region_departments"]:
        short = dept_name.removeprefix(region["name"]).removeprefix("人民政府")
        suffix, doc_prefix = REGION_DEPARTMENTS.get(
            dept_name, (pinyin_initials(short), "内" + short[:2])
        )
        code = f"{region_division}-{suffix}"
        specs.append(
            AgencySpec(
                code=code,
                name=dept_name,
                short_name=short,
                kind=AgencyKind.DEPARTMENT,
                parent_code=region_division,
                doc_prefix=doc_prefix,
                credit_code=demo_credit_code(region_division, code),
                **_contact(
                    code,
                    dept_name,
                    _department_office(dept_name),
                    "呼和浩特市",
                    capital_postcode,
                    capital_area,
                    region_name,
                    building="行政办公区",
                ),
            )
        )

    for league in data["leagues_and_cities"]:
        league_name = league["name"]
        if league_name not in LEAGUE_FACTS:
            raise DomainError(
                _("演示数据缺少“%(name)s”的代字、邮编和区号，请补充 LEAGUE_FACTS。")
                % {"name": league_name}
            )
        abbreviation, league_prefix, postcode, area_code = LEAGUE_FACTS[league_name]
        league_code = league["division_code"]
        government = league["government"]
        specs.append(
            AgencySpec(
                code=league_code,
                name=government,
                short_name=league_name,
                kind=AgencyKind.LEAGUE_GOVERNMENT,
                parent_code=region_division,
                division_code=league_code,
                doc_prefix=league_prefix,
                credit_code=demo_credit_code(league_code, league_code),
                **_contact(
                    league_code,
                    government,
                    f"{government}办公室",
                    league_name,
                    postcode,
                    area_code,
                    region_name,
                    building="政务服务中心",
                ),
            )
        )
        for dept, suffix, part in LEAGUE_DEPARTMENTS:
            code = f"{league_code}-{suffix}"
            name = f"{league_name}{dept}"
            specs.append(
                AgencySpec(
                    code=code,
                    name=name,
                    short_name=dept,
                    kind=AgencyKind.DEPARTMENT,
                    parent_code=league_code,
                    doc_prefix=abbreviation + part,
                    credit_code=demo_credit_code(league_code, code),
                    **_contact(
                        code,
                        name,
                        f"{name}办公室",
                        league_name,
                        postcode,
                        area_code,
                        government,
                        building="行政办公区",
                    ),
                )
            )
        abbreviations = _unique_abbreviations(league["county_level"])
        for unit in league["county_level"]:
            if unit[-1] not in "旗县市区":
                raise DomainError(
                    _("无法识别旗县市区名称“%(name)s”：应以旗、县、市或区结尾。") % {"name": unit}
                )
            code = f"{league_code}-{pinyin_initials(unit)}"
            name = f"{unit}人民政府"
            locality = unit if unit.endswith("市") else f"{league_name}{unit}"
            specs.append(
                AgencySpec(
                    code=code,
                    name=name,
                    short_name=unit,
                    kind=AgencyKind.COUNTY_GOVERNMENT,
                    parent_code=league_code,
                    is_separately_planned=unit in separately_planned,
                    doc_prefix=abbreviations[unit] + "政",
                    credit_code=demo_credit_code(league_code, code),
                    **_contact(
                        code,
                        name,
                        f"{name}办公室",
                        locality,
                        SEPARATELY_PLANNED_POSTCODES.get(unit, postcode),
                        area_code,
                        government,
                        building="政务服务中心",
                    ),
                )
            )
            if (league_name, unit) == DEMO_COUNTY:
                specs.extend(
                    _county_extras(code, unit, name, league_code, locality, postcode, area_code)
                )

    codes = [spec.code for spec in specs]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise DomainError(_("演示机构编码重复：%(codes)s") % {"codes": "、".join(duplicates)})
    return specs


def _county_extras(
    county_code: str,
    unit: str,
    government: str,
    league_code: str,
    locality: str,
    postcode: str,
    area_code: str,
) -> list[AgencySpec]:
    specs = []
    for dept, suffix, part in DEMO_COUNTY_DEPARTMENTS:
        code = f"{county_code}-{suffix}"
        name = f"{unit}{dept}"
        specs.append(
            AgencySpec(
                code=code,
                name=name,
                short_name=dept,
                kind=AgencyKind.DEPARTMENT,
                parent_code=county_code,
                doc_prefix=unit[0] + part,
                credit_code=demo_credit_code(league_code, code),
                **_contact(
                    code,
                    name,
                    f"{name}办公室",
                    locality,
                    postcode,
                    area_code,
                    government,
                    building="行政办公区",
                ),
            )
        )
    for short, kind_suffix, suffix, doc_prefix in DEMO_TOWNSHIPS:
        code = f"{county_code}-{suffix}"
        name = f"{unit}{short}{kind_suffix}"
        specs.append(
            AgencySpec(
                code=code,
                name=name,
                short_name=short,
                kind=AgencyKind.TOWNSHIP_GOVERNMENT,
                parent_code=county_code,
                doc_prefix=doc_prefix,
                credit_code=demo_credit_code(league_code, code),
                **_contact(
                    code,
                    name,
                    f"{name}党政综合办公室",
                    f"{locality}{short}",
                    postcode,
                    area_code,
                    government,
                    building="便民服务中心",
                ),
            )
        )
    return specs


# --- Writing to the database ---------------------------------------------------------------


def _validated(agency: Agency) -> Agency:
    try:
        agency.full_clean()
    except ValidationError as exc:
        details = "；".join(f"{k}：{' '.join(v)}" for k, v in exc.message_dict.items())
        raise DomainError(
            _("演示机构“%(name)s”（%(code)s）无效：%(details)s")
            % {"name": agency.name, "code": agency.code, "details": details}
        ) from exc
    return agency


@transaction.atomic
def sync_agencies(specs: list[AgencySpec]) -> SyncCounts:
    """Create or update the agencies of ``specs`` (matched by code); safe to run again.

    Identity fields (name, kind, parent …) follow the specification; contact fields and the guide
    are filled only while empty, so edits made by an agency's own staff survive a re-run.
    """
    counts = SyncCounts()
    by_code: dict[str, Agency] = {
        a.code: a for a in Agency.objects.filter(code__in=[s.code for s in specs])
    }
    moved = False
    for spec in specs:
        parent = by_code[spec.parent_code] if spec.parent_code else None
        agency = by_code.get(spec.code)
        if agency is None:
            agency = Agency(code=spec.code, parent=parent)
            for name in IDENTITY_FIELDS + CONTENT_FIELDS:
                setattr(agency, name, getattr(spec, name))
            _validated(agency).save()
            by_code[spec.code] = agency
            counts.created += 1
            continue
        if moved:
            agency.refresh_from_db(fields=["path", "depth"])
        changed = False
        if agency.parent_id != (parent.pk if parent else None):
            agency.parent = parent
            changed = moved = True
        for name in IDENTITY_FIELDS:
            if getattr(agency, name) != getattr(spec, name):
                setattr(agency, name, getattr(spec, name))
                changed = True
        for name in CONTENT_FIELDS:
            if not getattr(agency, name) and getattr(spec, name):
                setattr(agency, name, getattr(spec, name))
                changed = True
        if changed:
            _validated(agency).save()
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


@transaction.atomic
def sync_users(
    users: list[DemoUser],
    *,
    password: str = DEMO_PASSWORD,
    reset_passwords: bool = False,
) -> SyncCounts:
    """Create or update the demo users, matched by username.

    A password is set when the user is created, and again only with ``reset_passwords``: a demo
    user who changed their password keeps it.
    """
    user_model = get_user_model()
    counts = SyncCounts()
    encoded = make_password(password)  # hashed once: the same password for every demo account
    for spec in users:
        wanted = {
            "first_name": spec.full_name,
            "last_name": "",
            "is_superuser": spec.superuser,
            "is_staff": spec.superuser,
        }
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            user = user_model(username=spec.username, password=encoded, **wanted)
            user.save()
            counts.created += 1
        else:
            changed = [k for k, v in wanted.items() if getattr(user, k) != v]
            for k in changed:
                setattr(user, k, wanted[k])
            if reset_passwords:
                user.password = encoded
                changed.append("password")
            if changed:
                user.save(update_fields=changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
    return counts


@transaction.atomic
def sync_memberships(users: list[DemoUser]) -> SyncCounts:
    """Give each demo user its role in its agency (users and agencies must exist)."""
    counts = SyncCounts()
    wanted = [u for u in users if u.agency_code and u.role]
    agencies = {a.code: a for a in Agency.objects.filter(code__in={u.agency_code for u in wanted})}
    accounts = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={w.username for w in wanted})
    }
    for spec in wanted:
        if spec.agency_code not in agencies or spec.username not in accounts:
            raise DomainError(
                _("演示用户 %(user)s 或其机构编码“%(code)s”不存在。")
                % {"user": spec.username, "code": spec.agency_code}
            )
        _membership, created = Membership.objects.get_or_create(
            user=accounts[spec.username], agency=agencies[spec.agency_code], role=spec.role
        )
        if created:
            counts.created += 1
        else:
            counts.unchanged += 1
    return counts


def login_rows(users: list[DemoUser] = DEMO_USERS) -> list[tuple[str, str, str, str]]:
    """(username, password, agency, role) for the printed table of demo logins."""
    names = dict(
        Agency.objects.filter(code__in={u.agency_code for u in users}).values_list("code", "name")
    )
    rows = []
    for user in users:
        agency = names.get(user.agency_code or "", "—")
        role = (
            _("系统管理员") if user.superuser else str(Role(user.role).label) if user.role else "—"
        )
        rows.append((user.username, DEMO_PASSWORD, agency, role))
    return rows
