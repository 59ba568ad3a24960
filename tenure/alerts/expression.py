"""The condition language of alert rules, parsed here and never by `eval`.

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("<" | "<=" | ">" | ">=" | "==" | "!=") operand)?
    operand    := number | "text" | true | false | measure_name | "(" or_expr ")"

A comparison with a missing value (an account with no data for a measure) is
false, so a rule never fires on data that is not there.
"""

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tenure.core.errors import InvalidInput

Value = float | str | bool | None

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<text>\"[^\"]*\"|'[^']*')"
    r"|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()])|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_KEYWORDS = frozenset(("and", "or", "not", "true", "false"))


class InvalidCondition(InvalidInput):
    """An alert rule's condition cannot be parsed or names an unknown measure."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


class Node:
    def evaluate(self, values: Mapping[str, Value]) -> Value:
        raise NotImplementedError


@dataclass(frozen=True)
class Literal(Node):
    value: Value

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return self.value


@dataclass(frozen=True)
class Name(Node):
    name: str

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return values.get(self.name)


@dataclass(frozen=True)
class Compare(Node):
    left: Node
    op: str
    right: Node

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        left, right = self.left.evaluate(values), self.right.evaluate(values)
        if left is None or right is None:
            return False
        if isinstance(left, str) != isinstance(right, str):
            return self.op == "!="
        try:
            return bool(_COMPARE[self.op](left, right))
        except TypeError:
            return False


@dataclass(frozen=True)
class BoolOp(Node):
    op: str
    parts: tuple[Node, ...]

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        results = (part.evaluate(values) is True for part in self.parts)
        return all(results) if self.op == "and" else any(results)


@dataclass(frozen=True)
class Not(Node):
    part: Node

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        return self.part.evaluate(values) is not True


@dataclass(frozen=True)
class Condition:
    """A parsed condition: `matches(values)` and the measure names it reads."""

    text: str
    root: Node
    names: frozenset[str]

    def matches(self, values: Mapping[str, Value]) -> bool:
        return self.root.evaluate(values) is True


def _tokenise(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise InvalidCondition(
                f"condition {text!r} has an unexpected character at column "
                f'{position + 1}; use measure names, numbers, "text", '
                "comparisons, and, or, not and parentheses"
            )
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind), match.start(kind) + 1))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.index = 0
        self.names: set[str] = set()

    def fail(self, expected: str) -> InvalidCondition:
        token = self.peek()
        where = f"column {token.column}" if token else "the end"
        return InvalidCondition(
            f"condition {self.text!r}: expected {expected} at {where}; write for "
            'example days_since_last_login >= 30 and band == "red"'
        )

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.text == text:
            self.index += 1
            return True
        return False

    def parse(self) -> Node:
        if not self.tokens:
            raise self.fail("a condition")
        node = self.or_expr()
        if self.peek() is not None:
            raise self.fail("and, or or the end")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.take("or"):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while self.take("and"):
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_expr(self) -> Node:
        if self.take("not"):
            return Not(self.not_expr())
        left = self.operand()
        token = self.peek()
        if token is not None and token.kind == "op":
            self.index += 1
            return Compare(left, token.text, self.operand())
        return left

    def operand(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.fail("a value")
        self.index += 1
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "text":
            return Literal(token.text[1:-1])
        if token.text in ("true", "false"):
            return Literal(token.text == "true")
        if token.kind == "word" and token.text not in _KEYWORDS:
            self.names.add(token.text)
            return Name(token.text)
        if token.text == "(":
            node = self.or_expr()
            if not self.take(")"):
                raise self.fail("')'")
            return node
        self.index -= 1
        raise self.fail("a value")


# TODO: the parser knows names, not types — a condition comparing a number to
#   text (score > "abc") or naming an unknown band is saved and never fires.
def parse_condition(text: str, *, known: frozenset[str] | None = None) -> Condition:
    """Parse a condition; with `known`, refuse measure names outside it."""
    parser = _Parser(text)
    root = parser.parse()
    unknown = sorted(parser.names - known) if known is not None else []
    if unknown:
        raise InvalidCondition(
            f"condition {text!r} names unknown measure {unknown[0]!r}; use one of "
            f"{', '.join(sorted(known or ()))}"
        )
    return Condition(text, root, frozenset(parser.names))
