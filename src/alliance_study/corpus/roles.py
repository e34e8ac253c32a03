"""The role rules of :mod:`.segment`: ``lexicons/roles.yaml`` (or a study's copy), read and checked.

A rule gives a line its role (``boilerplate``, ``caption``, ``byline``...) by a regular
expression; settings bound the headline search; macros name shared pieces of patterns.
Every key is checked: a misspelt setting or an undefined macro is refused, naming the
file and the rule, rather than left to keep its default silently.

>>> RoleRules.load().match("Please follow us on Telegram").role
'boilerplate'
"""
from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError, did_you_mean
from ..resources import cached, packaged, read_yaml, resolve
from ..text import backtracking_risk, normalise_token, word_count

ROLES = ("headline", "body", "caption", "byline", "boilerplate", "reader_comment")
#: the keys roles.yaml may have, at the top, under settings and in a rule (anything else is refused)
_TOP_KEYS = ("name", "version", "description", "sources", "settings", "kicker", "macros", "rules", "related_list",
             "comment_thread", "dateline")
_SETTINGS = ("rule_max_line_chars", "kicker_max_words", "kicker_plain_max_words", "headline_max_words", "subtitle_min_capitalized",
             "headline_search_lines", "header_author_max_words")
_RULE_KEYS = ("name", "role", "pattern", "max_words", "case_sensitive", "starts_thread", "after", "thread_only")
def _class_of(chars: str) -> str:
    """A regex character class of ``chars`` (sorted, distinct), with runs of code points as ranges."""
    points = sorted({ord(c) for c in chars})
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        a, b = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(a if i == j else f"{a}-{b}" if j > i + 1 else a + b)
        i = j + 1
    return "[" + "".join(parts) + "]"


@functools.lru_cache(maxsize=1)
def builtin_macros() -> dict[str, str]:
    """Macros every roles file may use (its own ``macros:`` may redefine them).

    ``{UPPER}``: one character that can open a name in any script: a capital (É, Ł, Γ, Ж) or
    a letter of a script without case (漢, ع, ש).  Python's ``re`` has no ``\\p{Lu}``.

    >>> import re
    >>> [bool(re.fullmatch(builtin_macros()["UPPER"], c)) for c in "AÉŁΓЖ漢éa1"]
    [True, True, True, True, True, True, False, False, False]
    """
    initials = "".join(c for c in map(chr, range(0x10000))  # the Basic Multilingual Plane
                       if c.isalpha() and (c.isupper() or c.istitle() or c.lower() == c.upper() == c))
    return {"UPPER": _class_of(initials)}

#: a {NAME} left in a pattern once the macros are replaced: an undefined macro
_MACRO_RE = re.compile(r"\{[A-Za-z_]\w*\}")
_ROLES_FIX = " Fix: correct the file; the packaged lexicons/roles.yaml documents the format."


@dataclass
class _Rule:
    name: str
    role: str
    regex: re.Pattern
    max_words: int | None
    starts_thread: bool
    after: tuple[str, ...] | None = None  # the rule applies only right after a line one of these rules matched
    thread_only: bool = False  # the rule applies only inside a comment thread


class RoleRules:
    """Compiled role rules (see ``lexicons/roles.yaml`` for the format and meaning).

    Examples
    --------
    >>> rules = RoleRules.load()
    >>> rules.match("Please follow us on Telegram").role
    'boilerplate'
    """

    def __init__(self, data: dict, source: str = "<dict>"):
        self.source = source
        if not isinstance(data, dict):
            raise LexiconError(f"{source}: role rules must be a YAML mapping.{_ROLES_FIX}")
        _known(data, _TOP_KEYS, source, "the file")
        settings = _section(data, "settings", source)
        _known(settings, _SETTINGS, f"{source}: settings", "settings")
        try:
            self.rule_max_line_chars = int(settings.get("rule_max_line_chars", 400))
            self.kicker_max_words = int(settings.get("kicker_max_words", 4))
            self.kicker_plain_max_words = int(settings.get("kicker_plain_max_words", 2))
            self.headline_max_words = int(settings.get("headline_max_words", 40))
            self.subtitle_min_capitalized = float(settings.get("subtitle_min_capitalized", 0.6))
            self.headline_search_lines = int(settings.get("headline_search_lines", 6))
            self.header_author_max_words = int(settings.get("header_author_max_words", 5))
        except (TypeError, ValueError) as exc:
            raise LexiconError(f"{source}: settings: a value is not a number ({exc}).{_ROLES_FIX}") from None
        kicker = _section(data, "kicker", source)
        _known(kicker, ("labels", "clause_words"), f"{source}: kicker", "kicker")
        #: last words (casefolded) of section and genre labels: "news" of "WORLD NEWS"
        self.kicker_labels = _word_set(kicker, "labels", source)
        #: words that make a short line read as a clause, not a label: "as" of "FURY AS PRICES SOAR"
        self.clause_words = _word_set(kicker, "clause_words", source)
        macros = {**builtin_macros(), **{str(k): str(v) for k, v in _section(data, "macros", source).items()}}
        self.rules = []
        rules = data.get("rules") or []
        if not isinstance(rules, list):
            raise LexiconError(f"{source}: 'rules' must be a list of rules (`- name: ...`).{_ROLES_FIX}")
        for i, r in enumerate(rules):
            where = f"{source}: rule #{i + 1}"
            if not isinstance(r, dict):
                raise LexiconError(f"{where}: a rule is a mapping with name, role, pattern.{_ROLES_FIX}")
            where += f" ({r['name']})" if r.get("name") else ""
            _known(r, _RULE_KEYS, where, "a rule")
            if r.get("role") not in ROLES:
                raise LexiconError(f"{where}: role {r.get('role')!r}{did_you_mean(r.get('role'), ROLES)} is none "
                                   f"of {', '.join(ROLES)}.{_ROLES_FIX}")
            if not r.get("pattern"):
                raise LexiconError(f"{where}: the rule has no 'pattern'.{_ROLES_FIX}")
            max_words = r.get("max_words")
            if max_words is not None and (isinstance(max_words, bool) or not isinstance(max_words, int)):
                raise LexiconError(f"{where}: max_words must be a whole number, not {max_words!r}.{_ROLES_FIX}")
            flags = {k: r.get(k, False) for k in ("case_sensitive", "starts_thread", "thread_only")}
            for k, v in flags.items():
                if not isinstance(v, bool):
                    raise LexiconError(f"{where}: {k} must be true or false, not {v!r}.{_ROLES_FIX}")
            after = r.get("after")
            if after is not None and (not isinstance(after, list) or not all(isinstance(a, str) for a in after)):
                raise LexiconError(f"{where}: after must be a list of rule names (`after: [share_widget]`), "
                                   f"not {after!r}.{_ROLES_FIX}")
            self.rules.append(_Rule(str(r.get("name", f"rule{i}")), r["role"],
                                    self._compile(r["pattern"], macros, flags["case_sensitive"], where),
                                    max_words, flags["starts_thread"], tuple(after) if after is not None else None,
                                    flags["thread_only"]))
        self.dateline = (self._compile(data["dateline"], macros, where=f"{source}: dateline")
                         if data.get("dateline") else None)
        rel = _section(data, "related_list", source)
        _known(rel, ("heading", "item_max_words", "item_end"), f"{source}: related_list", "related_list")
        self.related_heading = (self._compile(rel["heading"], macros, where=f"{source}: related_list.heading")
                                if rel.get("heading") else None)
        self.related_item_end = (self._compile(rel["item_end"], macros, where=f"{source}: related_list.item_end")
                                 if rel.get("item_end") else None)
        try:
            self.related_item_max_words = int(rel.get("item_max_words", 30))
        except (TypeError, ValueError):
            raise LexiconError(f"{source}: related_list.item_max_words must be a whole number.{_ROLES_FIX}") from None
        th = _section(data, "comment_thread", source)
        _known(th, ("header", "offline_header", "date_line"), f"{source}: comment_thread", "comment_thread")
        self.header = (self._compile(th["header"], macros, where=f"{source}: comment_thread.header")
                       if th.get("header") else None)
        self.offline_header = (self._compile(th["offline_header"], macros,
                                             where=f"{source}: comment_thread.offline_header")
                               if th.get("offline_header") else None)
        self.date_line = (self._compile(th["date_line"], macros, where=f"{source}: comment_thread.date_line")
                          if th.get("date_line") else None)

    @staticmethod
    def _compile(pattern: str, macros: dict, case_sensitive: bool = False, where: str = "<rule>") -> re.Pattern:
        """``pattern`` with its ``{MACRO}``s replaced, compiled; an undefined macro or a bad regex is refused.

        >>> RoleRules._compile("^{X}$", {"X": "a{Y}", "Y": "b"}).pattern
        '^ab$'
        >>> RoleRules._compile("^{NOPE}$", {"X": "a"}, where="roles.yaml: rule #1")
        Traceback (most recent call last):
        alliance_study.errors.LexiconError: roles.yaml: rule #1: the pattern uses the macro {NOPE}, which macros: \
does not define (it would match the text '{NOPE}'); defined: X (built in: UPPER). Fix: define it under macros:, or correct its name.
        """
        for _ in range(5):  # macros may use macros
            new = pattern = str(pattern)
            for k, v in macros.items():
                new = new.replace("{" + k + "}", v)
            if new == pattern:
                break
            pattern = new
        undefined = _MACRO_RE.search(pattern)
        if undefined:
            raise LexiconError(f"{where}: the pattern uses the macro {undefined.group()}, which macros: does not "
                               f"define (it would match the text {undefined.group()!r}); defined: "
                               f"{', '.join(k for k in macros if k not in builtin_macros()) or 'none'} (built in: "
                               f"{', '.join(builtin_macros())}). Fix: define it under macros:, or correct its name.")
        try:
            compiled = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{where}: the pattern is not a valid regular expression ({exc}).{_ROLES_FIX}") from None
        risk = backtracking_risk(pattern)
        if risk:
            raise LexiconError(f"{where}: the pattern '{pattern}' could take hours on one line of text ({risk}). "
                               f"Fix: let each repeat need its own text, e.g. (\\w+\\s)+ or \\w+(\\s\\w+)* "
                               f"instead of (\\w+\\s?)+.")
        return compiled

    @classmethod
    def load(cls, path: str | Path | None = None) -> "RoleRules":
        """Rules from a YAML file (default: the packaged ``roles.yaml``)."""
        return cached(_rules_from_file, resolve(path or "roles", suffix=".yaml", what="role rules file"))

    def match(self, line: str, after: str | None = None) -> _Rule | None:
        """First rule matching the stripped ``line``, or None; ``after`` is the name of the rule that matched
        the line before (a rule with ``after:`` applies only there).

        >>> r = RoleRules.load()
        >>> r.match("Telegram"), r.match("Telegram", after="share_widget").name
        (None, 'share_single')
        """
        if len(line) > self.rule_max_line_chars:
            return None
        n = None
        for r in self.rules:
            if r.after is not None and after not in r.after:
                continue
            if r.max_words is not None:
                n = n if n is not None else word_count(line)
                if n > r.max_words:
                    continue
            if r.regex.search(line):
                return r
        return None

    def comment_header(self, line: str) -> re.Match | None:
        """Match of a comment header (either kind) on the stripped ``line``, or None."""
        if len(line) > self.rule_max_line_chars:
            return None
        for rx in (self.header, self.offline_header):
            if rx is not None:
                m = rx.match(line)
                if m:
                    return m
        return None


def _rules_from_file(path: Path) -> "RoleRules":
    """The rules of the file at ``path``; a file without a ``kicker:`` section (a study made before
    the section existed) takes the packaged one's, with a warning naming the file and the fix."""
    data = read_yaml(path, what="role rules file")
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: role rules must be a YAML mapping. Fix: start from a copy of the packaged "
                           f"lexicons/roles.yaml, which documents the format.")
    packaged_path = packaged("roles.yaml")
    if "kicker" not in data and Path(path).resolve() != Path(packaged_path).resolve():
        default = read_yaml(packaged_path, what="role rules file").get("kicker")
        data = {**data, "kicker": default}
        warnings.warn(f"{path}: no 'kicker:' section (the words that tell a section label from a short "
                      f"headline); the packaged lexicons/roles.yaml's is used. Fix: copy the kicker: section "
                      f"from the packaged roles.yaml ({packaged_path}) into this file.", UserWarning, stacklevel=2)
    return RoleRules(data, source=str(path))


def _known(mapping: dict, allowed: tuple, where: str, what: str) -> None:
    """Refuse a key of ``mapping`` not in ``allowed``: a misspelt setting would silently keep its default."""
    for key in mapping:
        if key not in allowed:
            raise LexiconError(f"{where}: unknown key {key!r}{did_you_mean(key, allowed)}; {what} takes "
                               f"{', '.join(allowed)}.{_ROLES_FIX}")


#: an example list for each word list of ``kicker:`` (in error messages)
_WORD_EXAMPLES = {"labels": "[news, world]", "clause_words": "[is, to, as, says]"}


def _word_set(section: dict, key: str, source: str) -> frozenset[str]:
    """The words listed under ``kicker.<key>``, casefolded (empty when absent); anything but a list of
    single words is refused.

    >>> sorted(_word_set({"labels": ["News", "Q&A"]}, "labels", "roles.yaml"))
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: roles.yaml: kicker.labels: 'Q&A' is not one word (a line's words are \
compared one by one). Fix: list single words, e.g. `labels: [news, world]`.
    >>> _word_set({"clause_words": ["to be"]}, "clause_words", "roles.yaml")
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: roles.yaml: kicker.clause_words: 'to be' is not one word (a line's words are \
compared one by one). Fix: list single words, e.g. `clause_words: [is, to, as, says]`.
    >>> sorted(_word_set({"labels": ["News", "isn’t"]}, "labels", "roles.yaml"))
    ["isn't", 'news']
    """
    where = f"{source}: kicker.{key}"
    value = section.get(key)
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise LexiconError(f"{where} must be a list of words (`{key}: {_WORD_EXAMPLES.get(key, '[news, world]')}`), "
                           f"not {value!r}.{_ROLES_FIX}")
    out = set()
    for item in value:
        if not isinstance(item, str) or word_count(item) != 1 or len(item.split()) != 1:
            raise LexiconError(f"{where}: {item!r} is not one word (a line's words are compared one by one). "
                               f"Fix: list single words, e.g. `{key}: {_WORD_EXAMPLES.get(key, '[news, world]')}`.")
        out.add(normalise_token(item.strip()))
    return frozenset(out)


def _section(data: dict, key: str, source: str) -> dict:
    """The mapping under ``key`` (empty when absent); anything else is refused."""
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise LexiconError(f"{source}: {key!r} must be a mapping (`{key}:` then indented `name: value` lines)."
                           f"{_ROLES_FIX}")
    return value
