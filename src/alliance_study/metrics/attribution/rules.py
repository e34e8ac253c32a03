"""The speech rules: ``lexicons/attribution.yaml`` compiled into :class:`SpeechRules`.

Every English word the attribution finder uses lives in that file (reporting
verbs, cues whose speaker follows them, role nouns, pronouns, determiners, stop
words, ...); this module only compiles them into lookups and regexes.

>>> r = load_speech_rules()
>>> r.cue("told"), r.role_type("spokesmen")
(Cue(label='told', kind='before', recipient=True), RoleType(speaker_type='official', plural=True))
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from ...errors import LexiconError, did_you_mean
from ...resources import cached, read_yaml, resolve
from .wordlists import Hit, WordList, alt_regex

#: an auxiliary contracted onto a pronoun: "he's", "they’ve", "she'd", "they'll"
_CONTRACTION = re.compile(r"['’](?:s|d|ll|ve|re)$")

__all__ = ["Cue", "RoleType", "SpeechRules", "load_speech_rules", "WordList", "Hit", "alt_regex"]


class Cue(NamedTuple):
    """What a reporting cue's surface form means."""

    label: str       #: canonical label reported in the ``verb`` column
    kind: str        #: ``"before"`` (speaker before or right after the verb) or ``"after"`` (speaker follows)
    recipient: bool  #: the verb's object is the outlet spoken to ("told Reuters")


class RoleType(NamedTuple):
    """The speaker type a role noun gives, and whether the noun is plural."""

    speaker_type: str
    plural: bool


def _plurals(noun: str) -> list[str]:
    words = noun.split()
    last = words[-1]
    if last.endswith("man"):
        pl = [last[:-3] + "men"]
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        pl = [last[:-1] + "ies"]
    elif last.endswith(("s", "sh", "ch", "x")):
        pl = [last + "es"]
    else:
        pl = [last + "s"]
    return [" ".join(words[:-1] + [p]) for p in pl]


#: the shape of every key of an attribution rules file (anything else is refused as a typo)
_CUE_MAPS = ("speech_verbs", "speaker_after")                    # label: [form, ...] or {forms: [...], recipient: }
_TYPE_MAPS = ("role_nouns", "name_words", "name_tags", "genders")  # speaker type (gender): [word or pattern, ...]
_WORD_MAPS = ("pronouns",)                                       # word: kind
_TEXTS = ("name", "description", "reader_role", "reader_verb", "colon_verb",  # one string
          "coordination_mixed_type")
_FREE = ("sources", "version")                                   # read by people, not by the finder
_LISTS = ("organization_nouns", "determiners", "definite", "between_subject_and_verb", "stop_words", "not_names",
          "name_particles", "name_prefixes", "after_phrase_stops", "verb_after_phrase_stops", "skip_roles", "dash_marks", "articles", "possessives",
          "head_prepositions", "affiliation_prepositions", "affiliation_not_before", "tail_words",
          "complementizers", "title_types", "relative_pronouns", "appositive_openers", "not_heads", "post_heads",
          "not_head_suffixes", "participle_suffixes", "plural_anonymous_types", "plural_suffixes", "noun_forms",
          "noun_form_objects", "quote_only", "quantifier_speakers", "not_cues", "possessive_determiners",
          "np_prepositions", "np_adjective_prepositions", "coordinators", "anonymity_markers", "clause_noun_forms",
          "noun_form_not_before", "not_before_number", "object_verbs", "no_content_objects", "auxiliaries",
          "adjective_suffixes", "colon_not_speakers", "colon_not_before", "nested_cues",
          "naming_forms", "naming_not_after", "naming_not_before", "honorifics", "source_documents",
          "document_prepositions", "clause_cues", "content_subjects", "place_prepositions", "place_words",
          "holder_participles")
RULE_KEYS = _CUE_MAPS + _TYPE_MAPS + _WORD_MAPS + _TEXTS + _FREE + _LISTS
_RULES_FIX = "the packaged lexicons/attribution.yaml shows every key"


def _word(value: Any) -> bool:
    """A list item the rules can use: a string or a number (not a list, a mapping, null or true/false)."""
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _check_rules(data: dict, source: str) -> None:
    """Refuse an unknown key or a value of the wrong shape, naming the file, the key and the shape expected.

    >>> _check_rules({"speech_verbs": {"said": ["said"]}, "stop_words": 5}, "a.yaml")
    Traceback (most recent call last):
    alliance_study.errors.LexiconError: a.yaml: stop_words must be a list of words, not 5. Fix: write it as \
`stop_words: [word, word, ...]` (the packaged lexicons/attribution.yaml shows every key).
    """
    for key, value in data.items():
        if key not in RULE_KEYS:
            raise LexiconError(f"{source}: unknown key {key!r}{did_you_mean(key, RULE_KEYS)}. "
                               f"Fix: correct or delete it ({_RULES_FIX}).")
        if value is None or key in _FREE:
            continue
        if key in _LISTS:
            if not isinstance(value, list) or not all(_word(w) for w in value):
                raise LexiconError(f"{source}: {key} must be a list of words, not {value!r}. Fix: write it as "
                                   f"`{key}: [word, word, ...]` ({_RULES_FIX}).")
        elif key in _TEXTS:
            if not isinstance(value, str):
                raise LexiconError(f"{source}: {key} must be one word or text, not {value!r}. Fix: write it as "
                                   f"`{key}: text` ({_RULES_FIX}).")
        elif not isinstance(value, dict):
            shape = {"pronouns": "pronoun: kind", "speech_verbs": "label: [form, form, ...]",
                     "speaker_after": "label: [form, form, ...]",
                     "genders": "gender: [word, word, ...]"}.get(key, "speaker_type: [word, word, ...]")
            raise LexiconError(f"{source}: {key} must be a mapping (`{shape}` lines), not {value!r}. Fix: "
                               f"write it as `{key}:` then indented `{shape}` lines ({_RULES_FIX}).")
        elif key in _WORD_MAPS:
            bad = [k for k, v in value.items() if not _word(v)]
            if bad:
                raise LexiconError(f"{source}: {key}.{bad[0]} must be one word (the kind it refers to, e.g. "
                                   f"person), not {value[bad[0]]!r}. Fix: write `{bad[0]}: person` ({_RULES_FIX}).")
        elif key in _TYPE_MAPS:
            for label, words in value.items():
                if words is not None and (not isinstance(words, list) or not all(_word(w) for w in words)):
                    raise LexiconError(f"{source}: {key}.{label} must be a list of words, not {words!r}. Fix: "
                                       f"write it as `{label}: [word, word, ...]` ({_RULES_FIX}).")
        else:  # _CUE_MAPS
            for label, body in value.items():
                where = f"{source}: {key}.{label}"
                if isinstance(body, dict):
                    extra = [k for k in body if k not in ("forms", "recipient")]
                    if extra:
                        raise LexiconError(f"{where}: unknown key {extra[0]!r}; a cue takes forms and recipient. "
                                           f"Fix: write it as `{label}: {{forms: [form, ...], recipient: true}}`.")
                    if not isinstance(body.get("recipient", False), bool):
                        raise LexiconError(f"{where}: recipient must be true or false, not {body['recipient']!r}. "
                                           f"Fix: write recipient: true or recipient: false.")
                    body = body.get("forms")
                if not isinstance(body, list) or not body or not all(_word(w) for w in body):
                    raise LexiconError(f"{where} needs a list of surface forms. "
                                       f"Fix: write it as `{label}: [form, form, ...]`.")


class SpeechRules:
    """Compiled ``attribution.yaml``: reporting cues, role nouns, word lists.

    Keys missing from a rules file or dict are empty (a study's own file is the
    whole rule set); see the packaged file for what each key means.

    >>> r = SpeechRules({"speech_verbs": {"said": ["said", "says"]}, "role_nouns": {"expert": ["analyst"]}})
    >>> r.cue("Says").label, r.role_type("analysts").plural
    ('said', True)
    """

    def __init__(self, data: dict, source: str = "<dict>"):
        if not isinstance(data, dict) or not data.get("speech_verbs"):
            raise LexiconError(f"{source}: an attribution rules file needs a 'speech_verbs' mapping (none or empty). "
                               "Fix: start from the packaged lexicons/attribution.yaml.")
        _check_rules(data, source)
        self.source = source
        self._cues: dict[str, Cue] = {}
        for kind, key in (("before", "speech_verbs"), ("after", "speaker_after")):
            for label, body in (data.get(key) or {}).items():
                recipient = False
                if isinstance(body, dict):
                    recipient = bool(body.get("recipient", False))
                    body = body.get("forms")
                if not isinstance(body, list) or not body:
                    raise LexiconError(f"{source}: {key}.{label} needs a list of surface forms. "
                                       f"Fix: write it as `{label}: [form, form, ...]`.")
                for form in body:
                    self._cues[" ".join(str(form).lower().split())] = Cue(str(label), kind, recipient)
        self.cue_regex = WordList(self._cues)
        self._roles: dict[str, RoleType] = {}
        for stype, nouns in (data.get("role_nouns") or {}).items():
            for n in nouns or []:
                n = " ".join(str(n).lower().split())
                self._roles.setdefault(n, RoleType(str(stype), False))
                for p in _plurals(n):
                    self._roles.setdefault(p, RoleType(str(stype), True))
        self.role_regex = WordList(self._roles)
        self.role_words = frozenset(w for n in self._roles for w in n.split())
        self.name_words: dict[str, str] = {}
        for stype, words in (data.get("name_words") or {}).items():
            for w in words or []:
                self.name_words.setdefault(str(w), str(stype))

        def low(key):
            return frozenset(str(w).lower() for w in (data.get(key) or []))

        def exact(key):
            return frozenset(str(w) for w in (data.get(key) or []))

        self.pronouns = {str(k).lower(): str(v) for k, v in (data.get("pronouns") or {}).items()}
        #: word (lower case) -> the gender it gives the person it refers to ("his" -> male)
        self.genders = {str(w).lower(): str(g) for g, words in (data.get("genders") or {}).items()
                        for w in words or []}
        self.determiners = low("determiners")
        self.definite = low("definite")
        self.articles = low("articles")
        self.possessives = low("possessives")
        self.between = low("between_subject_and_verb")
        self.stop_words = low("stop_words")
        self.not_names = exact("not_names")
        self.particles = low("name_particles")
        self.name_prefixes = low("name_prefixes")
        self.honorifics = low("honorifics")
        self.after_stops = low("after_phrase_stops")
        self.verb_after_stops = self.after_stops | low("verb_after_phrase_stops")
        self.head_prepositions = low("head_prepositions")
        self.affiliation_prepositions = low("affiliation_prepositions")
        self.affiliation_not_before = exact("affiliation_not_before")
        self.tail_words = low("tail_words")
        self.complementizers = low("complementizers")
        self.title_types = low("title_types")
        self.relatives = low("relative_pronouns")
        self.not_heads = low("not_heads")
        self.post_heads = low("post_heads")
        self.not_head_suffixes = tuple(str(w).lower() for w in (data.get("not_head_suffixes") or []))
        self.participle_suffixes = tuple(str(w).lower() for w in (data.get("participle_suffixes") or []))
        self.appositive_openers = low("appositive_openers")
        self.plural_anonymous = low("plural_anonymous_types")
        self.plural_suffixes = tuple(str(w).lower() for w in (data.get("plural_suffixes") or []))
        self.noun_forms = low("noun_forms")
        self.noun_form_objects = low("noun_form_objects")
        self.organization_nouns = low("organization_nouns")
        self.quote_only = low("quote_only")
        self.not_cue_regex = WordList(low("not_cues"))
        self.possessive_determiners = low("possessive_determiners")
        self.np_prepositions = low("np_prepositions")
        self.np_adjective_prepositions = frozenset(" ".join(w.split()) for w in low("np_adjective_prepositions"))
        self.coordinators = low("coordinators")
        self.anonymity_regex = WordList(low("anonymity_markers"))
        self.source_documents = frozenset(" ".join(w.split()) for w in low("source_documents"))
        self.document_prepositions = low("document_prepositions")
        self.clause_noun_forms = low("clause_noun_forms")
        self.clause_cues = low("clause_cues")
        self.content_subjects = low("content_subjects")
        self.place_prepositions = low("place_prepositions")
        self.place_words = low("place_words")
        self.holder_participles = low("holder_participles")
        self.noun_form_not_before = low("noun_form_not_before")
        self.not_before_number = low("not_before_number")
        self.object_verbs = low("object_verbs")
        self.no_content_objects = low("no_content_objects")
        self.no_content_regex = WordList(self.no_content_objects)
        self.auxiliaries = low("auxiliaries")
        self.adjective_suffixes = tuple(str(w).lower() for w in (data.get("adjective_suffixes") or []))
        self.quantifiers = low("quantifier_speakers")
        self.name_tags: list[tuple[str, re.Pattern]] = []
        for stype, patterns in (data.get("name_tags") or {}).items():
            for pat in patterns or []:
                try:
                    self.name_tags.append((str(stype), re.compile(str(pat))))
                except re.error as exc:
                    raise LexiconError(f"{source}: name_tags.{stype}: {pat!r} is not a valid regex ({exc}). "
                                       "Fix: correct the pattern.") from None
        self.skip_roles = exact("skip_roles")
        self.reader_role = str(data.get("reader_role") or "reader_comment")
        self.reader_verb = str(data.get("reader_verb") or "commented")
        self.colon_verb = str(data.get("colon_verb") or "")
        #: the type of a coordinated speaker whose parts have different known types ("officials and companies")
        self.coordination_mixed_type = str(data.get("coordination_mixed_type") or "other").strip().lower()
        known = {str(t).lower() for t in (data.get("role_nouns") or {})} | {"other", "unknown"}
        if self.coordination_mixed_type not in known:
            raise LexiconError(f"{source}: coordination_mixed_type {self.coordination_mixed_type!r} is no speaker "
                               f"type of role_nouns{did_you_mean(self.coordination_mixed_type, sorted(known))}. "
                               f"Fix: write one of {', '.join(sorted(known))}.")
        self.colon_not_speakers = frozenset(" ".join(str(w).lower().split()) for w in (data.get("colon_not_speakers") or []))
        self.colon_not_before = low("colon_not_before")
        self.naming_forms = low("naming_forms")
        self.naming_not_after = low("naming_not_after")
        self.naming_not_before = low("naming_not_before")
        self.nested_cues = frozenset(" ".join(str(w).lower().split()) for w in (data.get("nested_cues") or []))
        self.dash_marks = tuple(str(d) for d in (data.get("dash_marks") or ["-", "–", "—"]))
        comp = sorted(self.complementizers, key=len, reverse=True)
        body = "|".join(re.escape(c) for c in comp) or r"(?!x)x"
        #: the start of a reported clause after its cue: ", that ...", "to reporters that ..."
        self.clause_lead = re.compile(r"\s*(?:[,:]\s*)?(?:(?:[\w'’]+\s+){0,2}?(?:" + body + r")\s+)?")

    def pronoun_kind(self, word: str) -> str | None:
        """The entity kind a pronoun refers to, also with a contraction ("He's said", "they’ve"); else None.

        >>> r = load_speech_rules()
        >>> r.pronoun_kind("He’s"), r.pronoun_kind("they've"), r.pronoun_kind("it"), r.pronoun_kind("Hess")
        ('person', 'person', 'organization', None)
        """
        low = word.lower()
        kind = self.pronouns.get(low)
        return kind if kind is not None else self.pronouns.get(_CONTRACTION.sub("", low))

    def gender(self, word: str) -> str | None:
        """The gender a pronoun, possessive or honorific gives (``genders``), also with a contraction; else None.

        >>> r = load_speech_rules()
        >>> r.gender("She’s"), r.gender("his"), r.gender("Mr"), r.gender("they"), r.gender("Dr")
        ('female', 'male', 'male', None, None)
        """
        low = word.lower().rstrip(".")
        g = self.genders.get(low)
        return g if g is not None else self.genders.get(_CONTRACTION.sub("", low))

    @property
    def cue_forms(self) -> list[str]:
        """Every surface form of a reporting cue (lower case, single spaces), as :attr:`cue_regex` matches them."""
        return list(self._cues)

    @property
    def role_nouns(self) -> list[str]:
        """Every role noun, singular and plural (lower case, single spaces), as :attr:`role_regex` matches them."""
        return list(self._roles)

    def cue(self, surface: str) -> Cue | None:
        """The :class:`Cue` of a surface form (any case and spacing), or None."""
        return self._cues.get(" ".join(surface.lower().split()))

    def role_type(self, noun: str) -> RoleType | None:
        """The :class:`RoleType` of a role noun (singular or plural), or None."""
        return self._roles.get(" ".join(noun.lower().split()))

    def first_role(self, text: str) -> RoleType | None:
        """The type of the first role noun in ``text``, or None."""
        m = self.role_regex.search(text)
        return self.role_type(m.group()) if m else None

    def head_role(self, text: str) -> RoleType | None:
        """The type of the head of a noun phrase: its last role noun before the first ``head_prepositions``
        word ("the UN refugee chief" -> chief, "a lawyer for the union" -> lawyer), else :meth:`first_role`.

        >>> r = load_speech_rules()
        >>> r.head_role("the UN refugee chief").speaker_type, r.head_role("a lawyer for the union").speaker_type
        ('official', 'expert')
        """
        words = text.split()
        cut = next((i for i, w in enumerate(words) if i and w.lower() in self.head_prepositions), len(words))
        hits = self.role_regex.finditer(" ".join(words[:cut]))
        return self.role_type(hits[-1].group()) if hits else self.first_role(text)


def _parse_rules(path: Path) -> SpeechRules:
    return SpeechRules(read_yaml(path, what="attribution rules file"), source=str(path))


def load_speech_rules(speech: Any = None) -> SpeechRules:
    """Attribution rules: packaged ``attribution.yaml`` (None), a YAML path, a dict or SpeechRules.

    Files are parsed once per version (:func:`alliance_study.resources.cached`).

    >>> load_speech_rules().cue("according to")
    Cue(label='according to', kind='after', recipient=False)
    """
    if isinstance(speech, SpeechRules):
        return speech
    if isinstance(speech, dict):
        return SpeechRules(speech)
    path = resolve(speech if speech is not None else "attribution", suffix=".yaml",
                   what="attribution rules file")
    return cached(_parse_rules, path)
