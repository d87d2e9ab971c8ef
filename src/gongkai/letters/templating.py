"""Letter templates in a sandboxed subset of the Django template language.

A template is a title and a body. The body's lines become the letter's paragraphs; its first
non-empty line is the salutation (主送, set flush left), the others are indented two characters.

The sandbox:

- a dedicated :class:`~django.template.Engine` with no tag libraries and no loaders; only the
  tags ``if``/``elif``/``else``, ``for``/``empty`` and ``comment`` are accepted (``{# … #}``
  comments too), and only the filters in :data:`ALLOWED_FILTERS`;
- only the variables the letter kind declares (:mod:`gongkai.letters.kinds`) may be used;
- templates are rendered with a plain dict of strings (never model instances), so nothing but
  those values can be reached;
- the kind's required elements (e.g. for a reply: applicant, receipt date, what was asked,
  decision and article, remedy paragraph) must appear *outside* any ``if``/``for``, so a
  template cannot drop them.

:func:`validate` is called when an agency saves its own template and before every rendering.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, ForNode, IfNode
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError
from gongkai.letters import kinds as kinds_mod
from gongkai.letters.kinds import KindSpec

ALLOWED_TAGS = ("if", "for", "comment")
ALLOWED_FILTERS = frozenset({"default", "length"})
#: ``forloop`` attributes a ``for`` body may use.
FORLOOP_ATTRIBUTES = frozenset({"counter", "counter0", "first", "last"})
MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 20000


class TemplateInvalid(DomainError):
    """A template was refused; ``details["errors"]`` lists every reason."""

    code = "letter_template_invalid"


@functools.cache
def engine() -> Engine:
    return Engine(
        builtins=["django.template.defaulttags", "django.template.defaultfilters"],
        libraries={},
        loaders=[],
        autoescape=False,
        string_if_invalid="",
    )


@dataclass
class _Check:
    allowed: frozenset[str]
    used: set[str] = field(default_factory=set)
    top_level: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


def _tag_name(node: Node) -> str:
    token = getattr(node, "token", None)
    contents = getattr(token, "contents", "") or ""
    return contents.split()[0] if contents.split() else type(node).__name__


def _check_variable(
    var: Any, check: _Check, loop_vars: frozenset[str], *, top: bool, in_loop: bool
) -> None:
    if not isinstance(var, Variable) or var.literal is not None:
        return  # a quoted string or a number
    lookups = var.lookups or ()
    path = ".".join(lookups)
    root = lookups[0] if lookups else ""
    if root in loop_vars and len(lookups) == 1:
        return
    if root == "forloop" and in_loop and len(lookups) == 2 and lookups[1] in FORLOOP_ATTRIBUTES:
        return
    if path not in check.allowed:
        check.error(_("模板使用了未知变量“{{ %(name)s }}”。") % {"name": path})
        return
    check.used.add(path)
    if top:
        check.top_level.add(path)


def _check_expression(
    expression: FilterExpression,
    check: _Check,
    loop_vars: frozenset[str],
    *,
    top: bool,
    in_loop: bool,
) -> None:
    _check_variable(expression.var, check, loop_vars, top=top, in_loop=in_loop)
    for func, args in expression.filters:
        name = getattr(func, "_filter_name", getattr(func, "__name__", "?"))
        if name not in ALLOWED_FILTERS:
            check.error(
                _("模板中不允许使用过滤器“%(name)s”；可用的过滤器：%(allowed)s。")
                % {"name": name, "allowed": "、".join(sorted(ALLOWED_FILTERS))}
            )
        for lookup, arg in args:
            if lookup:
                _check_variable(arg, check, loop_vars, top=False, in_loop=in_loop)


def _check_condition(condition: Any, check: _Check, loop_vars: frozenset[str], in_loop: bool):
    if condition is None:
        return
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        _check_expression(value, check, loop_vars, top=False, in_loop=in_loop)
        return
    _check_condition(getattr(condition, "first", None), check, loop_vars, in_loop)
    _check_condition(getattr(condition, "second", None), check, loop_vars, in_loop)


def _walk(
    nodelist: NodeList | Iterable[Node],
    check: _Check,
    loop_vars: frozenset[str] = frozenset(),
    *,
    top: bool = True,
    in_loop: bool = False,
) -> None:
    for node in nodelist:
        if isinstance(node, TextNode | CommentNode):
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, check, loop_vars, top=top, in_loop=in_loop)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                _check_condition(condition, check, loop_vars, in_loop)
                _walk(branch, check, loop_vars, top=False, in_loop=in_loop)
        elif isinstance(node, ForNode):
            _check_expression(node.sequence, check, loop_vars, top=False, in_loop=in_loop)
            inner = loop_vars | frozenset(node.loopvars)
            _walk(node.nodelist_loop, check, inner, top=False, in_loop=True)
            _walk(node.nodelist_empty, check, loop_vars, top=False, in_loop=in_loop)
        else:
            check.error(
                _("模板中不允许使用标签“{%% %(tag)s %%}”；只能使用 %(allowed)s。")
                % {"tag": _tag_name(node), "allowed": "、".join(ALLOWED_TAGS)}
            )


def _compile(source: str, what: str) -> Template:
    try:
        return Template(source, engine=engine())
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(
            _("%(what)s的模板语法有误：%(error)s") % {"what": what, "error": exc},
            details={"errors": [str(exc)]},
        ) from exc


def validate(spec: KindSpec, title: str, body: str) -> None:
    """Refuse (:class:`TemplateInvalid`, all reasons in ``details["errors"]``) a template that
    uses unknown tags, filters or variables, or lacks a required element of ``spec``."""
    errors: list[str] = []
    title = title or ""
    body = body or ""
    if not title.strip():
        errors.append(_("标题不能为空。"))
    if len(title) > MAX_TITLE_LENGTH:
        errors.append(_("标题不能超过%(n)d个字符。") % {"n": MAX_TITLE_LENGTH})
    if "\n" in title.strip():
        errors.append(_("标题只能写在一行。"))
    if not body.strip():
        errors.append(_("正文模板不能为空。"))
    if len(body) > MAX_BODY_LENGTH:
        errors.append(_("正文模板不能超过%(n)d个字符。") % {"n": MAX_BODY_LENGTH})
    if errors:
        raise TemplateInvalid(errors[0], details={"errors": errors})

    title_check = _Check(spec.variables)
    _walk(_compile(title, _("标题")).nodelist, title_check)
    body_check = _Check(spec.variables)
    _walk(_compile(body, _("正文")).nodelist, body_check)
    errors = title_check.errors + [e for e in body_check.errors if e not in title_check.errors]
    missing = [name for name in spec.required if name not in body_check.top_level]
    for name in missing:
        if name in body_check.used:
            errors.append(
                _("必备要素“%(label)s”（{{ %(name)s }}）不能放在 if 或 for 中，须直接写在正文里。")
                % {"label": kinds_mod.ALL_VARIABLES.get(name, name), "name": name}
            )
        else:
            errors.append(
                _("模板缺少必备要素“%(label)s”（{{ %(name)s }}）。")
                % {"label": kinds_mod.ALL_VARIABLES.get(name, name), "name": name}
            )
    if errors:
        raise TemplateInvalid(errors[0], details={"errors": errors})


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` → ``{"a": {"b": 1}}`` (the restricted rendering context)."""
    result: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        node = result
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):  # pragma: no cover - variable names are fixed
                raise ValueError(f"variable {key} clashes with {part}")
            node = child
        node[parts[-1]] = value
    return result


def render(source: str, flat_context: Mapping[str, Any]) -> str:
    """Render a validated template with a plain context of strings (no autoescaping: the
    output is text; each renderer escapes for its own format)."""
    template = Template(source, engine=engine())
    plain = {k: ("" if v is None else v) for k, v in flat_context.items()}
    return template.render(Context(nest(plain), autoescape=False))


_SPACES = re.compile(r"[ \t\u3000]+")


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a rendered body, trimmed, runs of blanks collapsed."""
    result = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line:
            result.append(line)
    return result
