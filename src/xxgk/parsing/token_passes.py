"""Stage 5a, passes over a section's tokens: the roles a token's neighbours decide.

A number followed by `年` or `件` is prose; `无` before label text may start a wrapped label; a number
before `.6` is half of a decimal; and a lowercase letter or a bar alone on its line is a cell OCR read
wrong, or a label / a row start, by what sits around it.
"""
from __future__ import annotations

from xxgk.parsing.number_damage import BARS, LOOK_ALIKES, look_alike_is_cell
from xxgk.parsing.tokens import CELL_KINDS, Kind, Token

_COUNTERS = set("年月日号时分秒条件个人次名家余多%期篇天页批类份位岁届")
_DOUBTFUL_TEXTS = LOOK_ALIKES | {"无"}
# a bar line beside a delimited line: the pipe fields it holds (`|` a row start, `-|` a `-` cell)
_BAR_FIELDS = {"|": (), "+|": ((Kind.text, "+"),), "-|": ((Kind.null, "-"),)}


def role(token: Token | None) -> str:
    """What a letter's neighbour is: `cell`, `label` (text with a Chinese character), or `` (else)."""
    if token is None:
        return ""
    if token.kind in CELL_KINDS:
        return "cell"
    return "label" if token.kind is Kind.text and not token.text.isascii() else ""


def doubtful_tokens(tokens: list[Token]) -> list[Token]:
    """Tokens whose role or value the next token puts in doubt: `无` right before label text may be a
    blank cell or the start of a wrapped label (`无\n正当理由…`; in a delimited field it is a cell), a
    number followed by `.6` is the integer part of a decimal cut at its point, and a lowercase letter or a
    bar alone on its line is a cell OCR read wrong or a label / a row start, by its neighbours."""
    if not any(token.kind is Kind.unreadable or token.text in _DOUBTFUL_TEXTS for token in tokens):
        return tokens  # most sections
    marked = list(tokens)
    for position in range(len(tokens) - 1):
        token, following = tokens[position], tokens[position + 1]
        if (token.kind is Kind.null and token.text == "无" and not token.delimited
                and following.kind is Kind.text):
            marked[position] = Token(Kind.maybe, token.text, token.line, token.delimited)
        elif token.kind is Kind.value and following.kind is Kind.unreadable and following.text[:1] == ".":
            marked[position] = Token(Kind.unreadable, token.text, token.line, token.delimited)
        elif token.text in LOOK_ALIKES and position and _lone_letter_cell(tokens, position):
            marked[position] = Token(Kind.unreadable, token.text, token.line, token.delimited)
    if any(token.text in BARS and token.kind is Kind.unreadable for token in tokens):
        return _bar_lines(marked)
    return marked


def _lone_letter_cell(tokens: list[Token], position: int) -> bool:
    """A lowercase letter alone on its line among cells and Chinese labels (`行政处罚 / b / 0 / 26`, `1 / b
    / 26`): a cell OCR read as a letter (b for 6, g or q for 9)."""
    token, before, after = tokens[position], tokens[position - 1], tokens[position + 1]
    return (token.kind is Kind.text and not token.delimited and before.line < token.line < after.line
            and look_alike_is_cell(role(before), role(after), alone=True))


def _bar_lines(tokens: list[Token]) -> list[Token]:
    """A line that is only `|` (`+|`, `-|`) next to a delimited line is that layout's row start (or a `-`
    cell that lost its space): read as the pipe fields it holds. Between cells of one cell a line, it is
    a cell (`1`, `+1`) OCR read as a bar: unreadable, so the row's other cells do not shift into its place."""
    kept: list[Token] = []
    last = len(tokens) - 1
    for position, token in enumerate(tokens):
        if token.text in BARS and token.kind is Kind.unreadable and not token.delimited and (
                position and tokens[position - 1].delimited or position < last and tokens[position + 1].delimited):
            kept += [Token(kind, text, token.line, True) for kind, text in _BAR_FIELDS[token.text]]
        else:
            kept.append(token)
    return kept


def join_counters(tokens: list[Token]) -> list[Token]:
    """`2019` followed by `年`, `5` by `件`: a number in prose, not a table cell.

    Across a line break only when the number stands alone on its line (`2019\n年` in pages that
    put every number on a line of its own); a vertical label character such as the 年 of
    三、本年度办理结果 on the next line does not turn a row's last cell into prose.
    """
    joined = list(tokens)
    numbers, text = (Kind.value, Kind.run), Kind.text
    for position in range(1, len(tokens)):
        following = tokens[position]
        if following.kind is not text or following.text[:1] not in _COUNTERS:
            continue
        token = tokens[position - 1]
        if token.kind in numbers and (following.line == token.line or position == 1
                                      or tokens[position - 2].line != token.line):
            joined[position - 1] = Token(text, token.text, token.line, token.delimited)
    return joined
