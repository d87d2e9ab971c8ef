"""JSON API of disclosure requests (依申请公开).

Public (/api/v1/requests, no token):

- ``POST /requests``: file a request. The same rules as the web form —
  :func:`gongkai.applications.intake.create_application` (条例第二十九条: applicant, identity,
  contact, description, form and delivery) with a mandatory query password — but instead of a
  captcha the endpoint is rate-limited per client address and per applicant identity
  (:mod:`gongkai.apitokens.ratelimit`).
- ``POST /requests/status``: the applicant's view of a request with tracking code and query
  password (:mod:`gongkai.applications.tracking`: same message for a wrong code or password, same
  failure limits as the tracking page), plus a per-address limit.

Staff (/api/v1/staff/requests, personal token): list and filter the requests in the user's scope
(:func:`gongkai.applications.access.readable` + :func:`gongkai.applications.ledger.filter_requests`,
as the inbox and ledger), read one with its events and the derived clock (the explanation of the
deadline from :func:`gongkai.applications.clock.compute`), and perform each step of the request
page through the same service function the console calls (:mod:`gongkai.applications.services`),
so an illegal step gets the same refusal and message.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from gongkai.agencies.api import AgencyRef
from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for
from gongkai.apitokens import ratelimit
from gongkai.apitokens.auth import actor
from gongkai.apitokens.schemas import (
    ApiDate,
    Input,
    PageQuery,
    choice,
    page_schema,
    paginate,
    responses,
)
from gongkai.applications import access, clock, intake, ledger, outcomes, services, tracking
from gongkai.applications.clock import DeliveryMethod, Party
from gongkai.applications.fees import FeeMethod
from gongkai.applications.forms_public import SUBMISSION_TOKEN_RE
from gongkai.applications.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    Channel,
    Delivery,
    Event,
    EventType,
    FormWanted,
    IdType,
    StatusChoice,
)
from gongkai.applications.views.public import arrival_instant
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.core.http import client_address

router = Router(tags=["依申请公开（公开）"])
staff_router = Router(tags=["依申请公开（工作人员）"])

#: The outcomes an officer may choose in a reply (the two closing ones are set by ``gongkai tick``).
ReplyOutcome = StrEnum(  # type: ignore[misc]
    "ReplyOutcome", {value: value for value, _label in outcomes.choices(officer_only=True)}
)


# --- public: submission --------------------------------------------------------------------------


class RequestIn(Input):
    """A request for government information (政府信息公开申请, 条例第二十九条)."""

    agency: str = Field(..., max_length=40, description="受理机关的机构编码")
    applicant_type: choice(ApplicantType)
    applicant_name: str = Field(..., max_length=100, description="申请人姓名或名称")
    id_type: choice(IdType)
    id_number: str = Field(..., max_length=40)
    contact_person: str = Field("", max_length=50, description="法人或者其他组织必填")
    phone: str = Field(..., max_length=30)
    email: str = Field("", max_length=254, description="选择电子邮件时必填")
    address: str = Field("", max_length=200, description="选择邮寄时必填")
    postcode: str = Field("", max_length=6)
    description: str = Field(
        ..., max_length=intake.DESCRIPTION_MAX_LENGTH, description="所需信息的内容描述"
    )
    document_hint: str = Field("", max_length=300, description="信息名称、文号等特征")
    form_wanted: choice(FormWanted)
    delivery: choice(Delivery)
    secret: str = Field(
        ...,
        min_length=intake.SECRET_MIN_LENGTH,
        max_length=intake.SECRET_MAX_LENGTH,
        description="查询密码（至少6位），与查询码一起用于查询办理进度",
    )
    submission_token: str | None = Field(
        None,
        pattern=SUBMISSION_TOKEN_RE.pattern,
        description="可选的幂等键（32–64位字母、数字、-、_）：重复提交返回同一申请",
    )


class SubmittedOut(Schema):
    tracking_code: str = Field(..., description="查询码")
    agency: AgencyRef
    status: StatusChoice
    status_label: str
    arrived_at: dt.datetime
    received_on: dt.date | None = Field(
        None, description="收到申请之日：网上申请在机关确认后才确定（条例第三十一条）"
    )


def _submitted(application: Application) -> dict[str, Any]:
    return {
        "tracking_code": application.tracking_code,
        "agency": application.agency,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "arrived_at": application.arrived_at,
        "received_on": application.received_on,
    }


@router.post(
    "",
    response=responses({201: SubmittedOut}),
    summary="提交政府信息公开申请",
    description=(
        "与网上申请表相同的校验；无需验证码，但按来源地址和申请人身份证件限制频率（429）。"
    ),
)
def submit_request(request: HttpRequest, payload: RequestIn) -> Status:
    ratelimit.hit("submit_ip", client_address(request))
    agency = Agency.objects.active().filter(code=payload.agency).first()
    if agency is None:
        raise DomainError(_("受理机关不存在或不接受申请。"), code="unknown_agency", field="agency")
    identity = f"{payload.id_type}:{payload.id_number.replace(' ', '').upper()}"
    ratelimit.hit("submit_identity", identity)
    applicant = payload.model_dump(include=set(intake.APPLICANT_FIELDS))
    application = intake.create_application(
        agency,
        applicant=applicant,
        channel=Channel.ONLINE,
        arrived_at=arrival_instant(),
        secret=intake.check_secret(payload.secret),
        submission_token=payload.submission_token,
    )
    return Status(201, _submitted(application))


# --- public: status --------------------------------------------------------------------------


class StatusQueryIn(Input):
    tracking_code: str = Field(..., max_length=40, description="查询码，如 GK-2026-7Q4M9XK2")
    secret: str = Field(..., max_length=intake.SECRET_MAX_LENGTH, description="查询密码")


class TimelineOut(Schema):
    on: dt.date
    label: str
    detail: str


class PublicLetterOut(Schema):
    number: str
    title: str
    letter_date: dt.date
    void: bool


class StatusOut(Schema):
    tracking_code: str
    agency: AgencyRef
    status: StatusChoice
    status_label: str
    arrived_at: dt.datetime
    received_on: dt.date | None
    due_on: dt.date | None = Field(None, description="答复期限（办结后为 null）")
    outcome: str | None = Field(None, description="办理结果代码（年度报告表三）")
    outcome_label: str
    closed_on: dt.date | None
    timeline: list[TimelineOut]
    letters: list[PublicLetterOut] = Field(..., description="送申请人的文书")


def _public_letters(application: Application) -> list[dict[str, Any]]:
    try:
        from gongkai.letters.services import public_letters
    except ImportError:  # pragma: no cover - letters app absent
        return []
    return [
        {
            "number": letter.number,
            "title": letter.title,
            "letter_date": letter.letter_date,
            "void": letter.is_void,
        }
        for letter in public_letters(application)
    ]


@router.post(
    "/status",
    response=responses({200: StatusOut}),
    summary="凭查询码和查询密码查询办理进度",
    description="查询码或密码错误时统一返回 404（tracking_denied）；错误次数过多返回 429。",
)
def request_status(request: HttpRequest, payload: StatusQueryIn) -> dict[str, Any]:
    client = client_address(request)
    ratelimit.hit("status_ip", client)
    application = tracking.find_for_applicant(payload.tracking_code, payload.secret, client=client)
    return {
        **_submitted(application),
        "due_on": application.due_on if not application.closed_on else None,
        "outcome": application.outcome or None,
        "outcome_label": tracking.outcome_label(application),
        "closed_on": application.closed_on,
        "timeline": tracking.public_timeline(application),
        "letters": _public_letters(application),
    }


# --- staff: reading ------------------------------------------------------------------------------


class UserRef(Schema):
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class RequestSummaryOut(Schema):
    id: int
    tracking_code: str
    agency: AgencyRef
    applicant_type: ApplicantType
    applicant_name: str
    channel: Channel
    arrived_at: dt.datetime
    received_on: dt.date | None
    status: StatusChoice
    status_label: str
    due_on: dt.date | None
    light: Literal["green", "yellow", "red"] | None = Field(None, description="红黄绿灯")
    outcome: str | None
    closed_on: dt.date | None
    on_time: bool | None
    assigned_to: UserRef | None

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_light(obj: Application) -> str | None:
        return ledger.light_of(obj, dates.today())

    @staticmethod
    def resolve_outcome(obj: Application) -> str | None:
        return obj.outcome or None


RequestPage = page_schema(RequestSummaryOut)


class EventOut(Schema):
    id: int
    type: EventType
    label: str
    on: dt.date
    data: dict[str, Any]
    actor: UserRef | None
    created_at: dt.datetime

    @staticmethod
    def resolve_label(obj: Event) -> str:
        return str(obj.get_type_display())


class ClockOut(Schema):
    """The derived clock (:meth:`gongkai.applications.clock.ClockResult.as_json`)."""

    status: clock.Status
    status_label: str
    due_on: dt.date | None
    clock_start: dt.date | None
    paused: list[list[dt.date | None]] = Field(
        ..., description="暂停区间 [起, 止]，止为 null 表示仍在暂停"
    )
    explanation: list[str] = Field(..., description="答复期限的计算说明（中文）")
    correction_due_on: dt.date | None
    correction_deadline: dt.date | None
    fee_received_on: dt.date | None
    fee_due_on: dt.date | None
    extension_workdays: int
    closed_on: dt.date | None
    outcome: str | None
    on_time: bool | None
    provisional: bool
    overdue: bool
    today: dt.date | None
    workdays_left: int | None = Field(None, description="剩余工作日（负数为逾期）")


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class AppealOut(Schema):
    id: int
    kind: AppealKind
    body: str
    case_number: str
    filed_on: dt.date
    result: AppealResult
    decided_on: dt.date | None
    note: str


class RequestDetailOut(RequestSummaryOut):
    id_type: IdType
    id_number: str = Field(..., description="证件号码；仅承办机关的公开专员、负责人见完整号码")
    contact_person: str
    phone: str = Field(..., description="联系电话；仅承办机关的公开专员、负责人见完整号码")
    personal_data_full: bool = Field(
        ..., description="证件号码和联系电话是否完整显示（否则已部分隐去）"
    )
    personal_data_erased_on: dt.date | None = Field(
        None, description="保存期限届满、申请人个人信息被删除的日期"
    )
    email: str
    address: str
    postcode: str
    description: str
    document_hint: str
    form_wanted: FormWanted
    delivery: Delivery
    signed_on: dt.date | None
    confirmed_on: dt.date | None
    clock: ClockOut | None = Field(None, description="尚未确认收到申请时为 null")
    clock_error: str = Field(..., description="无法计算期限的原因（如缺少节假日数据）")
    pending_extension: bool = Field(..., description="是否有待负责人审批的延期申请")
    events: list[EventOut]
    attachments: list[AttachmentOut]
    appeals: list[AppealOut]

    @staticmethod
    def resolve_id_number(obj: Application) -> str:
        return _personal(obj).id_number

    @staticmethod
    def resolve_phone(obj: Application) -> str:
        return _personal(obj).phone

    @staticmethod
    def resolve_personal_data_full(obj: Application) -> bool:
        return _personal(obj).full

    @staticmethod
    def resolve_clock(obj: Application) -> dict[str, Any] | None:
        return getattr(obj, "_api_clock", None)

    @staticmethod
    def resolve_clock_error(obj: Application) -> str:
        return getattr(obj, "_api_clock_error", obj.clock_error)

    @staticmethod
    def resolve_pending_extension(obj: Application) -> bool:
        return services.pending_extension(obj) is not None

    @staticmethod
    def resolve_events(obj: Application) -> list[Event]:
        return list(obj.events.select_related("actor").order_by("on", "id"))

    @staticmethod
    def resolve_attachments(obj: Application) -> list[Any]:
        return list(obj.attachments.order_by("id"))

    @staticmethod
    def resolve_appeals(obj: Application) -> list[Any]:
        return list(obj.appeals.order_by("filed_on", "id"))


class RequestFilters(PageQuery):
    status: StatusChoice | Literal["open", "all"] = Field(
        "all", description="状态；open 为尚未办结（含已答复待送达），all 为全部"
    )
    light: Literal["green", "yellow", "red"] | None = None
    agency: str | None = Field(None, max_length=40, description="机构编码")
    subtree: bool = Field(False, description="与 agency 合用：含下级机构")
    applicant_type: ApplicantType | None = None
    channel: Channel | None = None
    received_from: ApiDate | None = Field(None, description="收到申请之日，起")
    received_to: ApiDate | None = Field(None, description="收到申请之日，止")
    assignee: Literal["me", "none"] | None = Field(None, description="me：我承办的；none：未分配")
    q: str | None = Field(None, max_length=100, description="查询码、申请人或内容包含")
    order: Literal["inbox", "newest"] = Field(
        "newest", description="inbox：待确认在前、按期限；newest：新到在前"
    )


STAFF = {"auth": True}


@staff_router.get("", response=responses({200: RequestPage}, **STAFF), summary="申请列表与筛选")
def staff_list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> dict[str, Any]:
    user = actor(request)
    values: dict[str, Any] = filters.model_dump(exclude={"limit", "offset", "order"})
    values["user"] = user
    if filters.agency:
        agency = agencies_for(user, access.READ_ROLES).filter(code=filters.agency).first()
        if agency is None:
            raise Http404
        values["agency"] = agency
    today = dates.today()
    queryset = ledger.filter_requests(access.readable(user), values, today)
    if filters.order == "inbox":
        queryset = ledger.inbox_order(queryset)
    else:
        queryset = ledger.ledger_order(queryset)
    return paginate(queryset.select_related("agency", "assigned_to"), filters)


def _readable(request: HttpRequest, request_id: int) -> Application:
    return access.get_readable_or_404(actor(request), pk=request_id)


def _personal(app: Application) -> access.PersonalData:
    """What :func:`_detail` decided the caller may see (masked when it was not called)."""
    personal = getattr(app, "_api_personal", None)
    return personal if personal is not None else access.personal_data(None, app)


def _detail(app: Application, user: Any) -> Application:
    """The request with its clock derived as of today and the personal data ``user`` may see
    (read by :class:`RequestDetailOut`)."""
    app._api_personal = access.personal_data(user, app)
    today = dates.today()
    app._api_clock = None
    app._api_clock_error = app.clock_error
    try:
        result = services.compute_clock(app, today)
    except DomainError as exc:
        result = None
        app._api_clock_error = exc.message
    if result is not None:
        clock_json = result.as_json()
        try:
            clock_json["workdays_left"] = clock.workdays_left(
                result, services.calendar_for(app), today
            )
        except DomainError:
            clock_json["workdays_left"] = None
        app._api_clock = clock_json
    return app


@staff_router.get(
    "/{int:request_id}",
    response=responses({200: RequestDetailOut}, **STAFF),
    summary="一件申请：办理记录与答复期限的计算",
)
def staff_get_request(request: HttpRequest, request_id: int) -> Application:
    return _detail(_readable(request, request_id), actor(request))


# --- staff: actions --------------------------------------------------------------------------
# Each action calls the same service function as the console's request page; the service checks
# the role (403), the clock (check_next) and the data, and raises DomainError (400/409) otherwise.


def _act(request: HttpRequest, request_id: int, call: Any) -> Application:
    app = _readable(request, request_id)
    call(app, actor(request))
    return _detail(access.get_readable_or_404(actor(request), pk=app.pk), actor(request))


def _on(value: dt.date | None) -> dt.date:
    return value or dates.today()


ACTION = {"response": responses({200: RequestDetailOut}, **STAFF)}
Text = Field("", max_length=2000)


class ConfirmReceiptIn(Input):
    on: ApiDate | None = Field(None, description="确认日期（默认今天）")
    contact_delayed: bool = Field(
        False, description="平常信函到达当日无法联系申请人（国办公开办函〔2015〕207号）"
    )


@staff_router.post(
    "/{int:request_id}/confirm-receipt", summary="确认收到申请（第三十一条）", **ACTION
)
def confirm_receipt(request: HttpRequest, request_id: int, payload: ConfirmReceiptIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.confirm_receipt(
            app, _on(payload.on), user, contact_delayed=payload.contact_delayed
        ),
    )


class AssignIn(Input):
    assignee: str = Field(
        ..., max_length=150, description="承办人的用户名（本机关公开专员或负责人）"
    )


@staff_router.post("/{int:request_id}/assign", summary="分配承办人", **ACTION)
def assign(request: HttpRequest, request_id: int, payload: AssignIn) -> Any:
    person = get_user_model().objects.filter(username=payload.assignee, is_active=True).first()
    return _act(request, request_id, lambda app, user: services.assign(app, person, user))


class CorrectionRequestIn(Input):
    on: ApiDate | None = Field(None, description="告知日期（默认今天）")
    deadline: ApiDate = Field(..., description="补正期限")
    items: str = Field(..., max_length=2000, description="需要补正的事项")


@staff_router.post("/{int:request_id}/correction-request", summary="告知补正（第三十条）", **ACTION)
def request_correction(request: HttpRequest, request_id: int, payload: CorrectionRequestIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.request_correction(
            app, on=_on(payload.on), deadline=payload.deadline, items=payload.items, actor=user
        ),
    )


class DatedNoteIn(Input):
    on: ApiDate | None = Field(None, description="日期（默认今天）")
    note: str = Text


@staff_router.post("/{int:request_id}/correction-received", summary="收到补正后的申请", **ACTION)
def record_correction(request: HttpRequest, request_id: int, payload: DatedNoteIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.record_correction(
            app, on=_on(payload.on), note=payload.note, actor=user
        ),
    )


class ConsultationOpenIn(Input):
    on: ApiDate | None = Field(None, description="发出征求意见书的日期（默认今天）")
    party: choice(Party) = Field(
        ..., description="third_party：第三方（第三十二条）；agency：共同制作机关"
    )
    party_name: str = Field(..., max_length=100)
    party_received_on: ApiDate | None = Field(None, description="对方收到征求意见书的日期")


@staff_router.post(
    "/{int:request_id}/consultations", summary="征求意见（第三十二条、第三十四条）", **ACTION
)
def open_consultation(request: HttpRequest, request_id: int, payload: ConsultationOpenIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.open_consultation(
            app,
            on=_on(payload.on),
            party=payload.party,
            party_name=payload.party_name,
            party_received_on=payload.party_received_on,
            actor=user,
        ),
    )


class ConsultationCloseIn(Input):
    on: ApiDate | None = Field(None, description="收到意见（或期限届满）的日期（默认今天）")
    ref: str | None = Field(
        None, max_length=20, description="征求意见编号（如 C1），默认最早未结束的"
    )
    opinion: str = Text


@staff_router.post("/{int:request_id}/consultations/close", summary="征求意见结束", **ACTION)
def close_consultation(request: HttpRequest, request_id: int, payload: ConsultationCloseIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.close_consultation(
            app, on=_on(payload.on), ref=payload.ref, opinion=payload.opinion, actor=user
        ),
    )


class ExtensionRequestIn(Input):
    workdays: int = Field(..., ge=1, le=clock.MAX_EXTENSION_WORKDAYS, description="延长的工作日数")
    reason: str = Field(..., max_length=2000)


@staff_router.post("/{int:request_id}/extension-request", summary="申请延期答复", **ACTION)
def request_extension(request: HttpRequest, request_id: int, payload: ExtensionRequestIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.request_extension(
            app, workdays=payload.workdays, reason=payload.reason, actor=user
        ),
    )


class ExtensionApproveIn(Input):
    on: ApiDate | None = Field(None, description="告知申请人的日期（默认今天）")
    approved_on: ApiDate | None = Field(None, description="负责人同意的日期（默认同 on）")


@staff_router.post(
    "/{int:request_id}/extension-approve", summary="同意延期（负责人，第三十三条第二款）", **ACTION
)
def approve_extension(request: HttpRequest, request_id: int, payload: ExtensionApproveIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.approve_extension(
            app, on=_on(payload.on), approved_on=payload.approved_on, actor=user
        ),
    )


class ReasonIn(Input):
    reason: str = Field(..., max_length=2000)


@staff_router.post("/{int:request_id}/extension-refuse", summary="不同意延期（负责人）", **ACTION)
def refuse_extension(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.refuse_extension(app, reason=payload.reason, actor=user),
    )


class Art35In(Input):
    on: ApiDate | None = Field(None, description="告知申请人的日期（默认今天）")
    due_on: ApiDate = Field(..., description="延迟答复的期限")
    reason: str = Field(..., max_length=2000)


@staff_router.post(
    "/{int:request_id}/art35-deadline", summary="确定延迟答复期限（第三十五条）", **ACTION
)
def set_art35_deadline(request: HttpRequest, request_id: int, payload: Art35In) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.set_art35_deadline(
            app, on=_on(payload.on), due_on=payload.due_on, reason=payload.reason, actor=user
        ),
    )


class FeeNoticeIn(Input):
    method: choice(FeeMethod) = Field(
        ..., description="per_application：按件计收；per_page：按量计收"
    )
    on: ApiDate | None = Field(None, description="发出收费通知的日期（默认今天）")
    received_on: ApiDate | None = Field(None, description="申请人收到通知的日期（默认今天）")
    pieces: int | None = Field(None, ge=1, le=10_000, description="件数（按件计收）")
    pages: int | None = Field(None, ge=1, le=10_000_000, description="页数（按量计收）")


@staff_router.post(
    "/{int:request_id}/fee-notice", summary="发出收费通知（国办函〔2020〕109号）", **ACTION
)
def issue_fee_notice(request: HttpRequest, request_id: int, payload: FeeNoticeIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.issue_fee_notice(
            app,
            method=payload.method,
            on=_on(payload.on),
            received_on=_on(payload.received_on),
            pages=payload.pages,
            pieces=payload.pieces,
            actor=user,
        ),
    )


class PaymentIn(Input):
    on: ApiDate | None = Field(None, description="缴费日期（默认今天）")
    reference: str = Field("", max_length=100, description="缴款凭证号")


@staff_router.post("/{int:request_id}/payment", summary="登记缴费", **ACTION)
def record_payment(request: HttpRequest, request_id: int, payload: PaymentIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.record_payment(
            app, on=_on(payload.on), reference=payload.reference, actor=user
        ),
    )


class ReplyIn(Input):
    outcome: choice(ReplyOutcome) = Field(..., description="办理结果（年度报告表三的代码）")  # type: ignore[valid-type]
    on: ApiDate | None = Field(None, description="答复日期（默认今天）")
    how_to_obtain: str = Field("", max_length=2000, description="获取信息的方式、途径和时间")
    withheld_parts: str = Field("", max_length=2000, description="不予公开的内容")
    reason: str = Field("", max_length=2000, description="理由及依据")
    competent_agency_name: str = Field("", max_length=100, description="负责公开该信息的机关")
    competent_agency_contact: str = Field("", max_length=200, description="该机关的联系方式")
    previous_reply: str = Field("", max_length=200, description="此前作出的答复")


@staff_router.post(
    "/{int:request_id}/reply", summary="作出答复（第三十六条至第三十九条）", **ACTION
)
def reply(request: HttpRequest, request_id: int, payload: ReplyIn) -> Any:
    data = payload.model_dump(exclude={"outcome", "on"})
    return _act(
        request,
        request_id,
        lambda app, user: services.reply(
            app, outcome=payload.outcome.value, on=_on(payload.on), data=data, actor=user
        ),
    )


class DeliveryIn(Input):
    method: choice(DeliveryMethod) = Field(
        ..., description="direct：直接送达；post：邮寄；electronic：电子"
    )
    on: ApiDate | None = Field(None, description="送达日期：直接送达为签收之日，邮寄为交邮之日")
    note: str = Field("", max_length=200)


@staff_router.post("/{int:request_id}/delivery", summary="登记送达", **ACTION)
def record_delivery(request: HttpRequest, request_id: int, payload: DeliveryIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.record_delivery(
            app, method=payload.method, on=_on(payload.on), note=payload.note, actor=user
        ),
    )


@staff_router.post("/{int:request_id}/withdrawal", summary="申请人撤回申请", **ACTION)
def record_withdrawal(request: HttpRequest, request_id: int, payload: DatedNoteIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.record_withdrawal(
            app, on=_on(payload.on), note=payload.note, actor=user
        ),
    )


class NoteIn(Input):
    text: str = Field(..., max_length=2000)


@staff_router.post("/{int:request_id}/notes", summary="添加内部备注", **ACTION)
def add_note(request: HttpRequest, request_id: int, payload: NoteIn) -> Any:
    return _act(request, request_id, lambda app, user: services.add_note(app, payload.text, user))


class AppealIn(Input):
    kind: choice(AppealKind)
    body: str = Field(..., max_length=100, description="复议机关或人民法院")
    case_number: str = Field("", max_length=100)
    filed_on: ApiDate
    result: choice(AppealResult) = AppealResult.PENDING
    decided_on: ApiDate | None = None
    note: str = Text


@staff_router.post(
    "/{int:request_id}/appeals", summary="登记行政复议、行政诉讼（年度报告表四）", **ACTION
)
def create_appeal(request: HttpRequest, request_id: int, payload: AppealIn) -> Any:
    return _act(
        request,
        request_id,
        lambda app, user: services.create_appeal(app, actor=user, **payload.model_dump()),
    )


class AppealUpdateIn(Input):
    result: choice(AppealResult)
    decided_on: ApiDate | None = None
    case_number: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=2000)


@staff_router.post(
    "/{int:request_id}/appeals/{int:appeal_id}", summary="更新复议、诉讼结果", **ACTION
)
def update_appeal(
    request: HttpRequest, request_id: int, appeal_id: int, payload: AppealUpdateIn
) -> Any:
    def call(app: Application, user: Any) -> Any:
        appeal = app.appeals.filter(pk=appeal_id).first()
        if appeal is None:
            raise Http404
        return services.update_appeal(appeal, actor=user, **payload.model_dump())

    return _act(request, request_id, call)
