"""Does the page discuss risks, uncertainty or regulatory status?  (DISCERN Q8, Q11)

Each detector looks for one genuine sentence.  The phrases that only look like
discussion are ruled out first: "no side effects", "risk-free consultation",
"lowers your risk of heart disease" (not risks); "may help", "individual results may
vary", "not a guarantee of results" (not uncertainty).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from evlint.prefilter import Plan, first_text_matching, gated
from evlint.regex_cache import compile_regex

# --- risks -----------------------------------------------------------------------------

_RISK_NOUN = compile_regex(
    r"\b(?:side[- ]effects?|adverse\s+(?:events?|effects?|reactions?|outcomes?)|"
    r"complications?|contraindicat\w+|risks|dangers?|harms?|hazards?|warnings?|"
    r"cautions?|precautions?|interacts?\s+with|(?:drug\s+)?interactions?\s+with|"
    r"drug\s+interactions?|toxicity|overdose|allergic|"
    r"(?:rarely|occasionally|uncommonly),)",
    re.I,
)
# Phrases in which a risk word does not describe a risk of the treatment.
_NOT_RISK = compile_regex(
    r"\b(?:no|zero|minimal|minimum|few|fewer|little|low|without|free\s+of|none\s+of\s+the|"
    r"virtually\s+no|almost\s+no|not\s+any|never\s+any)\s+(?:\w+\s+){0,2}?"
    r"(?:side[- ]effects?|adverse\s+\w+|complications?|risks?|dangers?|downtime)"
    r"|\brisk[- ]free\b|\bno[- ]risk\b|\bside[- ]effect[- ]free\b"
    r"|\b(?:lowers?|lowered|lowering|reduces?|reduced|reducing|cuts?|decreases?|"
    r"decreased|slash\w*|lower|less)\s+(?:\w+\s+){0,2}?risks?\b"
    r"|\b(?:at|high|higher|increased)\s+risk\s+(?:of|for)\b"
    r"|\brisk\s+(?:factors?|calculator|score|assessment)\b|\bwarning\s+signs?\b"
    r"|\b(?:can't|cannot|can\s+not|won't|impossible\s+to)\s+overdose\b|\bnon-addictive\b"
    r"|\b\w+[- ]free\b",
    re.I,
)
_HARM_SYMPTOM = compile_regex(
    r"\b(?:bruis\w+|swelling|sore(?:ness)?|redness|tenderness|tight(?:ness)?|itch\w*|"
    r"nausea|nauseous|vomit\w*|diarrh\w+|constipation|headaches?|headachy|dizz\w+|"
    r"fatigue|tired|drows\w+|sleepy|insomnia|flushing|cramps?|bleeding|infection|"
    r"irritat\w+|rash|fever|pain|aches?|bloating|wind|jittery|irritable|dependence|"
    r"withdrawal|fainting|blurred|dry\s+mouth|palpitations|upset|discomfort|scarring|"
    r"hypercalc\w+|damage|injury|injuries|reactions?|infections?|clots?|stroke|"
    r"dreams|trouble\s+sleeping)\b",
    re.I,
)
# A harm symptom counts only in a harm frame: something causes it or the user may
# get it ("can cause nausea", "you may see some redness"), or it follows a time
# course ("redness for 24 hours").  Otherwise it is usually a condition treated.
_HARM_BEFORE = compile_regex(
    r"(?:\b(?:cause[sd]?|causing|makes?|leaves?|trigger\w*|leads?\s+to|result\s+in|provoke\w*|"
    r"raises?\s+the\s+risk\s+of|risks?\s+of|chance\s+of)|\b(?:may|might|can|could|will|to)\s+(?:\w+\s+){0,2}?"
    r"(?:feel|get|experience|notice|see|have|develop|become|suffer)|\bsome\s+(?:people|"
    r"patients|clients|users)\s+(?:\w+\s+)?(?:get|feel|experience|notice|have|develop|report)|"
    r"\b(?:rarely|occasionally|commonly))\s+(?:[\w-]+[,\s]+){0,6}?$"
    r"|\b(?:mild|minor|temporary|temporarily|slight|brief)\s+(?:[\w-]+\s+)?$",
    re.I,
)
_HARM_AFTER = compile_regex(
    r"^[\w\s,-]{0,40}?\b(?:can|may|might|could)\s+(?:occur|happen|develop|follow)"
    r"|^\s*(?:is|are)\s+(?:common|possible|rare|uncommon)"
    r"|^\s*(?:for|lasting)\s+(?:up\s+to\s+)?(?:a\s+)?(?:few|\d+|one|two|several)\s+"
    r"(?:hours?|days?|minutes?|weeks?)",
    re.I,
)
_BENEFIT_BEFORE = compile_regex(
    r"\b(?:reduc\w+|reliev\w+|eas\w+|calm\w*|fad\w+|fight\w*|treat\w*|prevent\w*|"
    r"soothe\w*|eliminat\w+|less|fewer|lower\w*|improv\w+|help\w*|without|no|"
    r"melt\w*|stop\w*|cur\w+|heal\w*|beat\w*)\s+(?:\w+\s+){0,4}$",
    re.I,
)
_CAUTION = compile_regex(
    r"\b(?:should\s+not|shouldn't|must\s+not|mustn't|do\s+not|don't|never|avoid)\s+"
    r"(?:\w+\s+){0,3}?(?:take|use|try|have|give|be\s+given|eat|drink|start|plunge|"
    r"combine|mix|drive)\b"
    r"|\bnot\s+(?:suitable|recommended|advisable|safe|given|for\s+everyone)\b"
    r"|\b(?:isn't|is\s+not|aren't)\s+(?:for\s+everyone|suitable|recommended|advisable)\b"
    r"|\b(?:check|talk|speak|consult)\s+(?:with\s+|to\s+)?(?:your|a)\s+"
    r"(?:doctor|gp|pharmacist|clinician|physician|midwife|specialist)\s+"
    r"(?:first|before)\b"
    r"|\bif\s+you\s+(?:are|'re|have|take)\b.{0,80}\b(?:check|talk|speak|consult|ask)\b"
    r"|\bseek\s+(?:medical\s+)?(?:help|advice|attention)\s+(?:urgently|immediately|straight)"
    r"|\b(?:get|seek)\s+urgent\b|\bwho\s+should\s+(?:not|avoid|be\s+careful)\b"
    r"|\bis\s+dangerous\b|\bcan\s+be\s+(?:dangerous|harmful|fatal|serious)\b"
    r"|\b(?:can't|cannot|can\s+not|should\s+not|must\s+not)\s+be\s+(?:taken|used|given|"
    r"combined|mixed)\b",
    re.I,
)


_RISK_WORDING = (gated(_RISK_NOUN), gated(_CAUTION), gated(_HARM_SYMPTOM))


def risk_sentence(sentences: Iterable[str], page: str | None = None) -> str | None:
    """The first sentence that discusses a risk, side effect or caution, or None.

    ``page``: the case-folded text all the sentences come from; when none of the risk
    wordings can occur anywhere on it, no sentence is read.
    """
    if page is not None and all(wording.for_page(page) is None for wording in _RISK_WORDING):
        return None
    for sentence in sentences:
        if _discusses_risk(sentence):
            return sentence
    return None


def _discusses_risk(sentence: str) -> bool:
    cleaned = _NOT_RISK.sub(" ", sentence)
    if _RISK_NOUN.search(cleaned) or _CAUTION.search(cleaned):
        return True
    for match in _HARM_SYMPTOM.finditer(cleaned):
        before = cleaned[max(0, match.start() - 80) : match.start()]
        if _BENEFIT_BEFORE.search(before):
            continue
        if _HARM_BEFORE.search(before) or _HARM_AFTER.search(cleaned[match.end() :]):
            return True
    return False


# --- uncertainty -----------------------------------------------------------------------

_UNCERTAINTY = compile_regex(
    r"\b(?:more|further|additional|larger|better|longer[- ]term)\s+(?:\w+\s+){0,2}?"
    r"(?:research|studies|trials|evidence|data|work)\s+(?:\w+\s+){0,2}?"
    r"(?:is|are|will\s+be)\s+(?:\w+\s+)?(?:needed|required|under\s*way|underway|running|ongoing)"
    r"|\b(?:evidence|data|research|results|findings|studies|trials)\s+(?:\w+\s+){0,6}?"
    r"(?:is|are|was|were|remains?|has\s+been|have\s+been|seems?)\s+(?:\w+\s+){0,2}?"
    r"(?:limited|mixed|weak|thin|inconclusive|lacking|insufficient|unclear|conflicting|"
    r"inconsistent|sparse|scarce|preliminary|uncertain|poor|low[- ]quality|not\s+conclusive|"
    r"far\s+from\s+\w+|not\s+strong|small)"
    r"|\b(?:limited|little|weak|insufficient|no\s+(?:good|strong|reliable|high[- ]quality|"
    r"convincing|clear|conclusive)|not\s+enough|inconclusive|mixed|conflicting|"
    r"low[- ](?:quality|certainty))\s+(?:\w+\s+){0,2}?(?:evidence|data|research|results|"
    r"findings|proof)"
    r"|\bnot\s+(?:yet\s+)?(?:known|proven|clear|established|understood|certain|"
    r"been\s+(?:well\s+)?studied|been\s+tested|possible\s+to\s+(?:predict|know|say))"
    r"|\b(?:isn't|aren't|hasn't\s+been|haven't\s+been)\s+(?:yet\s+)?(?:known|proven|clear|"
    r"established|studied|confirmed|tested)"
    r"|\b(?:unknown|unproven|uncertain|uncertainty|uncertainties|unclear|unsettled|"
    r"debated|controversial|inconclusive|unanswered)\b"
    r"|\b(?:we|scientists|researchers|doctors|nobody|no\s+one|experts)\s+(?:still\s+)?"
    r"(?:do\s+not|don't|doesn't|does\s+not|can't|cannot)\s+(?:yet\s+)?(?:fully\s+)?"
    r"(?:know|understand|tell|predict|say|agree)"
    r"|\bnobody\s+knows\b|\bno\s+one\s+knows\b|\bwe\s+(?:honestly\s+)?don't\s+know\b"
    r"|\b(?:studies|trials|meta-analyses|reviews|experts|results)\s+(?:\w+\s+)?"
    r"(?:disagree|conflict|vary|differ)"
    r"|\bestimates\s+(?:\w+\s+)?vary\b|\bhard\s+to\s+(?:pin\s+down|know|say|tell|predict)"
    r"|\b(?:impossible|too\s+early|difficult)\s+to\s+(?:know|say|tell)"
    r"|\b(?:small|uncontrolled|observational|open[- ]label|pilot|preliminary|early[- ]phase|"
    r"short|non-randomi[sz]ed|retrospective)\s+(?:\w+\s+){0,2}?(?:studies|study|trials?|"
    r"reports?|evidence)\b"
    r"|\bno\s+(?:placebo|control|comparison)\s+(?:group|arm)\b"
    r"|\b(?:in|from)\s+(?:mice|rats|animals|animal\s+(?:studies|models)|cell\s+cultures?|"
    r"the\s+lab(?:oratory)?|test\s+tubes?)\b|\banimal\s+(?:studies|models|research)\b"
    r"|\bnot\s+everyone\s+(?:responds|benefits|improves)|\bothers\s+not\s+at\s+all\b"
    r"|\b(?:haven't|have\s+not|has\s+not|hasn't|did\s+not|didn't|failed\s+to)\s+"
    r"(?:been\s+)?(?:confirm\w*|replicat\w+|(?:yet\s+)?(?:been\s+)?prove[dn]?|hold\s+up|held\s+up)"
    r"|\blittle\s+or\s+no\s+(?:difference|benefit|effect)\b"
    r"|\b(?:modest|small)\s+(?:average\s+)?(?:benefit|effect|difference|improvement)s?\b"
    r"|\bcorrelation\b.{0,40}\bcausation\b|\b(?:does|do)\s+not\s+prove\b|\bcan't\s+prove\b"
    r"|\b(?:limitations?|caveats?)\b|\bless\s+certain\b|\bat\s+risk\s+of\s+bias\b"
    r"|\bresearch\s+is\s+(?:still\s+)?(?:ongoing|in\s+its\s+infancy|at\s+an\s+early\s+stage)"
    r"|\bstill\s+being\s+(?:studied|investigated|researched)\b",
    re.I,
)
# Disclaimers and marketing hedges that look like uncertainty but are not about evidence.
_NOT_UNCERTAINTY = compile_regex(
    r"\b(?:individual\s+)?results\s+(?:may|can|will)\s+vary\b|\bnot\s+a\s+guarantee\b|"
    r"\bno\s+guarantee\b|\bnot\s+intended\s+to\s+diagnose\b|\bresults\s+are\s+not\s+guaranteed\b",
    re.I,
)


_UNCERTAINTY_GATED = gated(_UNCERTAINTY)
_NOT_UNCERTAINTY_GATED = gated(_NOT_UNCERTAINTY)


def uncertainty_sentence(sentences: Iterable[str], page: str | None = None) -> str | None:
    """The first sentence that acknowledges uncertainty or limits of evidence, or None.

    ``page``: the lower-cased text all the sentences come from.  The patterns are then
    cut down to the alternatives whose words occur on the page, which makes the
    search per sentence several times cheaper and finds the same sentence.
    """
    uncertainty: Plan | None
    not_uncertainty: Plan | None
    if page is not None:
        uncertainty = _UNCERTAINTY_GATED.for_page(page)
        not_uncertainty = _NOT_UNCERTAINTY_GATED.for_page(page)
    else:  # reading the parse trees costs milliseconds: only when there is no page
        uncertainty, not_uncertainty = Plan.of(_UNCERTAINTY), Plan.of(_NOT_UNCERTAINTY)
    if uncertainty is None:
        return None
    sentences = list(sentences)
    # A plan's pattern is exact on every part of its page (reduced or whole).
    clean = None if not_uncertainty is None else not_uncertainty.pattern.sub
    cleaned = [s if clean is None else clean(" ", s) for s in sentences]
    first = first_text_matching(uncertainty, cleaned)
    return None if first is None else sentences[first]


# --- regulatory status -----------------------------------------------------------------

_AGENCY = (
    r"(?:(?:the\s+)?(?:U\.?S\.?|US|UK|EU|European|Australian)?(?:'s)?\s*(?:FDA|EMA|MHRA|TGA|"
    r"Food\s+and\s+Drug\s+Administration|European\s+Medicines\s+Agency|"
    r"Medicines\s+and\s+Healthcare\s+products\s+Regulatory\s+Agency|"
    r"Therapeutic\s+Goods\s+Administration|Health\s+Canada|PMDA|regulators?))"
)
_STATUS = compile_regex(
    r"\b(?:not|never|isn't|aren't|hasn't|haven't|has\s+not|have\s+not|is\s+not|are\s+not|"
    r"no|none)\s+(?:[\w-]+\s+){0,8}?(?:been\s+)?(?:FDA[- ])?(?:approved|cleared|licensed|"
    r"authori[sz]ed|evaluated|regulated|registered\s+as\s+a\s+medicine)"
    rf"|\b(?:approved|cleared|licensed|authori[sz]ed|evaluated|regulated)\s+(?:\w+\s+)?"
    rf"(?:by|with)\s+{_AGENCY}"
    rf"|\b{_AGENCY}[- ](?:approved|cleared|licensed|authori[sz]ed)\b"
    rf"|\b{_AGENCY}\s+(?:has|have|had)\s+(?:not\s+)?(?:approved|cleared|warned|licensed|"
    r"authori[sz]ed|issued)"
    rf"|\b(?:FDA|EMA|MHRA|TGA)\s+(?:approval|clearance|authori[sz]ation|licen[cs]e)\b"
    r"|\b(?:off-label|off\s+label|unlicensed|unlicenced|unapproved|investigational|"
    r"experimental\s+(?:treatment|therapy|use|product|procedure)|not\s+a\s+licensed)\b"
    r"|\bHCT/Ps?\b|\bsection\s+361\b|\bCE[- ]mark\w*"
    r"|\b(?:sold|regulated|classed|classified|marketed)\s+as\s+(?:a\s+)?(?:foods?|"
    r"(?:food|dietary)\s+supplements?|cosmetics?|medical\s+devices?|medicines?|drugs?)\b"
    r"|\bonly\s+(?:\w+\s+){0,2}?(?:within|in|through|as\s+part\s+of)\s+(?:a\s+)?"
    r"(?:registered\s+|approved\s+)?(?:clinical\s+)?(?:trial|study|registry)"
    r"|\bstatements\s+have\s+not\s+been\s+evaluated\b",
    re.I,
)


_STATUS_GATED = gated(_STATUS)


def regulatory_sentence(sentences: Iterable[str], page: str | None = None) -> str | None:
    """The first sentence that states a product's approval or regulatory status, or None.

    ``page``: the case-folded text all the sentences come from (see
    ``uncertainty_sentence``).
    """
    status = Plan.of(_STATUS) if page is None else _STATUS_GATED.for_page(page)
    if status is None:
        return None
    sentences = list(sentences)
    first = first_text_matching(status, sentences)
    return None if first is None else sentences[first]
