"""The legal receipt date per channel (条例第三十一条, 国办公开办函〔2015〕207号)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.models import Channel
from gongkai.applications.receipt import ReceiptInvalid, needs_confirmation, receipt_date
from gongkai.core.dates import SHANGHAI

ARRIVED = dt.date(2026, 3, 6)  # a Friday
LATER = dt.date(2026, 3, 9)


def test_in_person_is_received_on_the_day_it_is_handed_in():
    assert receipt_date(Channel.IN_PERSON, arrived_on=ARRIVED) == ARRIVED


def test_in_person_ignores_confirmation_dates():
    assert receipt_date(Channel.IN_PERSON, arrived_on=ARRIVED, confirmed_on=LATER) == ARRIVED


def test_registered_post_is_received_on_the_signature_date():
    assert receipt_date(Channel.REGISTERED_POST, arrived_on=ARRIVED, signed_on=LATER) == LATER


def test_registered_post_without_a_signature_date_is_not_yet_received():
    assert receipt_date(Channel.REGISTERED_POST, arrived_on=ARRIVED) is None


def test_registered_post_signed_before_it_arrived_is_refused():
    with pytest.raises(ReceiptInvalid, match="签收日期"):
        receipt_date(Channel.REGISTERED_POST, arrived_on=LATER, signed_on=ARRIVED)


def test_ordinary_post_is_received_on_the_confirmation_the_same_day():
    assert receipt_date(Channel.ORDINARY_POST, arrived_on=ARRIVED, confirmed_on=ARRIVED) == ARRIVED


def test_ordinary_post_confirmed_on_a_later_day_is_refused_per_207():
    with pytest.raises(ReceiptInvalid, match="207号") as caught:
        receipt_date(Channel.ORDINARY_POST, arrived_on=ARRIVED, confirmed_on=LATER)
    assert caught.value.field == "confirmed_on"


def test_ordinary_post_confirmed_later_when_the_applicant_could_not_be_reached():
    assert (
        receipt_date(
            Channel.ORDINARY_POST, arrived_on=ARRIVED, confirmed_on=LATER, contact_delayed=True
        )
        == LATER
    )


def test_ordinary_post_without_confirmation_is_not_yet_received():
    assert receipt_date(Channel.ORDINARY_POST, arrived_on=ARRIVED) is None


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.FAX, Channel.EMAIL])
def test_online_fax_and_email_are_received_on_the_day_both_sides_confirm(channel):
    assert receipt_date(channel, arrived_on=ARRIVED, confirmed_on=LATER) == LATER


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.FAX, Channel.EMAIL])
def test_online_fax_and_email_are_not_received_before_confirmation(channel):
    assert receipt_date(channel, arrived_on=ARRIVED) is None


def test_a_confirmation_before_the_arrival_is_refused():
    with pytest.raises(ReceiptInvalid, match="早于申请到达日期"):
        receipt_date(Channel.ONLINE, arrived_on=LATER, confirmed_on=ARRIVED)


def test_the_web_timestamp_is_read_as_a_shanghai_date_not_used_as_the_receipt():
    late_friday_utc = dt.datetime(2026, 3, 6, 17, 30, tzinfo=dt.UTC)  # Saturday 01:30 in Shanghai
    assert receipt_date(Channel.ONLINE, arrived_at=late_friday_utc) is None
    saturday = late_friday_utc.astimezone(SHANGHAI).date()
    assert receipt_date(Channel.IN_PERSON, arrived_at=late_friday_utc) == saturday


def test_an_unknown_channel_is_refused():
    with pytest.raises(ReceiptInvalid):
        receipt_date("pigeon", arrived_on=ARRIVED)


def test_which_channels_need_a_confirmation():
    assert {c for c in Channel if needs_confirmation(c)} == {
        Channel.ONLINE,
        Channel.FAX,
        Channel.EMAIL,
        Channel.ORDINARY_POST,
    }


@given(
    channel=st.sampled_from(list(Channel)),
    arrived=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    lag=st.integers(0, 30),
)
def test_the_receipt_date_is_never_before_the_arrival(channel, arrived, lag):
    later = arrived + dt.timedelta(days=lag)
    received = receipt_date(
        channel, arrived_on=arrived, signed_on=later, confirmed_on=later, contact_delayed=True
    )
    assert received is not None and received >= arrived
