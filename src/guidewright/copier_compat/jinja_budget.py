"""A template's Jinja runs on a budget of steps, and whatever it raises is a TemplateError.

A template is data anyone can publish, and its Jinja runs in every command (a validator
for each value `check` judges, a default, a page `update` renders). Copier's sandbox
keeps it from the file system, not from looping: two nested loops over `range(100000)`
hang `check`, and a validator that divides by zero raised ZeroDivisionError through
every caller. So each render is counted in steps, a loop turn or a call each (a macro
calling itself is a call), and stops past `STEPS` with `TooManySteps`; a power or a
repetition too large to compute is refused before it is computed; and any Python error
the template raises becomes `TemplateFailed`: both are TemplateErrors, which every
caller already reports (a finding, a refusal naming the question).

Steps, not seconds: the same template is refused on every machine, however loaded, and
in any thread (a signal-based timeout works in the main thread only; `check`'s workers
and the language server render elsewhere). A step costs well under a microsecond to
count, and a render refused at the limit has run for a few hundredths of a second."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment

from guidewright.core.errors import GuidewrightError

STEPS = 100_000  # the bundled template: a validator takes a step or two, a page two dozen
MAX_POWER_BITS = 100_000  # `2 ** 100000` is instant; `10 ** 10 ** 8` would run for minutes
MAX_REPEAT = 10_000_000  # items (characters) a `*` may make of a text or list
COUNTED = "_guidewright_counted"  # the filter each loop's items go through


class TemplateFailed(TemplateError):
    """A Python error raised by the template's Jinja (a division by zero, a bad regex)."""


class TooManySteps(TemplateError):
    """The template's Jinja went past its budget of steps (or asked for a huge value)."""


_budget = threading.local()  # `left`: steps left in this thread's render, None outside


def _step() -> None:
    left = getattr(_budget, "left", None)
    if left is None:
        return
    if left <= 0:
        raise TooManySteps(f"runs past {STEPS:,} steps (loop turns and calls)")
    _budget.left = left - 1


def counted(items: Iterable[Any]) -> Iterator[Any]:
    """The items of a loop, a step each."""
    for item in items:
        _step()
        yield item


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """One render of the template's Jinja: on a fresh budget (a render inside another
    shares the outer one), its Python errors raised as TemplateFailed."""
    outermost = getattr(_budget, "left", None) is None
    if outermost:
        _budget.left = STEPS
    try:
        yield
    except (TemplateError, GuidewrightError):  # ours already: a refusal says it best
        raise
    except Exception as error:  # untrusted Jinja: any filter may raise anything
        raise TemplateFailed(_described(error)) from error
    finally:
        if outermost:
            _budget.left = None


def _described(error: Exception) -> str:
    """`ZeroDivisionError: division by zero`, `re.error: missing ), ...`: one line."""
    kind = type(error)
    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    lines = str(error).splitlines()
    return f"{name}: {lines[0]}" if lines else name


class BudgetedTemplate(Template):
    """A template whose every render is one `rendering`."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """The template rendered, on a budget."""
        with rendering():
            return super().render(*args, **kwargs)


TOO_DEEP = "nested too deeply to read"


class BudgetedSandbox(SandboxedEnvironment):
    """Copier's sandbox, counting steps: each call from the template, and each turn of a
    loop (its items go through the `counted` filter, added to every `for` when the
    template is compiled; a recursive loop's next level is counted where it is called)."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters[COUNTED] = counted

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        # Jinja's parser recurses at each level of nesting: a hostile expression (a few
        # hundred parentheses) would end a run with a RecursionError. It is the
        # template's syntax error instead, reported where any other one is.
        try:
            return super()._parse(source, name, filename)
        except RecursionError:
            raise TemplateSyntaxError(TOO_DEEP, 1, name, filename) from None

    def _generate(self, source: nodes.Template, *args: Any, **kwargs: Any) -> str:
        for loop in source.find_all(nodes.For):
            items = nodes.Filter(loop.iter, COUNTED, [], [], None, None, lineno=loop.lineno)
            loop.iter = items.set_environment(self)
        try:
            return super()._generate(source, *args, **kwargs)
        except RecursionError:  # as `_parse`: the code generator recurses too
            raise TemplateSyntaxError(TOO_DEEP, 1) from None

    def call(
        __self,
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """A call from the template, a step."""
        _step()
        if isinstance(__obj, LoopContext) and args:  # `loop(children)`: the next level
            args = (counted(args[0]), *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """`*` and `**`, refused when the result would be too large to compute."""
        if operator == "**" and _huge_power(left, right):
            raise TooManySteps(f"a power of more than {MAX_POWER_BITS:,} bits")
        if operator == "*" and (_huge_repeat(left, right) or _huge_repeat(right, left)):
            raise TooManySteps(f"a repetition of more than {MAX_REPEAT:,} items")
        return super().call_binop(context, operator, left, right)


def _huge_power(base: Any, exponent: Any) -> bool:
    if not (type(base) is int and type(exponent) is int) or exponent <= 1 or abs(base) <= 1:
        return False
    return exponent * (abs(base).bit_length() - 1 or 1) > MAX_POWER_BITS


def _huge_repeat(items: Any, times: Any) -> bool:
    sized = isinstance(items, str | bytes | list | tuple)
    return sized and type(times) is int and len(items) * times > MAX_REPEAT
