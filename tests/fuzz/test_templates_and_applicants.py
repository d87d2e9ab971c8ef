"""Fuzzing the two places where users type structured input into forms:

- an agency's own letter template (sandboxed Django template language): refused with
  :class:`TemplateInvalid` or accepted, and an accepted template always renders;
- the applicant part of a disclosure request (条例第二十九条): normalised or refused with
  :class:`ApplicantInvalid` naming the fields.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.intake import APPLICANT_FIELDS, ApplicantInvalid, clean_applicant
from gongkai.letters import content, kinds, templating
from gongkai.letters.templating import TemplateInvalid
from tests.fuzz.strategies import FUZZ, SPECIAL, any_text, from_pieces, json_values, mutated

REPLY = kinds.reply_kind("withheld_state_secret")
DEFAULT = content.default_template(REPLY)
VARIABLES = sorted(REPLY.variables)
TEMPLATE_PIECES = [
    "{{", "}}", "{%", "%}", "{#", "#}", " if ", " elif ", " else ", " endif ", " for ", " in ",
    " endfor ", " empty ", " comment ", " endcomment ", " load ", " include 'x' ", " url 'a' ",
    " with ", " cycle ", " now ", "|default:'无'", "|length", "|safe", "|upper", "|add:1",
    " and ", " or ", " not ", " == ", " in ", "forloop.counter", "forloop.parentloop", ".__class__",
    "'", '"', ":", "|", ".", "\n", *VARIABLES[:40],
]  # fmt: skip


def _validate_then_render(title: str, body: str) -> None:
    try:
        templating.validate(REPLY, title, body)
    except TemplateInvalid as exc:
        assert exc.message and exc.details["errors"]
        return
    context = {name: f"值{i}" for i, name in enumerate(VARIABLES)}
    for source in (title, body):
        assert isinstance(templating.render(source, context), str)


@FUZZ
@given(st.one_of(any_text, from_pieces(TEMPLATE_PIECES, max_pieces=30)))
def test_any_body_addition_is_accepted_and_renders_or_is_refused(noise):
    _validate_then_render(DEFAULT.title, DEFAULT.body + noise)


@FUZZ
@given(mutated([DEFAULT.body], TEMPLATE_PIECES, steps=3), mutated([DEFAULT.title], TEMPLATE_PIECES))
def test_mutated_default_templates_are_accepted_and_render_or_are_refused(body, title):
    _validate_then_render(title, body)


APPLICANT_VALUES = {
    "applicant_type": st.sampled_from(["natural_person", "legal_person", "enterprise", "x", ""]),
    "id_type": st.sampled_from(["resident_id", "passport", "credit_code", "other", "", "y"]),
    "id_number": st.sampled_from(
        ["11010519491231002X", "11010519491231002x", "E12345678", "91350100M000100Y43", "123"]
    ),
    "phone": st.sampled_from(["13912345678", "+86 139-1234-5678", "0471-1234567转12", "110"]),
    "email": st.sampled_from(["a@example.cn", "a@", "", "张@例子.中国"]),
    "postcode": st.sampled_from(["137400", "1374", ""]),
    "form_wanted": st.sampled_from(["paper", "electronic", "z"]),
    "delivery": st.sampled_from(["post", "email", "pickup", "q"]),
}


@st.composite
def applicants(draw):
    data = {}
    for name in APPLICANT_FIELDS:
        choices = [any_text, st.text(alphabet=st.sampled_from(SPECIAL), max_size=30), json_values]
        if name in APPLICANT_VALUES:
            choices.append(APPLICANT_VALUES[name])
        if draw(st.integers(0, 9)) > 0:
            data[name] = draw(st.one_of(*choices))
    return data


@FUZZ
@given(applicants())
def test_applicant_data_is_normalised_or_refused_field_by_field(data):
    try:
        cleaned = clean_applicant(data)
    except ApplicantInvalid as exc:
        errors = exc.details["errors"]
        assert exc.field in errors and all(name in APPLICANT_FIELDS for name in errors)
        return
    assert set(cleaned) == set(APPLICANT_FIELDS)
    assert cleaned["applicant_name"] and cleaned["description"]
