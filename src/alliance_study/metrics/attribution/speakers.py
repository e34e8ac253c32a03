"""Speaker resolution: a speaker phrase -> a :class:`~.actors.Speaker` (see the package docstring).

Resolutions: ``table``, ``surname``, ``pronoun``, ``anaphora``, ``possessive``,
``role`` and ``name``; the per-article state (:class:`ArticleState`) remembers
names, the latest person and organisation, and the named speakers so far.
"""
from __future__ import annotations

from ...text import normalise_token
from .actors import ActorTable, Speaker
from .gender import UNTITLED, Genders
from .model import Resolved, Sentence, Token
from .names import POSSESSIVE, NameWords, is_word
from .rules import SpeechRules

__all__ = ["ArticleState", "SpeakerResolver", "is_word"]


class ArticleState:
    """Per-article resolution state (surnames, last person/organisation, named speakers)."""

    def __init__(self, surnames: dict[str, Speaker], words: NameWords | None = None):
        self.words = words                   # the rules' name words (which mentions count as people)
        self.surnames = surnames             # word -> Speaker (activated table surnames + new names)
        self.names: dict[str, Speaker] = {}  # full new names -> Speaker
        self.last_person: Speaker | None = None
        self.last_org: Speaker | None = None
        self.named: list[Speaker] = []
        self.types: dict[str, str] = {}      # name or surname -> type the text gives (describe.py)
        self.genders = Genders()             # name or surname -> gender the text gives (gender.py)
        self.sentence = 0                    # index of the sentence being read (CueFinder.sentence sets it)
        self.persons: list[tuple[int, Speaker, bool]] = []   # named persons seen: sentence, speaker, counts
        self.spoke: set[tuple[int, str]] = set()              # (sentence, name) of the named speakers

    def type_of(self, name: str) -> str | None:
        """The type the article's text gives a name (or its last word), or None."""
        t = self.types.get(name)
        if t is None and " " in name:
            t = self.types.get(name.split()[-1])
        return t

    def retype(self, sp: Speaker, speaker_type: str) -> Speaker:
        """``sp`` with the type an appositive gives it, also for its later surname and full-name mentions."""
        new = Speaker(sp.name, speaker_type, sp.named, sp.entity, sp.country)
        if sp.name in self.names:
            self.names[sp.name] = new
        for w, known in self.surnames.items():
            if known is sp:
                self.surnames[w] = new
        return new

    def remember(self, sp: Speaker) -> None:
        """A named speaker was found: it becomes the latest person/organisation."""
        if not sp.named:
            return
        self.see(sp, speaker=True)
        self.named.append(sp)
        self.spoke.add((self.sentence, sp.name))

    def see(self, sp: Speaker, speaker: bool = False) -> None:
        """A mention (not necessarily a speaker) of a named person or organisation."""
        if sp.entity == UNTITLED:       # a candidate for he/she only (gender.untitled_people)
            if self.person_like(sp.name, False):
                self.genders.seen(sp.name)
                self.persons.append((self.sentence, sp, True))
        elif sp.named and sp.entity == "person":
            sp = self.names.get(sp.name) or self.surnames.get(sp.name) or sp   # "Lund" after "Anna Lund"
            self.last_person = sp
            self.genders.seen(sp.name)
            self.persons.append((self.sentence, sp, self.person_like(sp.name, speaker)))
        elif sp.named and sp.entity == "organization":
            self.last_org = sp

    def person_like(self, name: str, speaker: bool) -> bool:
        """Whether a person mention counts as a named person among the candidates of :meth:`antecedent`."""
        words = [POSSESSIVE.sub("", w) for w in name.split()]
        if len(words) < 2:
            return (speaker or name in self.genders.titled) and name[:1].isupper()
        if self.words is None:
            return True
        if len(words[-1].rstrip(".")) < 2:      # "State John F": a name cut at an initial
            return False
        r = self.words.r
        return not (any(w in r.affiliation_not_before or w.lower() in r.organization_nouns or w.lower() == "of"
                        for w in words)
                    or self.words.name_type(name) or r.role_type(words[-1]) is not None)

    def antecedent(self, gender: str | None) -> Speaker | None:
        """The person a he/she/they refers to, where the text makes it safe, else None.

        ``gender`` is the pronoun's (None for "they": the latest person).  The
        candidates are the people named so far in the pronoun's sentence, else
        those of the sentence before (a person named by a single word counts only
        as a speaker; a name with an organisation's, a name word's or a title's
        word, or "of", is no person here; "Paul Ryan" is "House Speaker Paul Ryan"),
        else the latest person; a name of two or three capitalised words without a
        title (:func:`.gender.untitled_people`) counts among the people of a sentence
        that holds one of those and no named speaker, and is the answer only as a
        person recorded before under its surname ("Minister Karl Ober met Sophie
        Marchand. She said" stays unresolved).  One candidate: it, unless the gender the text gives
        it (:mod:`.gender`) contradicts the pronoun -- then the latest person it
        fits, or None.  Two or more: the one the pronoun's gender leaves (people of
        unknown gender fit either), else None.

        >>> art = ArticleState({})
        >>> berg, lund = Speaker("Olaf Berg", "official"), Speaker("Anna Lund", "official")
        >>> art.genders.note("Olaf Berg", "male"); art.see(berg)
        >>> art.antecedent("female") is None, art.antecedent("male").name
        (True, 'Olaf Berg')
        >>> art.see(lund); art.antecedent("male") is None, art.antecedent(None).name  # both may be "he"
        (True, 'Anna Lund')
        >>> art.genders.note("Lund", "female"); art.antecedent("male").name, art.antecedent("female").name
        ('Olaf Berg', 'Anna Lund')
        >>> art.sentence = 5; art.see(Speaker("Tom Kay", "expert")); art.genders.note("Kay", "male")
        >>> art.antecedent("male").name, art.antecedent("female").name
        ('Tom Kay', 'Anna Lund')
        """
        last = self.last_person
        if last is None or gender is None:
            return last
        # the sentence's people, else the sentence before's: those with a person the finder recorded
        group = next((g for g in (self._named_in(self.sentence), self._named_in(self.sentence - 1))
                      if any(sp.entity != UNTITLED for sp in g)), [])
        if any(i >= self.sentence - 1 and (n == sp.name or n.endswith(" " + sp.name))
               for i, n in self.spoke for sp in group if sp.entity != UNTITLED):
            group = [sp for sp in group if sp.entity != UNTITLED]    # '"...," Roe said. He added': Roe
        if len(group) >= 2:
            fits = [sp for sp in group if self.genders.of(sp.name) in (None, gender)]
            if len(fits) != 1:
                return None
            return self._as_named(fits[0]) if fits[0].entity != UNTITLED else self._recorded(fits[0])
        one = group[0] if group else last
        if self.genders.of(one.name) in (None, gender):
            return self._as_named(one)
        # its gender contradicts the pronoun: the latest person the text gives the pronoun's gender
        return next((sp for _, sp, _ in reversed(self.persons)
                     if self.genders.of(sp.name) == gender and sp.entity != UNTITLED), None)

    def _named_in(self, idx: int) -> list[Speaker]:
        """The people counted as named in sentence ``idx`` (see :meth:`antecedent`), latest first."""
        found: dict[str, Speaker] = {}
        for k in range(len(self.persons) - 1, -1, -1):
            i, sp, counts = self.persons[k]
            if i < idx:
                break
            if i == idx and counts:
                found.setdefault(sp.name, sp)
        names = list(found)        # one person once: "Paul Ryan", not also "House Speaker Paul Ryan"
        return [found[n] for n in names if not any(m != n and n.endswith(" " + m) for m in names)]

    def _recorded(self, sp: Speaker) -> Speaker | None:
        """The latest recorded person of an untitled name's surname ("Ms. Kowalska" for "Anna Kowalska"), or None."""
        last = sp.name.split()[-1]
        return next((known for _, known, _ in reversed(self.persons)
                     if known.entity != UNTITLED and known.name.split()[-1] == last), None)

    def _as_named(self, sp: Speaker) -> Speaker:
        """The latest person of the article named as ``sp`` ends ("Ban Ki-moon" for "General Ban Ki-moon"),
        else ``sp``."""
        for _, known, _ in reversed(self.persons):
            if sp.name.endswith(" " + known.name) and " " in known.name and known.entity != UNTITLED:
                return known
        return sp

class SpeakerResolver(NameWords):
    """Resolves the tokens of a speaker phrase with the actor table and the rules (name words: :class:`~.names.NameWords`)."""

    def __init__(self, actors: ActorTable, rules: SpeechRules):
        super().__init__(rules)
        self.a = actors

    def resolve(self, s: Sentence, ti: int, tj: int, art: ArticleState, appos: str = "",
                after: bool = False) -> Resolved | None:
        """Resolve tokens ``s.toks[ti:tj]`` to a speaker, or None."""
        toks = s.toks
        r = self.r
        while ti < tj and toks[ti].text.lower() in r.determiners and not self.initial(toks, ti + 1):
            ti += 1
        det = toks[ti - 1].text.lower() if 0 < ti <= len(toks) and toks[ti - 1].text.lower() in r.determiners else ""
        if ti >= tj:
            return None
        ps, pe = toks[ti].start, toks[tj - 1].end
        phrase = s.text[ps:pe]
        # 1. actor-table mention: the last one with no capitalised word after it
        best = None
        for mn in s.mentions:
            if ps < mn.end <= pe and (mn.start >= ps or mn.end == pe):  # inside, or ending the phrase
                # only role-noun words may follow the mention ("TASS news agency")
                later = [t for t in toks[ti:tj] if t.start >= mn.end and is_word(t.text)
                         and t.text.lower() not in r.role_words]
                if not later:
                    if best is None or (mn.speaker.entity == "person") >= (best.speaker.entity == "person"):
                        best = mn
        if best is not None:
            return Resolved(best.speaker, "table", min(best.start, ps), best.end)
        words = [t for t in toks[ti:tj] if is_word(t.text)]
        if not words:
            return None
        # 2. pronoun
        kind = r.pronoun_kind(words[0].text) if len(words) == 1 and not det else None
        if kind is not None:
            ante = art.antecedent(r.gender(words[0].text)) if kind == "person" else art.last_org
            if ante is not None:
                return Resolved(ante, "pronoun", ps, pe)
            return Resolved(Speaker(words[0].text.lower(), "unknown", False, kind), "pronoun", ps, pe)
        # 3. lower-case role phrase head ("a spokesman", "officials", "the expert")
        head_end = tj
        if after:  # "a professor at X University": head before the first preposition
            for k in range(ti, tj):
                if toks[k].text.lower() in r.head_prepositions and k > ti:
                    head_end = k
                    break
        head_text = s.text[ps:toks[head_end - 1].end]
        hm = None
        for m in r.role_regex.finditer(head_text):
            hm = m
        initial = hm is not None and hm.start() == 0 and all(not is_word(t.text) for t in toks[:ti])
        role_head = (hm is not None and hm.end() == len(head_text)
                     and (not hm.group()[0].isupper() or (initial and hm.group()[1:2].islower())))
        tail_run = self.cap_run(s, ti, tj)
        tail_is_person = tail_run is not None and not self.name_type(s.text[tail_run[0]:tail_run[1]])
        # "Officials said", "Analysts at X Bank said": a plural role noun opening the sentence is no name
        role = r.role_type(hm.group()) if (hm is not None and role_head) else None
        plural_opening = initial and role is not None and bool(role[1])
        if (hm is not None and role_head
                and (plural_opening or (not (tail_is_person and head_end < tj)
                                        and not (tail_run and head_end == tj and tail_run[1] == pe)))):
            assert role is not None, "role_regex matches only the nouns role_type knows"
            role_stype, plural = role
            bare = head_text[:hm.start()].strip() == ""
            if det in r.definite and bare and not plural and hm.group().lower() not in r.source_documents:
                # "the ministry" after "the Foreign Ministry said"; "the airline", "the campaign" are no
                # person and no organisation of another name named before
                noun = hm.group().lower()
                org_noun = noun in r.organization_nouns
                for sp in reversed(art.named):
                    if sp.speaker_type == role_stype and (sp.entity == "organization") == org_noun and (
                            not org_noun or noun in sp.name.lower().split()):
                        return Resolved(sp, "anaphora", ps, pe)
            if det in r.possessives and bare and art.last_org is not None:
                org = art.last_org
                return Resolved(Speaker(f"{org.name} {head_text.strip().lower()}",
                                        role_stype if not plural else "anonymous",
                                        False, "group" if plural else "person", org.country), "possessive", ps, pe)
            text = head_text.strip()
            if not any(w[0].isupper() for w in text.split()[1:]):
                text = self.unnamed(text)
            anon = plural and (not r.plural_anonymous or role_stype in r.plural_anonymous)
            return Resolved(Speaker(text, "anonymous" if anon else role_stype, False, "group" if plural else "person"),
                            "role", ps, pe)
        # 4. capitalised name at the end of the phrase
        if tail_run is None:
            return None
        re_, run = tail_run[1], tail_run[2]
        # strip titles: everything up to the last personal title ("State Councilor",
        # "President"): a role noun of a person type that is not an organisation word
        cut = 0
        title = None                 # the type of the title next to the name ("Sen." in "Alabama Sen. Jo Roe")
        for k, t in enumerate(run[:-1]):
            if t.text in r.name_words:
                continue
            rt = r.role_type(t.text)
            if rt is not None and rt.speaker_type in r.title_types:
                cut, title = k + 1, rt
        run = run[cut:]
        while run and (not is_word(run[0].text)      # the point of a title cut off ("Sen. Jo Roe")
                       or (run[0].text.lower() in r.particles and run[0].text[0].islower())  # not "Le Monde"
                       or (run[0].text.lower() in r.honorifics and len(run) > 1)):  # "Mr Smith", "Sir Keir Starmer"
            run = run[1:]
        if not run:
            return None
        aff = self._affiliation(s, run, art, appos, after)
        if aff is not None:
            return aff
        rs = run[0].start
        name = POSSESSIVE.sub("", s.text[rs:re_])
        # surname or earlier full name in this article
        if name in art.names:
            return Resolved(art.names[name], "surname", rs, re_)
        if name in art.surnames:
            return Resolved(art.surnames[name], "surname", rs, re_)
        # first and last word of one person named earlier, a middle name or particle left out
        # ("Jo Roe" after "Jo Ann Roe", "Pádraig Súilleabháin" after "Pádraig Ó Súilleabháin")
        name_words = name.split()
        known = art.surnames.get(name_words[0]) if len(name_words) > 1 else None
        if known is not None and known.entity == "person" and known == art.surnames.get(name_words[-1]):
            return Resolved(known, "surname", rs, re_)
        # the type: the title next to the name, the appositive's head role noun or the head of the words
        # before the name ("Republican strategist" -> strategist), else a
        # name word ("Washington Post" is media, though "post" is a role noun), else a role noun
        # inside the name, else what the article says of the name
        stype = None
        # an appositive that opens with a participle says what the speaker did, not who it is
        # ("The Journal, citing people familiar with the matter, reported")
        describes = bool(appos) and not (r.participle_suffixes
                                         and appos.split()[0].lower().endswith(r.participle_suffixes))
        for rt in (title, r.head_role(appos) if describes else None, r.head_role(s.text[ps:rs])):
            if rt:
                stype = rt.speaker_type
                break
        nt = self.name_type(name)
        if stype is None:
            inner = r.first_role(name)
            stype = nt or (inner.speaker_type if inner else None) or art.type_of(name) or "unknown"
        entity = "organization" if (nt or stype == "media") else "person"
        sp = Speaker(name, stype, True, entity)
        if entity == "person" and len(name.split()) > 1:
            art.names[name] = sp
            for w in {name.split()[0], name.split()[-1]}:
                art.surnames.setdefault(w, sp)
                pre, sep, rest = w.partition("-")
                if sep and pre.islower() and pre in r.name_prefixes:   # "al-Sisi": later "Al-Sisi" or "Sisi"
                    art.surnames.setdefault(pre.capitalize() + sep + rest, sp)
                    art.surnames.setdefault(rest, sp)
            parts = name.split()
            i = len(parts) - 1
            while i > 1 and parts[i - 1].lower() in r.particles:
                i -= 1
            if i < len(parts) - 1:      # "Bill de Blasio": later "de Blasio" or "De Blasio"
                for first in (parts[i].lower(), parts[i][:1].upper() + parts[i][1:]):
                    art.surnames.setdefault(" ".join([first] + parts[i + 1:]), sp)
        return Resolved(sp, "name", rs, re_)

    def _affiliation(self, s: Sentence, run: list[Token], art: ArticleState, appos: str,
                     after: bool) -> Resolved | None:
        """``NAME of ORGANISATION`` ("Jane Roe of Example Logistics"): the person before the preposition, or None.

        Only when two or more capitalised words stand before the first
        ``affiliation_prepositions`` word of the run, none of them a name word or
        role word and the last not in ``affiliation_not_before`` ("Royal Bank of
        Scotland", "Ministry of Defence" stay whole); the
        person is resolved on its own (an actor-table variant, an earlier name) and a
        new name with no type takes the type the organisation's words give.
        """
        r = self.r
        p = next((k for k, t in enumerate(run) if t.text in r.affiliation_prepositions), None)
        if p is None or p < 2 or p == len(run) - 1:
            return None
        person = run[:p]
        if person[-1].text in r.affiliation_not_before or any(
                not self.is_cap(t.text) or POSSESSIVE.sub("", t.text) in r.name_words
                or t.text.lower() in r.role_words for t in person):
            return None
        res = self.resolve(s, s.tok_index(person[0].start), s.tok_index(run[p].start), art, appos, after)
        if res is None or res.speaker.entity != "person":
            return None
        if res.resolution == "name" and res.speaker.speaker_type == "unknown":
            org = s.text[run[p + 1].start:run[-1].end]
            rt = r.first_role(org)
            stype = rt.speaker_type if rt is not None else self.name_type(org)
            if stype is not None:
                res = res._replace(speaker=art.retype(res.speaker, stype))
        return res

    def generic(self, s: Sentence, ti: int, tj: int) -> Resolved | None:
        """An unnamed noun phrase as speaker ("the board", "company executives", "the poll"), or None.

        Its head is the last word of ``s.toks[ti:tj]`` (or the one before a last
        ``post_heads`` word: "people nearby", which may open the sentence capitalised
        when it ends in a ``plural_suffixes`` ending); it must be a lower-case
        word that is no stop word, pronoun, determiner or listed non-head.  The
        type comes from a role noun in the phrase, else ``unknown``.
        """
        toks, r = s.toks, self.r
        if tj <= ti:
            return None
        h = tj - 1
        if h > ti and toks[h].text.lower() in r.post_heads:
            h -= 1                      # "people nearby said": the head before the word that follows it
        head = toks[h].text
        low = normalise_token(head)
        opening = h == 0 < tj - 1 and bool(r.plural_suffixes) and low.endswith(r.plural_suffixes)  # "People nearby"
        if (not is_word(head) or not (head[0].islower() or opening or (head[0].isdigit() and ti > 0 and "-" in head))
                or low in r.stop_words or low in r.pronouns
                or low in r.determiners or low in r.not_heads or low.endswith(r.not_head_suffixes)):
            return None
        while ti < tj - 1 and not is_word(toks[ti].text):
            ti += 1
        first = normalise_token(toks[ti].text)
        if first in r.stop_words and first not in r.determiners:
            return None
        # a determiner, possessive or number opens it, or its head is plural ("aides", "the board")
        opened = (first in r.determiners or first[:1].isdigit() or first.endswith("'s")
                  or (ti > 0 and toks[ti - 1].text.lower() in r.determiners))
        if not opened and not (r.plural_suffixes and low.endswith(r.plural_suffixes)):
            return None
        ps, pe = toks[ti].start, toks[tj - 1].end
        phrase = " ".join(s.text[ps:pe].split())
        rt = r.first_role(phrase)
        stype = "unknown"
        plural = False
        if rt is not None:
            stype, plural = rt
            if plural and stype in r.plural_anonymous:
                stype = "anonymous"
        return Resolved(Speaker(self.unnamed(phrase), stype, False, "group" if plural else "person"),
                        "phrase", ps, pe)
