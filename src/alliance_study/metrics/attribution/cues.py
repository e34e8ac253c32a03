"""Which matches of a reporting-cue form are reporting cues.

A cue form is no cue when the words around it show another reading: a noun
("EU member states agreed", "Insurance claims rose", "in the hope that"), an
adjective or participle ("Reported income rose", headline "Deal described"), or a
verb whose object is no reported content ("said nothing about", "told the story
of", "The index added 1.2 percent").  Every word these checks use comes from the
rules (``lexicons/attribution.yaml``: ``noun_forms``, ``clause_noun_forms``,
``noun_form_objects``, ``noun_form_not_before``, ``not_before_number``,
``object_verbs``, ``no_content_objects``, ``auxiliaries``,
``adjective_suffixes``).

>>> from alliance_study.metrics.attribution import load_speech_rules
>>> from alliance_study.metrics.attribution.model import Sentence
>>> r = load_speech_rules()
>>> def cue(text, form):
...     s = Sentence(0, "a", 0, None, "body", text, 0, None, [], '"' in text, [])
...     return is_cue(r, s, text.index(form), text.index(form) + len(form))
>>> cue("Gulf states have pledged aid.", "states"), cue("The report states that aid fell.", "states")
(False, True)
>>> cue("He said nothing about the cost.", "said"), cue("He said nothing would change.", "said")
(False, True)
"""
from __future__ import annotations

from .model import Sentence
from .quotes import QUOTE_MARKS
from .rules import SpeechRules
from .speakers import is_word

__all__ = ["is_cue", "verb_reading", "reports_clause", "document_subject"]


def verb_reading(r: SpeechRules, s: Sentence, cs: int, ce: int) -> bool:
    """Whether a cue form that is also a noun (``noun_forms``: "states", "claims", "hope") is a verb here.

    A verb stands before "that", a quote mark, a colon, a ``noun_form_objects`` word
    ("hopes to") or another word that is no stop word, or (but for the
    ``clause_noun_forms``) at the end of a sentence with a comma before it ("Prices
    rose, the survey shows."); not after an article or a
    possessive ("the hope", "their claims"), nor in its -s form after a number or a
    quantifier ("five states", "some states"), nor before a ``noun_form_not_before``
    word or a cue form that is no ``clause_noun_forms`` word ("claims have", "claims
    rose", "reports say", "reports show"; not "finds states") unless a pronoun stands before it ("who he claims has been").  The
    ``clause_noun_forms`` ("states") are verbs only before "that", a quote mark or a
    colon.
    """
    toks = s.toks
    k, kend = s.tok_index(cs), s.tok_index(ce)
    form = " ".join(s.text[cs:ce].lower().split())
    prev = toks[k - 1].text.lower() if k > 0 else ""
    if prev in r.articles or prev in r.possessive_determiners:
        return False
    if (r.plural_suffixes and form.endswith(r.plural_suffixes)
            and (prev[:1].isdigit() or (prev in r.determiners and prev not in r.definite))):
        return False
    if kend >= len(toks):
        return False
    t = toks[kend].text
    if not is_word(t):
        # "..., the survey shows.": a form that ends a sentence after a comma reports what stands before it
        return t in QUOTE_MARKS or t == ":" or (t in ".!?" and form not in r.clause_noun_forms
                                                 and any(x.text == "," for x in toks[:k]))
    low = t.lower()
    if low in r.complementizers:
        return True
    if form in r.clause_noun_forms:
        return False
    if (r.pronoun_kind(prev) is None
            and (low in r.noun_form_not_before or (r.cue(low) is not None and low not in r.clause_noun_forms))):
        return False
    return low in r.noun_form_objects or low not in r.stop_words


def _no_content(r: SpeechRules, s: Sentence, ce: int) -> bool:
    """The cue's object is no reported content: "said nothing about", "told a joke.", "said goodbye to".

    Not when a clause goes on after the object ("said nothing would change"): an
    auxiliary, "that" or a word that is no stop word follows it.
    """
    rest = s.text[ce:]
    lead = len(rest) - len(rest.lstrip())
    hit = r.no_content_regex.search(rest)
    if hit is None or hit.start() != lead:
        return False
    toks = s.toks
    j = s.tok_index(ce + hit.end())
    if j >= len(toks):
        return True
    t = toks[j].text
    if not is_word(t):
        return t not in QUOTE_MARKS and t != ":"
    low = t.lower()
    return low in r.stop_words and low not in r.auxiliaries and low not in r.complementizers


def reports_clause(r: SpeechRules, s: Sentence, cs: int, ce: int) -> bool:
    """Whether content of a clause follows a ``clause_cues`` form ("show"): see that key in the rules.

    >>> from alliance_study.metrics.attribution import load_speech_rules
    >>> from alliance_study.metrics.attribution.model import Sentence
    >>> r = load_speech_rules()
    >>> def shows(text):
    ...     s = Sentence(0, "a", 0, None, "body", text, 0, None, [], False, [])
    ...     cs = text.index("show")
    ...     return reports_clause(r, s, cs, text.index(" ", cs))
    >>> shows("Markets showed little reaction."), shows("Polls show support falling.")
    (False, True)
    >>> shows("Data showed that prices rose."), shows("Prices rose, the survey shows ."), shows("It shows a rise.")
    (True, True, False)
    >>> shows("Roe showed no emotion as the verdict was read."), shows("Tests showed the water was safe.")
    (False, True)
    """
    toks = s.toks
    k, kend = s.tok_index(cs), s.tok_index(ce)
    if kend >= len(toks):
        return False
    t = toks[kend].text
    if s.text.isupper():
        return True               # a headline in capitals: its words tell nothing
    if not is_word(t) and t not in ("$", "€", "£"):
        return t in QUOTE_MARKS or t == ":" or (t in ".!?" and any(x.text == "," for x in toks[:k]))
    if t.lower() in r.complementizers:
        return True
    for q in range(kend, min(len(toks), kend + 15)):
        w = toks[q].text
        if w[:1].isdigit() or w in ("$", "%", "€", "£"):
            return True           # a figure: "shows Roe with 47 percent"
        if not is_word(w) or not w[0].islower():
            if is_word(w):
                continue          # a name inside the clause ("polls show Roe leading")
            if w == "." and toks[q - 1].end == toks[q].start and toks[q - 1].text[:1].isupper():
                continue          # "Mrs.", "Sen."
            return False
        low = w.lower()
        if low in r.auxiliaries or low in r.noun_form_not_before or low in r.complementizers:
            return True
        if low in r.after_stops:
            return False          # "showed no emotion as the verdict was read": a clause of its own
        if r.participle_suffixes and low.endswith(r.participle_suffixes):
            return True
        if (r.adjective_suffixes and low.endswith(r.adjective_suffixes) and q + 1 < len(toks)
                and (toks[q + 1].text.lower() in r.determiners or toks[q + 1].text.lower() in r.stop_words)):
            return True
    return False


def document_subject(r: SpeechRules, s: Sentence, k: int) -> bool:
    """A ``content_subjects`` noun, singular or plural, stands among the 15 words before token ``k`` in its
    sentence ("polls show", "a video credited to Reuters showed", "polling done before the vote showed")."""
    for t in s.toks[max(0, k - 15):k]:
        low = t.text.lower()
        if low in r.content_subjects or any(low.endswith(x) and low[:-len(x)] in r.content_subjects
                                            for x in r.plural_suffixes):
            return True
    return False


def is_cue(r: SpeechRules, s: Sentence, cs: int, ce: int) -> bool:
    """Whether the cue form at ``s.text[cs:ce]`` is a reporting cue (see the module docstring).

    Also no cue: any form right after an article ("a say", "the hope"); a ``quote_only`` form in a sentence without quotation marks; a
    ``not_before_number`` form before a number ("Employers added 150,000 jobs"); an
    ``object_verbs`` form with nothing after it in a headline without quotation marks
    ("Deal described"); a form with an ``adjective_suffixes`` ending that
    opens the sentence before a lower-case word ("Reported income rose": an
    adjective, unlike "Said the minister" or "Asked about ...").
    """
    toks = s.toks
    form = " ".join(s.text[cs:ce].lower().split())
    k, kend = s.tok_index(cs), s.tok_index(ce)
    nxt = toks[kend].text if kend < len(toks) else ""
    if k > 0 and toks[k - 1].text.lower() in r.articles:      # "a say", "the hope", "the said agreement"
        return False
    if form in r.noun_forms and not verb_reading(r, s, cs, ce):
        return False
    if form in r.quote_only and not s.has_marks:
        return False
    if form in r.not_before_number and nxt[:1].isdigit():
        return False
    if (form in r.object_verbs and s.role == "headline" and not s.has_marks
            and not any(is_word(t.text) for t in toks[kend:])):
        return False
    if r.no_content_objects and _no_content(r, s, ce):
        return False
    if (r.adjective_suffixes and form.endswith(r.adjective_suffixes) and nxt and is_word(nxt) and nxt[0].islower()
            and not any(is_word(t.text) or t.text in QUOTE_MARKS for t in toks[:k])):
        low = nxt.lower()
        if not (low in r.determiners or low in r.stop_words or r.pronoun_kind(low) is not None
                or low in r.between or low in r.possessive_determiners):
            return False
    return True
