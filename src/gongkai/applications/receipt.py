"""The legal date of receipt of a request (收到申请之日), per channel.

条例第三十一条 「行政机关收到政府信息公开申请的时间，按照下列规定确定：
(一)申请人当面提交政府信息公开申请的，以提交之日为收到申请之日；
(二)申请人以邮寄方式提交政府信息公开申请的，以行政机关签收之日为收到申请之日；以平常信函等无需
签收的邮寄方式提交政府信息公开申请的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认
之日为收到申请之日；
(三)申请人通过互联网渠道或者政府信息公开工作机构的传真提交政府信息公开申请的，以双方确认之日为
收到申请之日。」

国办公开办函〔2015〕207号 一、2 adds that for ordinary letters the office confirms by telephone *on
the day the letter actually arrives*; when the applicant gave no telephone number or cannot be
reached, the office registers the letter and the period starts from the day contact is restored.

Why not the web form's timestamp: for online (and fax) requests the article names the day *both
sides confirm*, not the day the data reached a server; a request that arrives on a Saturday night
or is never looked at has not been "received" in the legal sense until the office confirms it with
the applicant. The 20 working days of article 33 run from this date, so using the timestamp would
shorten the agency's period without a legal basis. E-mail is an internet channel: 207号 一、3 (the
e-mail system's receipt date) predates the 2019 article 31(三) and is superseded by it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gongkai.applications.models import Channel
from gongkai.core.dates import format_chinese_date, local_date
from gongkai.core.errors import DomainError

#: Channels whose receipt date is a confirmation with the applicant (第三十一条第(二)项后段、第(三)项).
CONFIRMATION_CHANNELS = frozenset(
    {Channel.ONLINE, Channel.FAX, Channel.EMAIL, Channel.ORDINARY_POST}
)


class ReceiptInvalid(DomainError):
    code = "invalid_receipt"


def needs_confirmation(channel: str) -> bool:
    """Whether the receipt date of ``channel`` is the day the office confirms with the applicant."""
    return channel in CONFIRMATION_CHANNELS


def receipt_date(
    channel: str,
    *,
    arrived_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    contact_delayed: bool = False,
    arrived_at: dt.datetime | None = None,
) -> dt.date | None:
    """The day the agency received the request (条例第三十一条), or None while unconfirmed.

    - 当面提交 (in person): the day it was handed in (``arrived_on``).
    - 邮寄需签收 (registered post): the day the agency signed for it (``signed_on``); None until
      the signature date is recorded.
    - 平常信函 (ordinary post): the day the office confirms with the applicant, which must be the
      day the letter arrived (207号 一、2); a later day only when the applicant could not be
      reached that day (``contact_delayed``: the day contact was restored).
    - 网上申请、传真、电子邮件 (online, fax, e-mail): the day both sides confirm
      (``confirmed_on``); None until the office confirms.

    ``arrived_at`` (an aware instant) may be given instead of ``arrived_on``; its Asia/Shanghai
    date is used. Raises :class:`ReceiptInvalid` with a Chinese message for impossible dates.
    """
    if arrived_on is None and arrived_at is not None:
        arrived_on = local_date(arrived_at)
    if channel not in Channel.values:
        raise ReceiptInvalid(_("请选择申请渠道。"), field="channel")
    if channel == Channel.IN_PERSON:
        if arrived_on is None:
            raise ReceiptInvalid(_("请填写申请人当面提交申请的日期。"), field="arrived_on")
        return arrived_on
    if channel == Channel.REGISTERED_POST:
        if signed_on is None:
            return None
        if arrived_on is not None and signed_on < arrived_on:
            raise ReceiptInvalid(
                _("签收日期%(signed)s早于邮件到达日期%(arrived)s。")
                % {
                    "signed": format_chinese_date(signed_on),
                    "arrived": format_chinese_date(arrived_on),
                },
                field="signed_on",
            )
        return signed_on
    # ordinary post, online, fax, e-mail: the day of confirmation
    if confirmed_on is None:
        return None
    if arrived_on is not None and confirmed_on < arrived_on:
        raise ReceiptInvalid(
            _("确认日期%(confirmed)s早于申请到达日期%(arrived)s。")
            % {
                "confirmed": format_chinese_date(confirmed_on),
                "arrived": format_chinese_date(arrived_on),
            },
            field="confirmed_on",
        )
    if (
        channel == Channel.ORDINARY_POST
        and arrived_on is not None
        and confirmed_on != arrived_on
        and not contact_delayed
    ):
        raise ReceiptInvalid(
            _(
                "平常信函应于收到申请的当日与申请人确认（条例第三十一条第（二）项、国办公开办函"
                "〔2015〕207号）：信函于%(arrived)s到达，确认日期应为同一天。如当日无法联系申请人，"
                "请注明“当日无法联系申请人”，以恢复联络之日为确认日期。"
            )
            % {"arrived": format_chinese_date(arrived_on)},
            field="confirmed_on",
        )
    return confirmed_on
