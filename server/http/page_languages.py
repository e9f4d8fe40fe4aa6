"""Texts in two languages on one page: a text in the page's language when the graph has it, else
in another marked with its language, and the plain notes that say so. Nothing is translated."""

from dataclasses import dataclass

from vnpolicy.server.http.pages import PageContext

_ENGLISH = {"en": ("English", "tiếng Anh"), "vi": ("Vietnamese", "tiếng Việt")}


@dataclass(frozen=True)
class Localised:
    """A text and, when it is not in the page's language, its language."""

    text: str
    language: str | None = None


def localised(texts: dict[str, str], language: str) -> Localised | None:
    """The text in the page's language, else English, else untagged, else any — marked with
    its language when it is not the page's."""
    for tag in (language, "en", ""):
        if tag in texts:
            return Localised(texts[tag], tag if tag and tag != language else None)
    if texts:
        tag = sorted(texts)[0]
        return Localised(texts[tag], tag)
    return None


def language_name(tag: str, context: PageContext) -> str:
    english, vietnamese = _ENGLISH.get(tag, (tag, tag))
    return context.t(english, vietnamese)


def missing_note(tag: str, what: str, context: PageContext) -> str:
    """ "The graph holds no Vietnamese wording of this part." """
    if context.lang == "vi":
        return f"Đồ thị chưa có {what} bằng {language_name(tag, context)}."
    return f"The graph holds no {language_name(tag, context)} {what}."


def shown_instead_note(shown: str, what: str, context: PageContext) -> str:
    """ "No source gives an English title; the Vietnamese title is shown." """
    page, other = language_name(context.lang, context), language_name(shown, context)
    if context.lang == "vi":
        return f"Không nguồn nào cho {what} bằng {page}; {what} bằng {other} được hiển thị."
    return f"No source gives an {page} {what}; the {other} {what} is shown."
