"""Letter templates are a sandboxed subset of the Django template language, checked at save time."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.letters import content, kinds, templating
from gongkai.letters.templating import TemplateInvalid, validate

REPLY = kinds.reply_kind("withheld_state_secret")
CORRECTION = kinds.get("correction_notice")


def default_body(spec: kinds.KindSpec) -> str:
    return content.default_template(spec).body


def refusal(spec, title, body) -> list[str]:
    with pytest.raises(TemplateInvalid) as caught:
        validate(spec, title, body)
    return caught.value.details["errors"]


@pytest.mark.parametrize("code", sorted(kinds.KINDS))
def test_every_shipped_default_template_is_valid(code):
    spec = kinds.get(code)
    source = content.default_template(spec)
    validate(spec, source.title, source.body)


def test_an_unknown_variable_is_refused_with_its_name():
    errors = refusal(REPLY, "答复书", default_body(REPLY) + "{{ applicant.id_number }}")
    assert any("{{ applicant.id_number }}" in e and "未知变量" in e for e in errors), errors


def test_a_method_of_a_known_variable_is_refused():
    errors = refusal(REPLY, "答复书", default_body(REPLY) + "{{ recipient.name.upper }}")
    assert any("recipient.name.upper" in e for e in errors), errors


def test_a_variable_of_another_kind_is_refused():
    errors = refusal(CORRECTION, "补正告知书", default_body(CORRECTION) + "{{ remedy }}")
    assert any("{{ remedy }}" in e for e in errors), errors


def test_applicant_variables_are_unknown_in_a_letter_to_a_third_party():
    spec = kinds.get("consultation_third_party")
    errors = refusal(spec, "征求意见书", default_body(spec) + "{{ applicant.name }}")
    assert any("applicant.name" in e for e in errors), errors


@pytest.mark.parametrize(
    "required",
    ["remedy", "decision.basis", "application.received_on", "application.description"],
)
def test_a_reply_without_a_required_element_is_refused(required):
    body = default_body(REPLY).replace("{{ " + required + " }}", "")
    errors = refusal(REPLY, "答复书", body)
    label = kinds.ALL_VARIABLES[required]
    assert any("缺少必备要素" in e and label in e for e in errors), errors


def test_a_required_element_hidden_in_an_if_is_refused():
    body = default_body(REPLY).replace("{{ remedy }}", "{% if reason %}{{ remedy }}{% endif %}")
    errors = refusal(REPLY, "答复书", body)
    assert any("不能放在 if 或 for 中" in e for e in errors), errors


@pytest.mark.parametrize(
    "snippet, word",
    [
        ('{% include "base.html" %}', "include"),
        ("{% url 'site:home' %}", "url"),
        ("{% now 'Y' %}", "now"),
        ("{% debug %}", "debug"),
        ("{% with x=recipient.name %}{{ x }}{% endwith %}", "with"),
    ],
)
def test_tags_outside_the_sandbox_are_refused(snippet, word):
    errors = refusal(REPLY, "答复书", default_body(REPLY) + snippet)
    assert any(word in e and "不允许使用标签" in e for e in errors), errors


def test_loading_a_tag_library_is_a_syntax_error():
    errors = refusal(REPLY, "答复书", "{% load static %}" + default_body(REPLY))
    assert errors and "static" in errors[0]


@pytest.mark.parametrize("filter_name", ["safe", "upper", "date"])
def test_filters_outside_the_sandbox_are_refused(filter_name):
    body = default_body(REPLY) + "{{ reason|" + filter_name + " }}"
    errors = refusal(REPLY, "答复书", body)
    assert any(filter_name in e and "过滤器" in e for e in errors), errors


def test_an_unknown_variable_in_the_title_is_refused():
    errors = refusal(REPLY, "{{ secret }}答复书", default_body(REPLY))
    assert any("secret" in e for e in errors), errors


def test_an_empty_title_is_refused():
    assert refusal(REPLY, "  ", default_body(REPLY)) == ["标题不能为空。"]


def test_a_syntax_error_is_refused_with_the_reason():
    errors = refusal(REPLY, "答复书", default_body(REPLY) + "{% if reason %}")
    assert errors and "if" in errors[0]


def test_if_for_default_and_loop_variables_are_allowed():
    body = (
        default_body(REPLY)
        + "{% if reason and not agency.phone %}{{ reason|default:'无' }}{% endif %}"
        + "{% for ch in reason %}{{ forloop.counter }}{{ ch }}{% empty %}空{% endfor %}"
        + "{# a comment #}{% comment %}x{% endcomment %}"
    )
    validate(REPLY, "{{ agency.name }}答复书", body)


def test_rendering_sees_only_the_given_plain_values():
    out = templating.render("{{ recipient.name }}|{{ agency.name }}", {"recipient.name": "张三"})
    assert out == "张三|"


def test_rendered_values_are_not_autoescaped_nor_reparsed():
    out = templating.render(
        "{{ reason }}", {"reason": "<b>{{ agency.name }}</b>", "agency.name": "X"}
    )
    assert out == "<b>{{ agency.name }}</b>"


def test_paragraphs_are_the_non_empty_trimmed_lines():
    assert templating.paragraphs("  甲：\n\n 第一段  \n\u3000第二段\n") == [
        "甲：",
        "第一段",
        "第二段",
    ]


@given(st.text(alphabet=st.sampled_from("{}%#abc. |'\"ifendor公开"), max_size=60))
def test_any_text_is_either_accepted_or_refused_with_a_domain_error(noise):
    try:
        validate(REPLY, "答复书", default_body(REPLY) + noise)
    except TemplateInvalid as exc:
        assert exc.message
