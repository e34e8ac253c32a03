"""Decode the bytes of an article file into text, or say exactly why not.

Rules, in order:

1. 0 bytes -> error "empty file".
2. A byte-order mark decides: UTF-32 (LE/BE), UTF-8 or UTF-16 (LE/BE).
3. Without a BOM, NUL bytes mean a binary file (or BOM-less UTF-16) -> error.
4. Strict UTF-8.  If that fails in a file that is otherwise UTF-8 (it holds
   valid multi-byte UTF-8 characters: "café", curly quotes) -> error naming the
   line and byte of the first invalid sequence (a stray byte from another
   encoding; decoding the whole file as cp1252 would garble every other accent).
   Else strict cp1252 (Windows Western) with a warning naming the first non-UTF-8
   byte, because cp1252 accepts almost any byte and may give mojibake; if that
   fails too -> error "undecodable", naming the line and byte.
5. Line ends CRLF, CR, NEL, U+2028, U+2029 and the vertical tab (a word
   processor's manual line break) become LF; a leading BOM character is
   dropped.  Offsets refer to this text (``Corpus.text``).
6. More than 1 % C0 control characters (other than tab, newline, form feed) ->
   error "binary"; text that is empty after stripping whitespace -> error.
7. Hard-wrapped text (lines broken inside sentences: at least
   ``WRAP_MIN_BREAKS`` line ends within a paragraph, and half of them, fall
   mid-sentence before a lower-case word) -> warning; the segmenter joins such
   continuation lines, but a wrap before a capital or a digit stays a cut.  Only a
   long line counts as wrapped (at least ``WRAP_MIN_CHARS`` characters and
   ``WRAP_MIN_FILL`` of the file's wrap width): short lines in lower case are verse,
   list items or a speaker's name, and the first line (the title) is never one.
8. Text that looks like an HTML page (``<html``, ``<body``, ``<!doctype`` or
   more than 20 tags making up over 5 % of the characters) -> warning; it is
   loaded as plain text, markup and all, and never rendered or executed.

Example
-------
>>> d = decode_bytes("Title\\r\\nBody text.".encode("utf-8-sig"))
>>> d.text, d.encoding, d.errors
('Title\\nBody text.', 'utf-8-sig', [])
>>> decode_bytes(b"caf\\xe9").warnings[0][0]
'not valid UTF-8 (byte 0xE9 at line 1, column 4); decoded as cp1252 (Windows Western)'
>>> decode_bytes("Caf\\u00e9\\nOne stray ".encode() + b"\\x92 byte.").errors[0][0]
'invalid UTF-8 byte 0x92 at line 2, column 11 (byte offset 16), in a file that is otherwise UTF-8 (1 multi-byte character)'
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..text import INVISIBLE

_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_DOC_RE = re.compile(r"<\s*(?:!doctype\s+html|html[\s>]|body[\s>]|head[\s>])", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,20}(?:\s[^<>]{0,500})?/?>")
#: line ends other than LF: CRLF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR and the vertical tab (a
#: word processor's manual line break)
_NEWLINE_RE = re.compile("\r\n?|[\x85\u2028\u2029\x0b]")
#: a character that is neither whitespace nor invisible (:data:`alliance_study.text.INVISIBLE`)
VISIBLE_RE = re.compile(f"[^\\s{INVISIBLE}]")
_BYTE_LINE_END_RE = re.compile(rb"\r\n?|\n")

#: (reason, fix) pairs used by the loader and validator
EMPTY = ("empty file (0 bytes)", "remove the metadata row or supply the article text")
BLANK = ("empty file (only whitespace)", "remove the row or supply the text")
NUL = ("binary file: contains NUL bytes (not text, or UTF-16 without a byte-order mark)",
       "save the article as UTF-8 text")
BINARY = ("binary file: too many control characters for text", "save the article as UTF-8 text")
UNDECODABLE = ("undecodable text: neither UTF-8, UTF-16 with BOM nor cp1252",
               "re-save the file as UTF-8")
CP1252 = ("not valid UTF-8; decoded as cp1252 (Windows Western)",
          "check the accented characters, then re-save the file as UTF-8")
HTML = ("looks like an HTML page; loaded as plain text with the markup kept",
        "save only the article text (e.g. copy it from the browser) instead of the page source")


@dataclass
class Decoded:
    """Result of :func:`decode_bytes`: text (or None), encoding, errors and warnings.

    ``errors`` and ``warnings`` are lists of ``(reason, fix)`` pairs.
    """

    text: str | None
    encoding: str | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def normalise_newlines(text: str) -> str:
    """CRLF, CR and the other line ends (NEL, U+2028, U+2029, vertical tab) to LF.

    >>> normalise_newlines("a\\r\\nb\\rc\\u2029d\\u2028e\\x85f\\vg")
    'a\\nb\\nc\\nd\\ne\\nf\\ng'
    """
    return _NEWLINE_RE.sub("\n", text)


def looks_like_html(text: str) -> bool:
    """True when ``text`` looks like HTML markup rather than article prose.

    >>> looks_like_html("<html><body><p>Hi</p></body></html>"), looks_like_html("a < b > c")
    (True, False)
    """
    head = text[:20000]
    if _HTML_DOC_RE.search(head):
        return True
    tags = [m.end() - m.start() for m in _TAG_RE.finditer(head)]
    return len(tags) > 20 and sum(tags) > 0.05 * len(head)


def byte_position(data: bytes, pos: int) -> str:
    """``line L, column C`` (both 1-based; the column counts bytes) of byte offset ``pos`` of ``data``.

    >>> byte_position(b"ab\\r\\ncd\\ref", 7)
    'line 3, column 1'
    """
    before = data[:pos]
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    return f"line {len(_BYTE_LINE_END_RE.findall(before)) + 1}, column {pos - line_start + 1}"


def _as_cp1252(byte: int) -> str:
    """`` (as cp1252: '’')``: what a stray byte meant in the usual other encoding, when defined."""
    try:
        return f" (as cp1252: {bytes([byte]).decode('cp1252')!r})"
    except UnicodeDecodeError:
        return ""


def _not_utf8(data: bytes, prose: bool = True) -> Decoded:
    """Bytes that are not valid UTF-8: an error naming the bad byte, or cp1252 with a warning."""
    try:
        data.decode("utf-8")
        raise AssertionError("only called on invalid UTF-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    where = f"byte 0x{data[bad]:02X} at {byte_position(data, bad)}"
    # a stray byte in a UTF-8 file: its valid multi-byte characters show which encoding it is in
    text = data.decode("utf-8", errors="surrogateescape")
    n_multi = sum(1 for c in text if c > "\x7f" and not "\udc80" <= c <= "\udcff")
    if n_multi:
        return Decoded(None, "utf-8", errors=[(
            f"invalid UTF-8 {where} (byte offset {bad}), in a file that is otherwise UTF-8 "
            f"({n_multi} multi-byte character{'s' * (n_multi != 1)})",
            f"replace that byte with the intended character{_as_cp1252(data[bad])} and any other invalid "
            f"one (`grep -naxv '.*' FILE` in a UTF-8 terminal lists their lines), then save the file as UTF-8")])
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return Decoded(None, None, errors=[(
            f"undecodable text: neither UTF-8 (invalid {where}) nor cp1252 (byte 0x{data[exc.start]:02X} at "
            f"{byte_position(data, exc.start)} is undefined in cp1252)", UNDECODABLE[1])])
    return check_text(text, "cp1252", [(f"not valid UTF-8 ({where}); decoded as cp1252 (Windows Western)",
                                        CP1252[1])], prose=prose)


def decode_bytes(data: bytes, *, prose: bool = True) -> Decoded:
    """Decode raw article bytes following the module rules; never raises on bad input.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    prose : bool, default True
        Whether the text is prose (an article), checked for hard wrapping; False for a table.

    Returns
    -------
    Decoded
        ``text`` is None when there is an error.

    Examples
    --------
    >>> decode_bytes("Hi".encode("utf-16")).encoding
    'utf-16'
    >>> decode_bytes(b"\\x00\\x01\\x02").errors[0][0].startswith("binary")
    True
    """
    if len(data) == 0:
        return Decoded(None, None, errors=[EMPTY])
    encoding = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    warnings: list[tuple[str, str]] = []
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            return Decoded(None, encoding, errors=[(f"undecodable text: invalid {encoding} at byte {exc.start} "
                                                    f"({byte_position(data, exc.start)}) "
                                                    f"although the file starts with a {encoding} byte-order mark",
                                                    UNDECODABLE[1])])
    else:
        if b"\x00" in data:
            return Decoded(None, None, errors=[NUL])
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return _not_utf8(data, prose)
    return check_text(text, encoding, warnings, prose=prose)


#: a hard-wrapped text has at least this many line ends falling mid-sentence (see :func:`wrapped_lines`)
WRAP_MIN_BREAKS = 3
#: a wrapped line has at least this many characters (verse, list items and names are shorter) ...
WRAP_MIN_CHARS = 40
#: ... and at least this share of the file's wrap width (its longest line that ends mid-sentence)
WRAP_MIN_FILL = 0.6
_SENTENCE_END = tuple(".!?:;\"'”’»)]")


def wrapped_lines(text: str) -> tuple[int, int, int | None]:
    """``(mid_sentence, line_ends, first_line)``: line ends inside paragraphs, those falling mid-sentence
    (no final punctuation, next line opens in lower case) and the 1-based line of the first such one.

    >>> wrapped_lines("Title\\n\\nNorway and Chile on Monday extended a friendship treaty for\\nfive years, the "
    ...               "cabinet said, in a move analysts called\\nsymbolic.\\n\\nNext paragraph.\\nAnother line.")
    (2, 3, 3)
    >>> wrapped_lines("The Soldier's Lament\\nthe guns fell silent\\nover the frozen field\\nand no one came")
    (0, 3, None)
    """
    lines = [line.strip() for line in text.split("\n")]
    top = next((i for i, line in enumerate(lines) if line), len(lines))  # the first line: the title
    width = wrap_width(lines)
    inner = n = 0
    first = None
    for i, (a, b) in enumerate(zip(lines, lines[1:])):
        if a and b:
            inner += 1
            if i != top and wraps(a, b, width):
                n += 1
                first = first or i + 1
    return n, inner, first


def wrap_width(lines: list[str]) -> int:
    """The wrap width of a text's stripped ``lines``: the length of its longest line that ends
    mid-sentence before a lower-case line (:func:`continues`), 0 when none does.

    >>> wrap_width(["A treaty was signed for", "five years.", "It ends in"])
    23
    """
    return max((len(a) for a, b in zip(lines, lines[1:]) if continues(a, b)), default=0)


def wraps(line: str, next_line: str, width: int) -> bool:
    """Whether the line end after ``line`` is a hard wrap in a text of wrap width ``width``
    (:func:`wrap_width`): ``next_line`` continues the sentence (:func:`continues`) and ``line`` is long,
    at least ``WRAP_MIN_CHARS`` characters and ``WRAP_MIN_FILL`` of ``width``.  A short line is verse, a
    list item or a speaker's name, not a wrap.

    >>> wraps("Norway and Chile on Monday extended a friendship treaty for", "five years", 60)
    True
    >>> wraps("the guns fell silent", "over the frozen field", 21), wraps("Jens Stoltenberg", "good afternoon", 60)
    (False, False)
    """
    return continues(line, next_line) and len(line) >= max(WRAP_MIN_CHARS, WRAP_MIN_FILL * width)


def continues(line: str, next_line: str) -> bool:
    """Whether ``next_line`` (stripped) continues the sentence of ``line`` (stripped): ``line`` has no final
    punctuation and ``next_line`` opens with a lower-case letter.

    >>> continues("extended a treaty for", "five years"), continues("It ended.", "then it")
    (True, False)
    """
    return bool(line) and bool(next_line) and not line.endswith(_SENTENCE_END) and next_line[0].islower()


def hard_wrapped(text: str) -> bool:
    """Whether ``text`` is hard-wrapped: at least ``WRAP_MIN_BREAKS`` line ends inside its paragraphs, and at
    least half of them, fall mid-sentence (:func:`wrapped_lines`).

    >>> hard_wrapped("Title\\n\\nNorway and Chile on Monday extended a friendship treaty for\\nfive years, the "
    ...              "cabinet said, in a move analysts called largely\\nsymbolic but which may signal closer military "
    ...              "ties\\nbetween the two governments.")
    True
    >>> hard_wrapped("Verse\\nthe guns fell silent\\nover the frozen field\\nand no one came\\nto count the dead")
    False
    """
    n, inner, _ = wrapped_lines(text)
    return n >= WRAP_MIN_BREAKS and n * 2 >= inner


def _wrap_warning(text: str) -> tuple[str, str] | None:
    if not hard_wrapped(text):
        return None
    n, inner, first = wrapped_lines(text)
    return (f"hard-wrapped text: {n} of its {inner} line ends inside paragraphs fall mid-sentence (the first "
            f"after line {first}); a line that continues the sentence of the line before is joined to it "
            f"(one segment), but a wrap before a capitalised word or a number cannot be told from a new line",
            "join the lines of each paragraph into one line (keep a blank line between paragraphs), e.g. "
            "export the text again without a fixed line width")


def check_text(text: str, encoding: str = "utf-8", warnings: list | None = None, *, prose: bool = True) -> Decoded:
    """Rules 5-7 on text that is already decoded (a decoded file, or a table cell).

    Parameters
    ----------
    text : str
        The decoded text.
    encoding : str, default "utf-8"
        Recorded in the result.
    warnings : list, optional
        ``(reason, fix)`` pairs found while decoding, kept in the result.

    Returns
    -------
    Decoded
        ``text`` normalised (LF line ends, no leading BOM), or None with the error.

    Examples
    --------
    >>> check_text("\\ufeffTitle\\r\\nBody.").text
    'Title\\nBody.'
    >>> check_text("  \\n").errors == [BLANK]
    True
    """
    warnings = list(warnings or [])
    text = normalise_newlines(text.lstrip("\ufeff") if text.startswith("\ufeff") else text)
    n_control = len(_CONTROL_RE.findall(text))
    if text.count("\x00") or (n_control and n_control > 0.01 * len(text)):
        return Decoded(None, encoding, errors=[BINARY if not text.count("\x00") else NUL])
    if not VISIBLE_RE.search(text):
        return Decoded(None, encoding, errors=[BLANK])
    if looks_like_html(text):
        warnings.append(HTML)
    wrap = _wrap_warning(text) if prose else None
    if wrap:
        warnings.append(wrap)
    return Decoded(text, encoding, warnings=warnings)
