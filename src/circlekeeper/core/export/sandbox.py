"""A Jinja sandbox that also bounds how much work and memory a template may use.

Jinja's sandbox stops a template from reaching Python's internals, but not from asking for
``9**99999999``, ``'x' * 10**9``, a loop inside a loop inside a loop, or a string that doubles
on every line: any of these hangs the app or takes gigabytes. A school's own template is
edited by people who may make such a mistake (or paste one), so every render here:

- refuses, before computing them, operations whose result would be too large: ``**``, ``*``,
  ``+`` and ``%`` (intercepted operators), string padding and format widths, ``replace``,
  ``join``, ``indent`` and ``wordwrap``; checks the size of every value the template reads,
  calls, filters, joins or prints (nested lists included); and counts everything it makes
  against one total allowance;
- caps ``range`` and counts every loop's iterations, every call and every attribute read,
  checking the clock as it goes (a loop that writes nothing still stops in time);
- renders through ``generate()`` and stops once the output passes a size limit;
- refuses templates too large to compile quickly (file size, tokens, nodes, one long list).

A breach raises :class:`TemplateTooCostly`; the caller falls back to the built-in template.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import FileSystemLoader, nodes
from jinja2.environment import Template
from jinja2.exceptions import TemplateNotFound
from jinja2.lexer import Token, TokenStream
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg

# Generous for any real document (an agreement is about 30,000 characters of HTML).
MAX_OUTPUT_CHARS = 2_000_000
MAX_VALUE_LEN = 100_000  # characters of one string, items of one list or mapping
# Characters and items all operations, calls and filters of one render may make in total, so
# that many medium texts kept side by side cannot add up to gigabytes either. A bilingual
# built-in agreement makes about 11,000.
MAX_MADE = 10_000_000
MAX_INT_BITS = 4_096  # about 1,200 decimal digits
MAX_ARGUMENT = 10_000  # a width, a count or a padding passed to a method or filter
MAX_RANGE = 10_000
MAX_TEMPLATE_BYTES = 1_000_000
# Compiling is not counted by the clock, so its size is bounded instead: the largest built-in
# template has about 760 nodes and compiles in a tenth of a second; Jinja's compiler slows down
# sharply on one long written-out list (20,000 items took 18 seconds and 150 MB).
MAX_TEMPLATE_TOKENS = 20_000  # the built-in templates have about 1,000 each
MAX_TEMPLATE_NODES = 10_000
MAX_LITERAL_ITEMS = 1_000
TIME_LIMIT_SECONDS = 5.0
_CLOCK_EVERY = 256  # steps between looks at the clock

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_COUNTED_FILTER = "circlekeeper_counted"
_CHECKED_FILTER = "circlekeeper_checked"
# Methods and filters whose numbers are widths or counts: the result grows with them.
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})


class TemplateTooCostly(Exception):
    """A template asked for more work or memory than a document can need."""

    filename: str | None = None  # the template being rendered, when no line is known
    lineno: int | None = None


class _Budget:
    """The work one render may still do: a deadline and an output allowance."""

    def __init__(self, seconds: float, max_output: int) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.max_output = max_output
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps % _CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
            raise TemplateTooCostly(
                f"it was still working after {self.seconds:g} seconds; a loop or a macro in it "
                "may run too many times"
            )


def _too_large(what: str) -> TemplateTooCostly:
    return TemplateTooCostly(f"it asks for {what} too large for a document")


def _nested_size_exceeds(value: Any, limit: int) -> bool:
    """Whether the texts and items inside a list or mapping add up to more than ``limit``.

    A list holding the same long list ten thousand times is small until it is printed; this
    counts every occurrence, so it is refused before anything prints it.
    """
    pending = [value]
    total = 0
    while pending:
        item = pending.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item)
            if total <= limit:
                pending.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            if total <= limit:
                pending.extend(item.keys())
                pending.extend(item.values())
        if total > limit:
            return True
    return False


# Lists and mappings already measured in this thread's render, kept alive (so their ids stay
# theirs) until it ends. Templates cannot change a list or mapping (the sandbox is immutable),
# so a measured one stays measured; the translations table is read hundreds of times a render.
_measured = threading.local()


def _nested_too_large(value: Any) -> bool:
    seen: dict[int, Any] | None = getattr(_measured, "seen", None)
    if seen is not None and id(value) in seen:
        return False
    if _nested_size_exceeds(value, MAX_VALUE_LEN):
        return True
    if seen is not None:
        seen[id(value)] = value
    return False


def made(value: Any) -> Any:
    """``value`` checked, and its size counted against the render's total allowance."""
    checked(value)
    if isinstance(value, _SIZED) and getattr(_measured, "made", None) is not None:
        _measured.made += len(value)
        if _measured.made > MAX_MADE:
            raise TemplateTooCostly(
                f"it makes more than {MAX_MADE:,} characters of text and lists in all, far "
                "more than a document needs"
            )
    return value


def checked(value: Any) -> Any:
    """``value``, unless it is a string, list or number too large for any document."""
    if isinstance(value, _SIZED) and len(value) > MAX_VALUE_LEN:
        raise _too_large(f"a text or list of {len(value):,} characters or items,")
    if isinstance(value, list | tuple | dict | set | frozenset) and _nested_too_large(value):
        raise TemplateTooCostly(
            f"it builds a list whose contents add up to more than {MAX_VALUE_LEN:,} items, "
            "too large for a document"
        )
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _too_large("a number")
    return value


def _length(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _check_arguments(args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise _too_large(f"a width or count of {value:,},")


def _check_format(text: str) -> None:
    """Refuse a format string whose widths or precisions would make a huge text."""
    numbers = re.findall(r"%[-#0 +]*(\d*)(?:\.(\d*))?", text) if "%" in text else []
    try:
        specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(text)]
    except ValueError:  # not a {}-format; str.format would refuse it anyway
        specs = []
    digits = [n for pair in numbers for n in pair if n]
    digits += [n for spec in specs for n in re.findall(r"\d+", spec)]
    for number in digits:
        if len(number) > 6 or int(number) > MAX_ARGUMENT:
            raise _too_large(f"a format width of {number},")


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > MAX_VALUE_LEN:
            raise _too_large("a replacement that makes a text")


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(separator, str) and isinstance(items, list | tuple):
        total = sum(_length(item) for item in items) + len(separator) * max(len(items) - 1, 0)
        if total > MAX_VALUE_LEN:
            raise _too_large("a joined text")


def _check_call(func: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """What a method would cost, judged before it runs."""
    owner = getattr(func, "__self__", None)
    name = getattr(func, "__name__", "")
    if isinstance(owner, str):
        if name in _WIDTH_METHODS:
            _check_arguments(args, kwargs)
        elif name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1])
        elif name == "join" and args and isinstance(args[0], list | tuple):
            _check_join(owner, args[0])


def _argument(rest: tuple[Any, ...], kwargs: Mapping[str, Any], at: int, name: str) -> Any:
    if len(rest) > at:
        return rest[at]
    return kwargs.get(name)


def _check_filter(
    name: str, subject: Any, rest: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> None:
    """What a filter would cost, judged before it runs."""
    if name in _WIDTH_FILTERS:
        _check_arguments(rest, kwargs)
    if name == "replace" and len(rest) >= 2:
        _check_replace(str(subject), rest[0], rest[1])
    elif name == "format" and isinstance(subject, str):
        _check_format(subject)
    elif name == "join" and isinstance(subject, list | tuple):
        _check_join(str(_argument(rest, kwargs, 0, "d") or ""), subject)
    elif name == "indent" and isinstance(subject, str):
        width = _argument(rest, kwargs, 0, "width")
        added = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
        if len(subject) + (subject.count("\n") + 1) * added > MAX_VALUE_LEN:
            raise _too_large("an indented text")
    elif name == "wordwrap" and isinstance(subject, str):
        width = _argument(rest, kwargs, 0, "width")
        width = width if isinstance(width, int) and width > 0 else 1
        wrap = _argument(rest, kwargs, 2, "wrapstring")
        added = len(wrap) if isinstance(wrap, str) else 1
        if len(subject) + (len(subject) // width + 1) * added > MAX_VALUE_LEN:
            raise _too_large("a wrapped text")


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter ``func`` with its cost judged before and its result checked after."""
    subject_at = 1 if _PassArg.from_obj(func) is not None else 0

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        subject = checked(args[subject_at]) if len(args) > subject_at else None
        _check_filter(name, subject, args[subject_at + 1 :], kwargs)
        return made(func(*args, **kwargs))

    return guarded


class _CountedRange:
    """``range`` for templates: at most MAX_RANGE numbers, each counted as work."""

    def __init__(self, environment: LimitedSandbox, *args: int) -> None:
        self._range = range(*args)
        if len(self._range) > MAX_RANGE:
            raise _too_large(f"a range of {len(self._range):,} numbers,")
        self._environment = environment

    def __iter__(self) -> Iterator[int]:
        return self._environment.counted(self._range)

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: int) -> int:
        return self._range[index]

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __reversed__(self) -> Iterator[int]:
        return self._environment.counted(reversed(self._range))


class _BoundedLoader(FileSystemLoader):
    """A folder loader that refuses a template file too large to be one."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                if os.path.getsize(filename) > MAX_TEMPLATE_BYTES:
                    raise TemplateTooCostly(
                        f"the file {filename} is larger than {MAX_TEMPLATE_BYTES:,} bytes, "
                        "more than a template can be"
                    )
                break
        else:
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def _bounded_tokens(stream: TokenStream, filename: str | None) -> Iterator[Token]:
    """The template's tokens, stopping the parser early once there are too many to compile."""
    for count, token in enumerate(stream, 1):
        if count > MAX_TEMPLATE_TOKENS:
            problem = TemplateTooCostly(
                f"it is too long to prepare quickly: more than {MAX_TEMPLATE_TOKENS:,} words "
                "and signs"
            )
            problem.filename, problem.lineno = filename, token.lineno
            raise problem
        yield token


def _check_tree_size(tree: nodes.Template, filename: str | None) -> None:
    """Refuse a template too large to compile quickly, before compiling it."""
    problem: TemplateTooCostly | None = None
    count = 0
    for node in tree.find_all(nodes.Node):
        count += 1
        items = (
            node.items
            if isinstance(node, nodes.List | nodes.Tuple | nodes.Dict)
            else node.nodes
            if isinstance(node, nodes.Concat)
            else node.args
            if isinstance(node, nodes.Call)
            else []
        )
        if len(items) > MAX_LITERAL_ITEMS:
            problem = TemplateTooCostly(
                f"it writes out {len(items):,} items in one list or expression; at most "
                f"{MAX_LITERAL_ITEMS:,} can be used"
            )
            problem.lineno = node.lineno
            break
    if problem is None and count > MAX_TEMPLATE_NODES:
        problem = TemplateTooCostly(
            f"it is too long to prepare quickly: {count:,} parts, at most {MAX_TEMPLATE_NODES:,}"
        )
    if problem is not None:
        problem.filename = filename
        raise problem


def _filtered(node: nodes.Node, name: str) -> nodes.Filter:
    assert isinstance(node, nodes.Expr)
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox whose renders are bounded in size, memory and time."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, folders: list[str], **options: Any) -> None:
        # ``finalize`` sees every {{ value }} before it becomes text: a list holding one long
        # list many times is small in memory until printed.
        super().__init__(
            loader=_BoundedLoader(folders, encoding="utf-8"), finalize=checked, **options
        )
        self._local = threading.local()
        self.globals["range"] = functools.partial(_CountedRange, self)
        self.globals.pop("lipsum", None)  # makes pages of text on request; no document needs it
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.filters[_COUNTED_FILTER] = self.counted
        self.filters[_CHECKED_FILTER] = self.checked

    def add_filter(self, name: str, func: Callable[..., Any]) -> None:
        """Add a filter of the program's own, guarded like Jinja's."""
        self.filters[name] = _guard_filter(name, func)

    # -- the work allowance ----------------------------------------------------------------

    def _step(self) -> None:
        budget: _Budget | None = getattr(self._local, "budget", None)
        if budget is not None:
            budget.step()

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate, counting each item as one step of the render's work."""
        for item in iterable:
            self._step()
            yield item

    def render_limited(
        self,
        template: Template,
        context: Mapping[str, Any],
        *,
        seconds: float = TIME_LIMIT_SECONDS,
        max_output: int = MAX_OUTPUT_CHARS,
    ) -> str:
        """Render ``template`` chunk by chunk within the time and output limits."""
        budget = _Budget(seconds, max_output)
        self._local.budget = budget
        _measured.seen = {}
        _measured.made = 0
        try:
            written = 0
            chunks: list[str] = []
            for chunk in template.generate(context):
                written += len(chunk)
                if written > max_output:
                    raise TemplateTooCostly(
                        f"its output passed {max_output:,} characters, far more than a "
                        "document needs"
                    )
                chunks.append(chunk)
                budget.step()
            return "".join(chunks)
        except TemplateTooCostly as exc:
            exc.filename = exc.filename or template.filename
            raise
        finally:
            self._local.budget = None
            _measured.seen = None
            _measured.made = None

    # -- hooks the sandbox calls from compiled templates ------------------------------------

    def checked(self, value: Any) -> Any:
        self._step()
        return made(value)

    def _tokenize(
        self, source: str, name: str | None, filename: str | None = None, state: str | None = None
    ) -> TokenStream:
        stream = super()._tokenize(source, name, filename, state)
        return TokenStream(_bounded_tokens(stream, filename or name), name, filename)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _check_tree_size(tree, filename or name)
        # Every for-loop iterates through ``counted``, so loops that write nothing still stop;
        # every ``~`` join checks its parts before they become text, and its result.
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _filtered(loop.iter, _COUNTED_FILTER)
        for join in list(tree.find_all(nodes.Concat)):
            parts = [_filtered(part, _CHECKED_FILTER) for part in join.nodes]
            inner = nodes.Concat(parts, lineno=join.lineno)
            join.nodes = [_filtered(inner, _CHECKED_FILTER)]
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self._step()
        _check_binop(operator, left, right)
        return made(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._step()
        return checked(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._step()
        return checked(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self._step()
        for value in (*args, *kwargs.values()):
            checked(value)
        _check_call(__obj, args, kwargs)
        return made(super().call(__context, __obj, *args, **kwargs))


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left operator right`` before computing it when the result would be huge."""

    def is_int(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    if operator == "**" and is_int(left) and is_int(right) and right > 0:
        if right * max(abs(left).bit_length(), 1) > MAX_INT_BITS and abs(left) > 1:
            raise _too_large("a number")
    elif operator == "*":
        if is_int(left) and is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _too_large("a number")
        for sequence, times in ((left, right), (right, left)):
            if (
                isinstance(sequence, _SIZED)
                and is_int(times)
                and len(sequence) * times > MAX_VALUE_LEN
            ):
                raise _too_large(f"{times:,} copies of a text or list,")
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        if len(left) + len(right) > MAX_VALUE_LEN:
            raise _too_large("a joined text or list")
    elif operator == "%" and isinstance(left, str):
        _check_format(left)
        if re.search(r"%[-#0 +]*\*|\.\*", left):  # widths taken from the values
            _check_arguments(right if isinstance(right, tuple) else (right,), {})
