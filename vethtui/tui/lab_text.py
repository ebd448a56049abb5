"""Lab texts on screen: a little Markdown, wrapped at cell width, Chinese included.

Textual's wrapping breaks lines only at spaces and folds a longer run at any
character, so a Chinese paragraph (one run, no spaces) gets a closing "）" or
"，" at the start of a line, and Markdown joins the lines of a paragraph with
a space ("帧， 内核"). `LabText` renders the lab pane's texts itself:

- a soft line break inside a paragraph becomes nothing between two wide
  (CJK) characters and a space otherwise (CSS Text 3's segment break rule);
- lines break at spaces and between CJK characters, measured in terminal
  cells, never before closing punctuation (，。、；：！？）」』》 ...) nor after
  opening punctuation (（「『《 ...): the character before moves down with it;
- nothing is re-cased, and no space is ever inserted.

The Markdown is what lab files use: paragraphs, `code`, **bold**, *italic*,
fenced code blocks (wrapped at spaces only, the
rest of a line indented), bullet and numbered lists
(hanging indent), headings (bold).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from rich.cells import get_character_cell_size
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

# kinsoku: what may not start a line, and what may not end one
NO_START = set("，。、；：！？）」』》〉】〕］｝〗〙・…‥～ー—’”%‰℃,.;:!?)]}") | set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
NO_END = set("（「『《〈【〔［｛〖〘‘“([{")

CODE = "bold $text-accent"


@dataclass
class Block:
    """A paragraph to wrap: styled spans, the first line's prefix, the indent of the rest."""

    spans: list[tuple[str, str]] = field(default_factory=list)
    prefix: tuple[str, str] = ("", "")
    indent: int = 0
    code: bool = False      # a code block: lines as written, clipped, not wrapped
    gap: bool = True        # a blank line before it (not before the first block)


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _cells(ch: str) -> int:
    return get_character_cell_size(ch)


def _wide_punct(ch: str) -> bool:
    return is_wide(ch) and unicodedata.category(ch).startswith("P")


def join_soft_break(before: str, after: str) -> str:
    """What a line break inside a paragraph becomes: nothing between two wide characters
    or next to wide punctuation ("帧，" + "内核"), a space otherwise ("地址" + "veth0")."""
    if not before or not after:
        return ""
    b, a = before[-1], after[0]
    if (is_wide(b) and is_wide(a)) or _wide_punct(b) or _wide_punct(a):
        return ""
    return " "


def can_break_before(prev: str, ch: str) -> bool:
    """May a line start at `ch`, after `prev` (both not spaces)?"""
    if ch in NO_START or prev in NO_END:
        return False
    return is_wide(prev) or is_wide(ch)


def _break_segments(chars: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Segments [start, end) up to each break opportunity (after spaces, or between two
    characters can_break_before allows); spaces after a word belong to it."""
    n = len(chars)
    segs: list[tuple[int, int]] = []
    start = i = 0
    while i < n:
        ch = chars[i][0]
        if ch == " ":
            while i < n and chars[i][0] == " ":
                i += 1
            segs.append((start, i))
            start = i
            continue
        if i > start and chars[i - 1][0] != " " and can_break_before(chars[i - 1][0], ch):
            segs.append((start, i))
            start = i
        i += 1
    if start < n:
        segs.append((start, n))
    return segs


def wrap_chars(chars: Sequence[tuple[str, str]], width: int, first: int = 0,
               rest: int = 0) -> list[list[tuple[str, str]]]:
    """Lines of (char, style) at most `width` cells (`first` / `rest` cells already used
    by the first line's prefix / the others' indent). Spaces at a break are dropped."""
    segs = _break_segments(chars)
    lines: list[list[tuple[str, str]]] = [[]]
    used = first

    def seg_width(a: int, b: int, trailing: bool) -> int:
        while not trailing and b > a and chars[b - 1][0] == " ":
            b -= 1
        return sum(_cells(chars[k][0]) for k in range(a, b))

    def new_line() -> None:
        nonlocal used
        line = lines[-1]
        while line and line[-1][0] == " ":
            line.pop()
        lines.append([])
        used = rest

    for a, b in segs:
        w = seg_width(a, b, trailing=False)
        if used + w <= width:
            lines[-1].extend(chars[a:b])
            used += seg_width(a, b, trailing=True)
            continue
        if lines[-1]:
            new_line()
            # leading spaces of a segment never start a line
            while a < b and chars[a][0] == " ":
                a += 1
            w = seg_width(a, b, trailing=False)
            if used + w <= width:
                lines[-1].extend(chars[a:b])
                used += seg_width(a, b, trailing=True)
                continue
        # longer than a whole line: fold it, keeping closing punctuation off line starts
        k = a
        while k < b:
            ch, style = chars[k]
            cw = _cells(ch)
            if used + cw > width and lines[-1]:
                if ch == " ":
                    k += 1
                    continue
                if (ch in NO_START or lines[-1][-1][0] in NO_END) and len(lines[-1]) > 1:
                    # carry characters down until the new line starts with one that may
                    moved = [lines[-1].pop()]
                    while (moved[0][0] in NO_START or lines[-1][-1][0] in NO_END) \
                            and len(lines[-1]) > 1:
                        moved.insert(0, lines[-1].pop())
                    new_line()
                    lines[-1].extend(moved)
                    used += sum(_cells(c) for c, _ in moved)
                else:
                    new_line()
            lines[-1].append((ch, style))
            used += cw
            k += 1
    while lines[-1] and lines[-1][-1][0] == " ":
        lines[-1].pop()
    return lines


def min_cells(text: str) -> int:
    """The widest piece of `text` wrap_chars cannot break (a word; one wide character):
    the narrowest column it fits without folding."""
    chars = [(ch, "") for ch in text]
    return max((sum(_cells(chars[k][0]) for k in range(a, b) if chars[k][0] != " ")
                for a, b in _break_segments(chars)), default=0)


# ---------------------------------------------------------------- Markdown -> blocks

@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark")


def _inline_spans(children, base: str = "") -> list[tuple[str, str]]:
    spans: list[tuple[str, str]] = []
    styles: list[str] = [base] if base else []
    pending_break = False

    def add(text: str, style: str) -> None:
        nonlocal pending_break
        if pending_break:
            before = spans[-1][0] if spans else ""
            joiner = join_soft_break(before, text)
            if joiner:
                spans.append((joiner, ""))
            pending_break = False
        if text:
            spans.append((text, style))

    for tok in children or []:
        t = tok.type
        if t == "text":
            add(tok.content, " ".join(styles))
        elif t == "code_inline":
            add(tok.content, CODE)
        elif t == "strong_open":
            styles.append("bold")
        elif t == "em_open":
            styles.append("italic")
        elif t in ("strong_close", "em_close"):
            if styles:
                styles.pop()
        elif t == "softbreak":
            pending_break = True
        elif t == "hardbreak":
            spans.append(("\n", ""))
        elif t == "html_inline":
            add(tok.content, " ".join(styles))
    return spans


def markdown_blocks(source: str, base: str = "") -> list[Block]:
    """The blocks of a lab text (see the module docstring for what is supported)."""
    tokens = _parser().parse(source or "")
    blocks: list[Block] = []
    lists: list[list] = []          # [ordered, next number]
    item_prefix: Optional[tuple[str, str]] = None
    first_item = False
    heading = False
    for tok in tokens:
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if t == "ordered_list_open" else 0
            lists.append([t == "ordered_list_open", start])
            first_item = True
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            ordered, num = lists[-1]
            item_prefix = (f"{num}. " if ordered else "• ", "bold" if not ordered else "")
            if ordered:
                lists[-1][1] += 1
        elif t == "heading_open":
            heading = True
        elif t == "heading_close":
            heading = False
        elif t == "inline":
            depth = max(0, len(lists) - 1) * 2
            spans = _inline_spans(tok.children, "bold" if heading else base)
            b = Block(spans=spans, indent=depth)
            if item_prefix is not None:
                b.prefix = (" " * depth + item_prefix[0], item_prefix[1])
                b.indent = depth + len(item_prefix[0])
                b.gap = first_item or blocks[-1].code if blocks else True
                item_prefix = None
                first_item = False
            elif lists:
                b.indent = depth + 2
                b.gap = False
            blocks.append(b)
        elif t in ("fence", "code_block"):
            blocks.append(Block(spans=[(tok.content.rstrip("\n"), CODE)], code=True,
                                indent=len(lists) * 2))
    return blocks


def render_blocks(blocks: Sequence[Block], width: int) -> list[Content]:
    """The blocks as lines of at most `width` cells."""
    width = max(1, width)
    out: list[Content] = []
    for bi, b in enumerate(blocks):
        if bi and b.gap:
            out.append(Content(""))
        if b.code:
            # a command is wrapped at its spaces (the rest indented by 2), never clipped
            text = "".join(t for t, _ in b.spans)
            for line in text.split("\n"):
                chars = [(ch, CODE) for ch in line]
                for k, part in enumerate(wrap_chars(chars, width, first=b.indent,
                                                    rest=b.indent + 2)):
                    pad = " " * (b.indent + (2 if k else 0))
                    out.append(Content.assemble(pad, ("".join(c for c, _ in part), CODE)))
            continue
        # a hard break splits the paragraph into lines wrapped each on their own
        parts: list[list[tuple[str, str]]] = [[]]
        for text, style in b.spans:
            for k, piece in enumerate(text.split("\n")):
                if k:
                    parts.append([])
                parts[-1].extend((ch, style) for ch in piece)
        first_prefix = True
        for chars in parts:
            pre_text, pre_style = b.prefix if first_prefix else ("", "")
            pre_cells = sum(_cells(c) for c in pre_text) if first_prefix else b.indent
            lines = wrap_chars(chars, width, first=pre_cells, rest=b.indent)
            for li, line in enumerate(lines):
                pieces: list[tuple[str, str]] = []
                if li == 0 and first_prefix and pre_text:
                    pieces.append((pre_text, pre_style))
                elif b.indent:
                    pieces.append((" " * b.indent, ""))
                for ch, style in line:
                    if pieces and pieces[-1][1] == style:
                        pieces[-1] = (pieces[-1][0] + ch, style)
                    else:
                        pieces.append((ch, style))
                out.append(Content.assemble(*pieces))
            first_prefix = False
    return out


class LabText(Widget):
    """Lab text (Markdown or ready blocks), wrapped as the module docstring says.
    Its height is the number of lines at its width."""

    DEFAULT_CSS = """
    LabText { height: auto; text-wrap: nowrap; text-overflow: clip; }
    """

    def __init__(self, markdown: str = "", *, name: Optional[str] = None,
                 id: Optional[str] = None, classes: Optional[str] = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.source = markdown
        self._blocks: list[Block] = markdown_blocks(markdown)
        self._cache: Optional[tuple[int, list[Content]]] = None

    def update(self, markdown: str) -> None:
        """Show `markdown`."""
        self.set_blocks(markdown_blocks(markdown), markdown)

    def set_blocks(self, blocks: list[Block], source: str = "") -> None:
        """Show ready blocks (`source` is what `.source` reports)."""
        self.source = source
        self._blocks = blocks
        self._cache = None
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, render_blocks(self._blocks, width))
        return self._cache[1]

    @property
    def plain(self) -> str:
        """What the widget shows at its present width, as plain text."""
        return "\n".join(c.plain for c in self.lines(self.content_size.width or 80))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))
