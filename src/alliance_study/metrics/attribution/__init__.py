"""Who is quoted, and how: one row per attribution (speaker + reporting cue + quote).

:func:`attributions` reads a :class:`~alliance_study.corpus.Corpus` (or any sentence
table) and finds reported speech with general, data-driven patterns.  Nothing here
knows a name: reporting verbs, role nouns and word lists come from
``lexicons/attribution.yaml`` and the people and outlets from ``lexicons/actors.csv``;
both can be replaced (``speech=PATH``, ``actors=PATH``).

Steps, one module each: :mod:`.rules` (the compiled YAML; word lists matched by
:mod:`.wordlists`), :mod:`.actors` (the actor table), :mod:`.describe` (what each
article says of the names it holds), :mod:`.cues` (which matches of a cue form are
cues), :mod:`.candidates` (the cues of a sentence), :mod:`.phrases` and
:mod:`.bounds` (the speaker phrase each points to; a coordination of subjects in
:mod:`.coordination`), :mod:`.speakers` (phrase ->
speaker; the words of names in :mod:`.names`, what the text says of a person's
gender in :mod:`.gender`), :mod:`.quotes` (quotation spans and reported clauses), :mod:`.rows` (the
output rows).
Validation against PolNeAR: :mod:`alliance_study.validity.attribution`.

Patterns (``pattern`` column)
-----------------------------
``subject_verb``
    a speaker phrase right before a reporting verb: "Cui said", "X said that ...",
    "..., X said.", "the ministry announced", "Putin recently stated", also with an
    appositive (up to three comma-separated parts): "X, a professor at Y University,
    told Reuters that ...", "X, 39, a teacher, said", or a name after a role phrase
    ("Her lawyer, Tom Green, said", "The labour minister, Ruth Okafor, said": the
    name speaks, also when the role phrase is an actor table's role noun); a
    relative pronoun as the mention ("officials who say ...", resolution
    ``relative``); an unnamed noun phrase ("the board said", "company executives
    say", resolution ``phrase``); a bare quantifier ("Some say": ``anonymous``);
``verb_subject``
    after a quote, a comma or a dash the speaker may follow the verb: "..., said X,
    a ...", "..." stated Xi Jinping", "..., reported agency TASS", "- said the minister",
    "..., said the board." (also after two apostrophes used as a quote mark, '');
    without a quotation mark before the cue, not a phrase that a reported clause
    goes on after ("..., said the government would ...": the clause's subject);
``participle``
    ", saying/telling/adding ..." takes the subject that opens the sentence ("Roe left,
    saying ..." -> Roe; a quotation that opens it is passed over: '"No comment," he
    said, adding that "the matter is closed."' -> he) and the quote nearest to the
    participle (the second one there); "adding" reports only before "that", a
    quotation mark or a colon ("adding to the pressure" is no cue); after a cue of
    the same statement it makes no row of its own: that row takes what the
    participle reports ("Unions criticised the plan, saying it was unfair." -> one
    "criticized" row, content "it was unfair");
``coordinated``
    a cue after "and" takes the subject that opens the sentence ("Roe met the
    families and said ..." -> Roe);
``speaker_after``
    cues whose speaker follows them: "according to X", "was expressed by X";
``colon``
    "SPEAKER: what was said" opening a headline ("Minister: talks will go on") or,
    in body text, a transcript's name in capitals ("WALLACE: ...") or a name before
    a quotation ('Bush: "The mission is ..."'); the cue is the colon, the verb
    ``colon_verb`` of the rules (``said``); section labels ("The Latest:",
    "Contributing:"), topics before a question word ("Brexit: what happens next")
    and tallies ("Clinton: 547.") are no speakers;
``dash_block``
    a line that opens with a dash, holds a cue and no quotation marks attributes
    the paragraph before it ("<quoted paragraph>" / "- said the Russian president.");
    the row is attached to the first sentence of that paragraph;
``continued``
    a sentence that is one quotation and nothing else, right after a sentence
    whose direct quote has one speaker ('"We have no choice," said Roe. "They
    stopped calling."'), or the second part of a quote that its cue splits
    ('"No comment," he said, "the matter is closed."': a quote no cue holds, right
    after the speaker and cue of the quote before them, only punctuation
    between): that speaker, verb and cue again (``cue_sent_id`` the cue's
    sentence); no speaker mention (``speaker_start`` ``<NA>``); a chain of such
    sentences continues the same speaker;
``reader_comment``
    every sentence of role ``reader_comment`` is attributed to the comment's author
    (from ``Corpus.segments`` or an ``author`` column), ``speaker_type`` ``reader``.

Speaker resolution (``resolution`` column)
------------------------------------------
``table``  the phrase holds a variant or role noun of the actor table ("Russian
           President Vladimir Putin", "the Russian president" -> Vladimir Putin);
``surname`` first or last word of a name seen in full earlier in the same article
           ("Cui said" after "Cui Heng, ..."), or its first and last words without a
           middle name or particle ("Jo Roe" after "Jo Ann Roe") -- table actors and
           new names alike;
``pronoun`` he/she/they: the most recent person in the same article, i.e. the
           latest of (a) named speakers found so far and (b) person mentions (of
           the actor table, described by the text, or after an honorific) before
           the pronoun -- where that is safe (:meth:`.speakers.ArticleState.antecedent`):
           he/she goes to a person named in its own sentence, else in the one
           before, and not to one whose gender the text gives otherwise ("Mr",
           "Ms", "Olaf Berg met his counterpart": :mod:`.gender`; no names list); after
           two or more people nothing tells apart it stays unresolved (a name the
           text gives no title counts among them: "Minister Karl Ober met Sophie
           Marchand. She said", "Sophie Marchand met Minister Karl Ober. She said"
           are unresolved);
           "it": the latest organisation;
``anaphora`` a bare definite role noun ("the expert", "the minister") with no name:
           the most recent named speaker of that role noun's type in the article
           (an organisation noun only an organisation of that noun: "the ministry"
           after "the Foreign Ministry");
``name``   a capitalised name not in the table ("Jane Doe"); titles and honorifics are
           stripped ("State Councilor Shi Yinhong" -> "Shi Yinhong", "Mr Smith" ->
           "Smith", "Sir Keir Starmer" -> "Keir Starmer"), an affiliation after
           "of" too ("Jane Doe of Acme Logistics" -> "Jane Doe", typed by the
           organisation's words when the text gives nothing else); the type comes from
           the first role noun of the appositive/phrase (professor -> expert), else
           from words of the name (Post, Times -> media), else from what the article
           says of the name or its surname elsewhere ("Republican nominee Jane Roe",
           "Roe, a senator", "Roe (D-Ohio)": see :mod:`.describe`), else ``unknown``;
``possessive`` "its/their" + a role noun ("Its spokesperson stressed"): that role
           of the latest organisation in the article ("Chinese Defense Ministry
           spokesperson"), type of the role noun, ``named`` False;
``role``   an unnamed role phrase ("a spokesman", "officials"): type of the role
           noun, plural -> ``anonymous`` (for the types in ``plural_anonymous_types``);
           ``named`` is False; the speaker is the phrase without its determiner, a
           sentence-initial capital lowered but a name's kept ("Mr. Smith’s lawyer");
``relative`` "who" after a phrase ("Roe, who said"): the speaker of that phrase;
           the mention (speaker span) is the pronoun itself;
``phrase`` an unnamed noun phrase that holds no role noun of a person ("the board",
           "the poll"): type from a role noun in it (documents, polls, groups ->
           ``other``), else ``unknown``; ``named`` is False.
``coordination`` subjects joined by "and" before the verb ("Officials and companies
           said", "..., officials, lawyers and companies said.", "the minister and
           her deputy said", "Greenpeace and fishermen said", "Residents and people
           nearby said": ``plural_suffixes``, ``post_heads``): the group speaks (speaker "officials and companies",
           the mention the whole coordination, after a clause the reported clause
           the text before the comma); each part is resolved as above and the type
           is the one the typed parts share, else ``coordination_mixed_type`` of
           the rules (``other``), ``unknown`` when no part has one; ``named`` when
           every part is.  A coordination of clauses ("The firm cut jobs and unions
           said") is none: :mod:`.coordination`.
Unresolved pronouns give speaker = the pronoun and type ``unknown``.

Speaker types
-------------
official, expert, media, anonymous (unnamed sources and groups of officials,
experts or media; "some say"), other (people and bodies outside those: voters,
companies, documents and polls), reader (reader comments), unknown (the text gives
nothing: a name never described in the article, an unresolved pronoun).

Quotes and offsets
------------------
``direct`` is True when quotation marks (straight or curly double quotes, ``''``,
or curly single quotes as British outlets write them: "‘We will not back down,’
the union leader said.") stand in the sentence outside the cue, and for dash
blocks and reader comments.  A curly ’ is also the apostrophe ("Lopez’s",
"don’t", "the ’90s"): :func:`.quotes.single_quotes` says which single marks
delimit a quote; double quotes take precedence (single marks inside them are a
quote within the quote); straight single quotes (') are never quotation marks.  ``quote`` is
the quoted text without the marks; for indirect speech it is the reported clause
(the text after "that"/after the cue, or before ", X said" and ", said X"), possibly empty.
``quote_start``/``quote_end`` are character offsets **relative to the start of the
sentence** ``sent_id``; a quote that runs over several sentences (quote opened in
one sentence and closed in a later one, or a dash block) is attached to the
sentence where it begins and ``quote_end`` may exceed that sentence's length.
With a ``Corpus`` (or a ``start`` column) adding the sentence ``start`` gives the
offset in the article text; for multi-sentence quotes without a ``Corpus`` the
quote text is the sentences joined with one space.  ``cue_sent_id`` is the
sentence of the cue.  Reporting verbs inside quotation marks are ignored.

Article offsets (:data:`OFFSET_COLUMNS`, nullable ``Int64``) are character offsets
into ``Corpus.text(article_id)`` (end exclusive):
``speaker_start``/``speaker_end`` the mention that names or refers to the speaker
("Jane Doe", "he", "the spokesman", "who") even when it is resolved to a name;
``cue_start``/``cue_end`` the reporting cue; ``content_start``/``content_end`` the
quote or reported clause (``quote``).  They are ``<NA>`` where the span does not
exist: speaker and cue of reader comments (the author stands outside the text),
the speaker of ``continued`` rows (their cue is the earlier one they continue),
content when the reported clause is empty.  Without a ``Corpus`` they count in
the sentence ``start`` column, or, without one, in the sentences joined with
one character between them.

Example
-------
>>> import pandas as pd
>>> s = pd.DataFrame({"article_id": ["a", "a"], "sent_id": [0, 1], "text": [
...     "Jane Doe, a professor at Example University, told Reuters that talks failed.",
...     '"We will see," she said.']})
>>> a = attributions(s)
>>> a[["speaker", "speaker_type", "verb", "direct", "via"]].values.tolist()
[['Jane Doe', 'expert', 'told', False, 'Reuters'], ['Jane Doe', 'expert', 'said', True, '']]
>>> text = " ".join(s["text"])           # a sentence table: offsets in the joined sentences
>>> [text[r.speaker_start:r.speaker_end] for r in a.itertuples()]
['Jane Doe', 'she']
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...errors import InputError
from .actors import ActorTable, Speaker, load_actors
from .candidates import CueFinder
from .model import Sentence
from .quotes import quote_spans, single_quotes
from .rows import continued_row, found_row, reader_row, split_rows
from .rules import Cue, RoleType, SpeechRules, load_speech_rules
from .describe import describe_people
from .gender import gender_evidence, untitled_people
from .speakers import ArticleState

__all__ = ["attributions", "ActorTable", "SpeechRules", "Speaker", "Cue", "RoleType", "load_actors",
           "load_speech_rules", "COLUMNS", "OFFSET_COLUMNS"]

#: columns of the table :func:`attributions` returns, in order
COLUMNS = ["article_id", "sent_id", "role", "speaker", "speaker_type", "named", "verb", "direct",
           "quote", "quote_start", "quote_end", "cue", "via", "country", "speaker_text",
           "resolution", "pattern", "cue_sent_id", "cue_start", "cue_end", "speaker_start", "speaker_end",
           "content_start", "content_end"]
#: the article-level character offsets among :data:`COLUMNS` (nullable ``Int64``)
OFFSET_COLUMNS = ["speaker_start", "speaker_end", "cue_start", "cue_end", "content_start", "content_end"]


def _as_tables(corpus_or_sentences):
    """(sentences, segments or None, text_of(article_id) or None)."""
    if isinstance(corpus_or_sentences, pd.DataFrame):
        s = corpus_or_sentences
        need = [c for c in ("article_id", "sent_id", "text") if c not in s.columns]
        if need:
            raise InputError(f"sentence table lacks column(s) {need}; attributions() needs "
                             "article_id, sent_id, text (optionally role, start, seg_id, author). "
                             "Fix: add the columns, or pass a Corpus from load_corpus.")
        return s, None, None
    sents = getattr(corpus_or_sentences, "sentences", None)
    if not isinstance(sents, pd.DataFrame):
        raise InputError("attributions() takes a Corpus (from load_corpus) or a sentence DataFrame, "
                         f"not {type(corpus_or_sentences).__name__}. Fix: pass load_corpus(folder).")
    segs = getattr(corpus_or_sentences, "segments", None)
    return sents, segs, getattr(corpus_or_sentences, "text", None)


def attributions(corpus_or_sentences: Any, actors: Any = None, speech: Any = None) -> pd.DataFrame:
    """Attributed speech: one row per (speaker, reporting cue) found in the corpus.

    Parameters
    ----------
    corpus_or_sentences : Corpus or pandas.DataFrame
        A :class:`~alliance_study.corpus.Corpus` (its ``sentences``; its ``segments``
        give reader-comment authors; its texts give exact multi-sentence quotes) or
        a sentence table with ``article_id, sent_id, text`` and optionally ``role``,
        ``start``, ``seg_id`` and ``author``.
    actors : path, DataFrame or ActorTable, optional
        Actor table; default the packaged ``lexicons/actors.csv`` (empty: speakers are
        typed from what the text says of them).
    speech : path, dict or SpeechRules, optional
        Attribution rules; default the packaged ``lexicons/attribution.yaml``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``article_id, sent_id, role, speaker, speaker_type,
        named, verb, direct, quote, quote_start, quote_end, cue, via, country,
        speaker_text, resolution, pattern, cue_sent_id, cue_start, cue_end,
        speaker_start, speaker_end, content_start, content_end``.  ``speaker_type``
        is one of official, expert, media, anonymous, reader, other, unknown.
        ``quote_start``/``quote_end`` are relative to the sentence ``sent_id``; the
        :data:`OFFSET_COLUMNS` are offsets in the article text, ``<NA>`` where the
        span does not exist (see the module docstring).  Rows are in corpus order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article_id": [1], "sent_id": [0],
    ...     "text": ['"Talks went well," said Ruth Okafor, the labour minister, according to officials.']})
    >>> attributions(s)[["speaker", "speaker_type", "direct", "quote"]].values.tolist()
    [['Ruth Okafor', 'official', True, 'Talks went well,'], ['officials', 'anonymous', True, 'Talks went well,']]

    With an actor table (a study's ``lexicons/actors.csv``), variants and role nouns
    resolve to one canonical speaker:

    >>> actors = pd.DataFrame({"name": ["Ruth Okafor"], "variants": ["Ruth Okafor;Okafor"],
    ...     "role_nouns": ["the labour minister"], "speaker_type": ["official"]})
    >>> s = pd.DataFrame({"article_id": [1], "sent_id": [0], "text": ["Wages will rise, the labour minister said."]})
    >>> attributions(s, actors=actors)[["speaker", "speaker_type", "direct"]].values.tolist()
    [['Ruth Okafor', 'official', False]]
    """
    table = load_actors(actors)
    rules = load_speech_rules(speech)
    finder = CueFinder(table, rules)
    sents, segs, text_of = _as_tables(corpus_or_sentences)
    if sents.empty:
        return pd.DataFrame(columns=COLUMNS)
    authors: dict = {}
    if segs is not None and "author" in segs.columns and "seg_id" in segs.columns:
        for a, g, au in zip(segs["article_id"], segs["seg_id"], segs["author"]):
            if isinstance(au, str) and au.strip():
                authors[(a, g)] = au.strip()
    has = set(sents.columns)
    rows: list[dict] = []
    order = sents.reset_index(drop=True)
    key = ["start"] if "start" in has else ["sent_id"]
    order = order.assign(_a=pd.factorize(order["article_id"])[0]).sort_values(["_a"] + key, kind="stable")
    cols = [c for c in ("article_id", "sent_id", "seg_id", "role", "start", "text", "author") if c in has]
    records = order[cols].to_dict("records")          # one conversion for the whole table
    codes = order["_a"].to_numpy()
    lo = 0
    for hi in range(1, len(records) + 1):
        if hi == len(records) or codes[hi] != codes[lo]:
            rows.extend(_article(finder, records[lo:hi], has, authors, text_of))
            lo = hi
    df = pd.DataFrame.from_records(rows, columns=COLUMNS)
    for col in ["quote_start", "quote_end"] + OFFSET_COLUMNS:
        df[col] = df[col].astype("Int64")
    df["direct"] = df["direct"].astype(bool)
    df["named"] = df["named"].astype(bool)
    return df


def _sentences(g: list[dict], has: set, table: ActorTable) -> list[Sentence]:
    sents: list[Sentence] = []
    pos = 0
    written = [rec["text"] if isinstance(rec["text"], str) else "" for rec in g]
    for i, (rec, source, text) in enumerate(zip(g, written, single_quotes(written))):
        start = int(rec["start"]) if "start" in has and rec["start"] == rec["start"] else pos
        pos = start + len(text) + 1
        quotes, marks = quote_spans(text)
        sents.append(Sentence(i, rec["article_id"], rec["sent_id"], rec.get("seg_id"), str(rec.get("role") or "body"),
                              text, start, None, quotes, marks,     # tokens: made when needed
                              table.mentions(text), source=source if source != text else None))
    return sents


def _article(finder: CueFinder, g: list[dict], has: set, authors: dict, text_of) -> list[dict]:
    rules, table = finder.r, finder.a
    sents = _sentences(g, has, table)
    # surnames of table persons named in full somewhere in this article
    full = set()
    for s in sents:
        for mn in s.mentions:
            surface = s.text[mn.start:mn.end]
            if " " in surface and surface in table.full_variants.get(mn.speaker.name, ()):
                full.add(mn.speaker.name)
    art = ArticleState({w: table.actors[n] for w, n in table.surnames(full).items()}, finder.speakers)
    art.types, people = describe_people(sents, finder.speakers)
    for i, found in people.items():
        sents[i].people = found
    art.genders, titled = gender_evidence(sents, finder.speakers)   # "Ms. Lund": a person, a woman
    for i, found in titled.items():
        sents[i].people = sorted(sents[i].people + found, key=lambda mn: mn.start)
    for i, found in untitled_people(sents, finder.speakers).items():   # candidates of he/she only
        sents[i].people = sorted(sents[i].people + found, key=lambda mn: mn.start)
    aid = sents[0].article_id if sents else None
    full_text = None
    if text_of is not None:
        try:
            full_text = text_of(aid)
        except Exception:  # noqa: BLE001 - a sentence table from elsewhere: fall back to joining
            full_text = None
    out: list[dict] = []
    cont: dict | None = None      # the direct quote the next sentence may continue
    for s in sents:
        if s.role in rules.skip_roles:
            cont = None
            continue
        if s.role == rules.reader_role:
            cont = None
            row = reader_row(s, g, has, authors, rules)
            if row is not None:
                out.append(row)
            continue
        # a headline is a title; other sentences are judged by their words when it matters
        hits = finder.sentence(s, art, True if s.role == "headline" else None)
        rows = [row for row in (found_row(f, s, sents, full_text, rules, art) for f in hits) if row is not None]
        rows = split_rows(rows, s, sents, full_text)
        out.extend(rows)
        if hits:
            direct = [row for row in rows if row["direct"] and row["pattern"] != "dash_block"]
            cont = direct[-1] if direct and len({row["speaker"] for row in direct}) == 1 else None
        elif cont is not None:
            cont, row = continued_row(cont, s, sents, full_text)
            if row is not None:
                out.append(row)
    return out
