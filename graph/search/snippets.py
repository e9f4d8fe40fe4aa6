"""Snippets: the part of a text around what a query matched, the matches marked, in the text
as written (FTS5 marks the folded text; ``folding`` maps its positions back)."""

from dataclasses import dataclass

from vnpolicy.graph.search.folding import Folded, folded

#: The marks FTS5's ``highlight()`` is asked to put around a match (never in indexed text).
START, END = "\x02", "\x03"
#: Characters of text a snippet shows.
SNIPPET = 240


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet; ``match`` pieces are what the query matched."""

    text: str
    match: bool = False


def snippet_of(text: str, marked: str, is_aligned: bool = False) -> tuple[Segment, ...]:
    """The part of ``text`` around its first match, the matches marked: ``marked`` is the
    folded text with FTS5's marks, mapped back onto the original wording (``is_aligned``: the
    text folds character for character, so positions are the same in both)."""
    if START not in marked:
        return ()
    spans = []
    marks = 0  # the marks before a place in ``marked``: its place in the folded text is less
    opening = marked.find(START)
    while opening != -1:
        closing = marked.find(END, opening)
        spans.append((opening - marks, closing - marks - 1))
        marks += 2
        opening = marked.find(START, closing)
    source = Folded(text, "", ()) if is_aligned else folded(text)
    mapped = spans if is_aligned else [source.original_span(s, e) for s, e in spans]
    original: list[tuple[int, int]] = []
    for span in mapped:
        gap = source.original[original[-1][1] : span[0]] if original else "-"
        if original and gap.strip(" ") == "":
            original[-1] = (original[-1][0], span[1])  # "Nghị quyết 57" is one mark
        else:
            original.append(span)
    first = original[0][0]
    begin = max(0, first - 60)
    if begin:
        space = source.original.find(" ", begin, first)
        begin = space + 1 if space != -1 else begin
    end = min(len(source.original), begin + SNIPPET)
    segments: list[Segment] = []
    at = begin
    for span_start, span_end in original:
        if span_start < at or span_start >= end:
            continue
        if span_start > at:
            segments.append(Segment(source.original[at:span_start]))
        segments.append(Segment(source.original[span_start:span_end], match=True))
        at = span_end
    if at < end:
        segments.append(Segment(source.original[at:end]))
    if begin:
        segments.insert(0, Segment("…"))
    if end < len(source.original):
        segments.append(Segment("…"))
    return tuple(Segment(s.text.replace("\n", " · "), s.match) for s in segments)
