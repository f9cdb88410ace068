"""The correction model: learned channel (confusions) + word language model, and its file format.

File format (``*.json.gz``, no pickle): gzip of the model JSON (see ``train.fit`` for the keys), and
after it the lookup tables of the search (lexicon.py), so that loading computes nothing; see
``save_model_dict``. A file of the model JSON alone is read too (its tables are built at load).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
from collections import defaultdict
from functools import cached_property
from importlib import resources

from ..errors import ModelError
from . import lexicon
from .casing import Lowered
from .frozentable import FrozenTable
from .gcpause import gc_off
from .inflate import Inflated
from .languages import language
from .lm import LanguageModel
from .params import make_params_class
from .ruleset import RuleSet
from .vet import Vetter

FORMAT = "reissue-correct-model/1"
DEFAULT_MODEL_NAME = "correct-model-en.json.gz"

# decoding parameters; a model file may override them under "params"
DEFAULT_PARAMS = {
    "threshold": 0.9,  # minimum posterior of an edit
    "min_rule_p": 5e-5,  # learned character confusions rarer than this are ignored (2e-4: about 5% faster, held-out train cMER 0.2-0.7 points worse)
    "generic_lp": math.log(3e-5),  # one unlearned character edit
    "frequent_p": 5e-5,  # tokens at least this frequent only get learned real-word candidates
    "cand_min_p": 1e-7,  # candidates must be at least this frequent
    "split_min_p": 1e-6,
    "split_lp": math.log(1e-3),
    # an unknown word of 7 letters or more may be three words run together ("tothedelicious" -> "to the
    # delicious"), at this log cost; None: not tried (French, German: languages.py). -13.8, twice split_lp: held-
    # out train (bench_correct_cv.py --context, with the stray-mark rule) cMER icdar -28.4% -> -28.5%,
    # overproof -30.8% -> -30.8%, impresso -23.3% -> -22.8% (50 documents; vetter retrained per fold),
    # preference +0.845/+0.979/+0.860 -> +0.843/+0.979/+0.860
    "split3_lp": -13.8,
    # an unknown word that is a word and a misread word run together ("tbeman" -> "the man",
    # resegment.py): the extra log cost of such a candidate, on top of split_lp and the confusion; None:
    # not tried (the English model file sets it: scripts/train_model.py)
    "split_correct_lp": None,
    "split_correct_min_len": 5,  # tokens this long or more
    "split_correct_solid_p": 1e-5,  # the half kept as printed must be at least this frequent
    "split_correct_min_p": 1e-6,  # the corrected half must be at least this frequent
    "split_correct_cands": 3,  # the best this many
    "split_correct_alone": False,  # only for a token no learned confusion turns into a word
    # a token with a stop, comma, colon or semicolon between its letters ("ar.d", "or.ly", "tl.e": an n, an n and
    # an h misread as a letter and a mark) also has the words one learned confusion away from its letters without
    # the mark, at this log cost on top (None: off; the mark alone is one generic edit already)
    "inner_mark_lp": None,
    # a word with a stray mark glued to its end ("tak»", "Thi»", "tim«"): the mark is most often a misread
    # letter, so the word with one more letter ("take", "This", "time") is a candidate at this log cost; None:
    # not tried (the mark goes with the edit of the word: engine.Corrector._make)
    "mark_letter_lp": None,
    "merge_lp": math.log(3e-3),
    "merge_min_p": 1e-7,
    "merge_frequent": True,  # also merge two common words ("be come") when the context says so
    "merge_frequent_lp": math.log(1e-3),
    # also merge two tokens, one of them unknown, into a learned-confusion correction of their
    # concatenation ("com meuced" -> "commenced"), at this extra log cost (held-out train cMER:
    # icdar -24.2% -> -24.4%, overproof -27.9% -> -28.3%; -10: worse, -17: no better)
    "merge_correct": True,
    "merge_correct_lp": -14.0,
    # a one-letter token may merge with the next token ("w ith" -> "with", "tl e" -> "the"): True,
    # False, or None = only when an edit vetter checks the merge
    "merge_single": None,
    # also two halves joined by a hyphen in mid-line when one is no word ("inclu-sive"); compounds
    # of two words ("fellow-travelers") stay
    "merge_hyphen": True,
    # with merge_hyphen off (the ground truth keeps a printed hyphen in mid-line: French), two halves joined
    # by a hyphen in mid-line whose joined form is no known word are corrected as one word and the hyphen
    # is kept where it was ("ira-vaux" -> "tra-vaux", "ba-taitte" -> "ba-taille": merges.py), at this extra
    # log cost; None: not tried
    "hyphen_kept_lp": None,
    # a merge with correction (merge_correct): the rarer of the two tokens must be less frequent than
    # this (None: light_p, one of them no known word; "hoi nets" -> "hornets" needs more)
    "merge_correct_max_p": None,
    # also merge two tokens into a word that has one more letter where the space was ("mini ter" ->
    # "minister": a letter printed as a space), at this log cost in all (instead of merge_correct_lp and
    # a confusion's; None: not tried)
    "merge_gap_lp": None,
    # the second token of such a pair may be a frequent one-letter token that is no word ("engli h",
    # "be n": a letter other than a and I), not only a rare one
    "merge_correct_letters": False,
    # either token of such a pair may be a one-letter token that is no word, whatever the other's frequency
    # ("h s" -> "his", "f r" -> "for", "t e" -> "the": a letter of a short word printed as a space)
    "merge_letter_halves": False,
    # with merge_gap_lp, also the words where the first token's last letter and the space are one letter
    # misread ("Has bour" -> "Harbour", "or ly" -> "only"), at merge_gap_lp and that confusion's log probability
    "merge_glyph": False,
    # a hyphen between two common words that follow each other as words is a space misread
    # ("those of-the Kremlin": hyphenspace.py): both words at least this frequent (None: off), P(second |
    # first) at least hyphen_space_min_cond; the edit's confidence. English train OCR: 7 right ("to-be", "by-the",
    # "that-the"), 1 wrong (a ground truth that keeps "of-the"), 2 dashes; off for French and German (languages.py)
    "hyphen_space_min_p": 2e-3,
    "hyphen_space_min_cond": 0.01,
    "hyphen_space_confidence": 0.9,
    # an unknown word that is a misread known stem and an English ending ("Mettemichean" -> "Metternichean":
    # derived.py): the printed stem at least this long (None: off; 4 made 5 wrong edits on en train and dev OCR,
    # "teelly" -> "feelly"), the known stem at least derive_stem_min_p frequent; the edit's confidence
    "derive_min_stem": 5,
    "derive_stem_min_p": 1e-6,
    "derive_confidence": 0.9,
    "merge_correct_edits": 1,  # learned confusions in that correction (2: 15% slower, held-out train cMER 0.1 better)
    # single characters get learned real-word candidates ("1" -> "I", "f" -> "of"): True, False, or
    # None = only when an edit vetter checks them (held-out train cMER with the vetter: icdar -26.2%
    # -> -26.6%, overproof -30.1% -> -30.6%, impresso -19.9% -> -19.6%; without it: worse)
    "single_char": None,
    "realword_min_count": 3,
    # may a word whose only evidence is one occurrence in the training text be a candidate?
    "hapax_cands": True,
    # a one-character token becomes the pronoun I only before a word that follows "I" at least e^this
    # times as often as it follows other words ("1 have"; not "1 to 9", "1 qr"; singles.py)
    "pronoun_min_lift": 1.5,
    "frequent_search": False,  # frequent words also get one-confusion candidates (frequent ones only)
    "frequent_min_lp": math.log(1e-3),
    "frequent_extra_lp": 0.0,
    "realword_scale": 1.0,
    # extra log-odds for keeping a capitalised mid-sentence token (probably a name) and a known word
    # (name 2.0 and adapt_weight 2.0 against log 3 and 1.0: held-out train cMER icdar -23.94% ->
    # -24.20%, overproof -27.64% -> -27.82%, impresso -18.88% -> -19.05%; known 1.5 is 0.1 better
    # on icdar but leaves "to he understood")
    "name_bonus": 2.0,
    "known_bonus": math.log(3.0),
    "doc_weight": 0.7,  # log(1 + n) per other occurrence in the document, times this
    # keeping a word gets that bonus only below this frequency: "he" printed elsewhere in the
    # document says nothing of "to he understood" (held-out train cMER: no change)
    "doc_max_p": 1e-3,
    "max_cands": 8,  # (12: no better on held-out train, slower)
    "adapt_weight": 2.0,  # second pass: log(count) bonus for a character correction made >= adapt_min times
    "adapt_min": 3,
    # the second look (secondlook.py): the tokens within this many characters of an edit decided again in the
    # corrected text; None: off
    "second_look": 10,
    "oov_p": 1e-11,  # probability of a word no source knows
    "lm_weights": [0.3, 0.4, 0.3],  # P(w|prev): symspell bigrams, training bigrams, unigram ([0.4, 0.3, 0.3]: held-out train cMER 0.2-0.4 points worse)
    "min_path_lp": math.log(3e-6),  # channel probability floor of a candidate
    "max_edits": 2,
    "deepen_p": 1e-6,  # search two edits deep when one edit finds no word at least this frequent
    "generic_edits": True,  # allow one unlearned edit in the full search
    "deep_generic": False,  # ... also in the deeper (two-edit) search
    "deep_min_path_lp": math.log(3e-6),  # channel probability floor in the deeper search
    # ... and a lower floor for a word the deeper search too leaves without any candidate at least cand_min_p
    # frequent ("destriietion" -> "destruction"; None: off): the candidates of a word it found some for stay as
    # they were (more unlikely ones would spread its posterior: "stoninc" -> "stoning")
    "deepest_min_path_lp": None,
    # an unknown token of at most frequent_deep_max_len letters also gets the words at least frequent_deep_p
    # frequent two learned confusions away, at deep_min_path_lp (None: off): "hcen" -> "been", "tbit" -> "that",
    # "llie" -> "the", which the search above misses when one confusion already reaches a rare word ("hen")
    "frequent_deep_p": None,
    "frequent_deep_max_len": 8,  # (6: held-out train -31.01 / -32.72 / -25.92% against -31.02 / -32.81 / -26.09%; 10: as 8)
    # the language's historical spellings of known words are no correction targets (languages.py variants):
    # on for German (kk for ck, its language setting), and in the English model (order'd: set after its
    # vetter is trained, scripts/train_model.py)
    "historical_variants": False,
    "deep_min_len": 1,  # only tokens of this many characters or more get the deeper search
    "deep_max_len": 12,  # ... and of at most this many (longer: no gain on held-out train, slower)
    "light_p": 1e-7,  # known words at least this frequent get a light search (learned edits only)
    "light_edits": 1,
    "light_max_p": 1e-5,  # ... and less frequent than this (2e-5: about 15% slower for held-out train cMER 0.1 points better)
    # ... towards words at least this many times as frequent as the known word only (its own
    # lexicon: faster; on dev, 863 of the 869 edits of such words were already so)
    "light_ratio": 10.0,
    "light_min_path_lp": math.log(1e-4),  # channel probability floor of the light search (lower: no gain on held-out train)
    # edit-distance fallback: an unknown token whose confusion search finds no word at least
    # deepen_p frequent is compared with every lexicon word of about its length
    "fallback": True,
    "fallback_min_p": 3e-6,  # lexicon of the fallback (1e-6: no better on held-out train, slower)
    "fallback_lp": -6.0,  # log probability per character of an edit that is no learned confusion
    "fallback_min_len": 4,
    "fallback_skip_lp": -7.0,  # ... nor a candidate this likely by its confusions ("Comintem" -> "Comintern")
    "fallback_long": 6,  # tokens this long may be 3 edits from the word, shorter ones 2
    "fallback_longer": 9,  # ... and tokens this long 4 (8: preference 0.004 worse on held-out train)
    "fallback_len_win": 1,  # candidate length within this of the token's (2-3: worse on held-out train)
    # ... but when the common candidates only confusions less likely than this (log p) reach, the fallback's
    # words are their rivals: they weigh in the posterior and are never made themselves ("hi8 euneet effort1":
    # "sunset" by two e -> s, "earnest" is 3 edits off), unless a split reaches the token at least this likely
    # ("tieup" -> "tie up"); None: any common candidate stops the fallback.
    # English model: -11 (a candidate one generic edit away scores -10.4 and still stops it). Held-out train
    # (bench_correct_cv.py --context --damage) cMER -29.1/-30.9/-22.8% -> -29.0/-30.7/-22.5%, damage
    # 0.162/0.042/0.098% -> 0.165/0.043/0.102% (a small loss, taken for the precision on real pages); on
    # the 1832 Liverpool Standard 17 edits fewer, read by hand 3 right ("asBcrtion", "hntiTs", "practiaa"),
    # 10 wrong ("weildiug" -> "wedding", "coutem" -> "content", "oatsnd" -> "ostend" ...), 4 unclear. At -10
    # (every candidate beyond one generic edit) it refused 83 there, most right ("blociade", "ritish"); with
    # the fallback's words made, not rivals, it made new wrong edits ("hrls" -> "his", "asBcrtion" -> "abortion")
    "fallback_weak_lp": None,
    # an unknown token that looks like a word (character 4-grams of the lexicon) is more likely
    # printed so; one that does not, more likely misread (0.6: no better on held-out train)
    "shape_weight": 0.4,
    # with an edit vetter in the model (vet.py), edits whose posterior reaches this are proposed to
    # it, and its probability that the edit improves the text is compared with the threshold
    # ... and an edit-distance edit that changes the first letter of a name-like word ("Oakesing" ->
    # "Passing") needs this probability from the vetter (names stay unless the evidence is overwhelming);
    # None: the threshold alone. (The same for edits of known words by a learned confusion, "fiat" ->
    # "flat", at 0.6: held-out train the same, but on the 1832 Liverpool Standard it refused about 20
    # right edits - "hii", "rill", "bein" - for 3 wrong ones: not kept; known_edit_threshold below spares words
    # of up to 3 letters, and with the vetter of 2026-12-03 it refuses more wrong edits than right ones there)
    "name_edit_threshold": None,
    "name_edit_anywhere": False,  # ... for an edit-distance edit of any letter of a name-like word, not only the first
    # the vetter's probability any edit-distance edit needs (None: the threshold)
    "edit_distance_threshold": None,
    # ... and the one a confusion or real-word edit of a known word at least known_edit_min_len long needs
    # (a real word made another: "fiat" -> "flat", "litter" -> "letter"; None: the threshold). Both at 0.6
    # (English model): held-out train (bench_correct_cv.py --context --damage) cMER -29.1/-30.9/-22.8% ->
    # -29.1/-30.9/-22.5%, damage to clean text 0.162/0.042/0.098% -> 0.157/0.035/0.098%; on the 1832
    # Liverpool Standard 44 edits fewer, read by hand 8 right, 24 wrong, 12 unclear (edit-distance: 4 / 13 / 7,
    # known words: 4 / 11 / 4: "fiat", "litter", "alter-ation", "Hoar" for House; lost "bein", "daring", "sans")
    "known_edit_threshold": None,
    "known_edit_min_len": 4,
    # ... and the one an edit-distance edit of a word the lexicon knows, however rare, needs ("perfidy" ->
    # "period"; the fallback searches a word below cand_min_p as an unknown one); None: the threshold
    "known_fallback_threshold": None,
    # the guards of guards.py, found on real pages (issue 14): the marks around a word stay ("(President",
    # "'eopold", "happen'd"); a word at a line end that makes a known word with the first of the next line
    # stays ("FUR\nNITURE")
    "marks_stay": False,
    "line_fragment_keeps": False,
    # a word followed by a fragment of at most three lower-case letters less frequent than split_min_p
    # ("themse ves": maybe the rest of the same word) is never shortened by an edit
    "rest_fragment_keeps": False,
    # a half of a word split by a hyphen in mid-line whose halves joined are a known word stays
    # ("per-manente" -> "per-manence"; guards.mid_hyphen_half). Held-out train (bench_correct_cv.py --context
    # --damage [--lang fr|de] [--params '{"mid_hyphen_keeps": false}']), cMER / damage to clean text, off -> on:
    # French icdar2017 -14.68% / 0.0916% -> -14.80% / 0.0895%; English icdar2017 -29.69% / 0.0981% -> -29.70% / 0.0978%
    # (overproof, impresso the same); German (--every 4) the same on every split
    "mid_hyphen_keeps": True,
    # a sentence of at least this many words inside a text that the language identifier finds in another
    # language is left as printed (foreign.py: an Italian notice in a French page); None: off
    "foreign_min_words": 8,
    # in a language whose prints abbreviate (languages.py "abbreviations": "référ.", "Str."), an unknown
    # word with a full stop right after it stays when it may be an abbreviation: at most this many
    # letters, or the beginning of a known word; a longer one is corrected as any other ("propasande."
    # at a sentence end: a misread "propagande")
    "abbrev_max_len": 4,
    "vet_min_post": 0.3,
    # ... and the default threshold then: a probability that the edit makes the text better, not a
    # posterior (held-out train cMER with 0.5 against 0.6: icdar -26.7% / -26.4%, overproof -30.1% /
    # -29.7%, impresso -21.1% / -20.9%; preference 0.01-0.02 lower)
    "vet_threshold": 0.5,
    # ... but an edit by one learned confusion at least this likely (log p) that turns an unknown word
    # into a known one with at least this posterior is made even when the vetter doubts it (the
    # context model it weighs knows few names: Comintem -> Comintern); dev cMER and clean-text
    # damage: no change; None: off. Not an edit that only adds letters (stop 53: the learned insertions of whole
    # syllables complete a half whose rest is printed beside it, "yester- day" -> "yesterday- day"; held-out train
    # 7 such edits, all worse: icdar2017 -30.70% -> -30.73%, overproof -31.97% -> -32.01%, dev unchanged)
    "explained_min_post": 0.95,
    "explained_min_lp": -5.0,
    # ... and so is an edit that puts one letter in place of a mark of dirt (chars.STRAY_MARKS) printed between
    # two letters of a word (devasta~ion), with at least this posterior: no edition prints such a mark inside
    # a word, and the letter the decoder is sure of is what the vetter, which has seen few of them (two in
    # the English held-out proposals), is least able to judge; None: off
    "explained_mark_min_post": None,
    # with a vetter that weighs the character context model (English): a token whose best candidate
    # reaches this posterior has its best context_cands candidates rescored in their sentence, each
    # score plus context_weight times the context model's log-likelihood gain (clipped as the vetter's
    # feature), so that the context can both pick the candidate and bring a real-word alternative the
    # word bigrams alone leave below vet_min_post to the vetter; 0: off. Held-out train with the context
    # model (bench_correct_cv.py --context): weight 1 against 0, cMER icdar -28.4% / -28.4%, overproof
    # -30.9% / -30.8%, impresso -22.1% / -23.3% (preference +0.858/+0.986/+0.800 against
    # +0.845/+0.979/+0.860); with context_min_post 0.01 and frequent_search: -28.6% / -30.8% / -22.3%.
    # No gain for its cost, so off: the vetter already weighs the same context score
    "context_weight": 0.0,
    "context_min_post": 0.05,
    "context_cands": 4,
    "context_merge": True,  # ... and the merge of two words ("pro claimed"), its gain that of closing the gap
    # the merge of two words alone weighed so (its posterior at least context_min_post), at this weight, whatever
    # context_weight is, where one of the two is no frequent word (frequent_p) and the merged word is at least
    # merge_context_min_p: "Man chester" -> "Manchester", "agricul tural" -> "agricultural"; None: off
    "merge_context_weight": None,
    "merge_context_min_p": 1e-6,
    # a plain merge into a word rarer than merge_yield_max_p yields to a merge with correction where one of the pair's
    # corrected candidates is merge_yield_ratio times as frequent ("commis ion" is "commission", not the misspelling
    # "commision" the word list knows); None: off
    "merge_yield_max_p": None,
    # HIPE output (hipe.lost_hyphens): a line break between two pieces of letters, no hyphen printed, where the joined
    # word is more frequent than the rarer piece and at least this frequent (or printed whole elsewhere in the
    # document), is written as the ground truth writes a word split over a line, "Wednes¬\nday": the hyphen the OCR
    # lost; None: off. Held-out train (bench_correct_cv.py [--lang fr|de] --context --damage --params
    # '{"lost_hyphen_min_p": 1e-7}' --collect-params '{}'), cMER: English overproof -31.69% -> -31.92% (46 words
    # nearer the ground truth, none farther; icdar2017 and impresso unchanged); French impresso -35.91% -> -36.14%;
    # German (--every 4) dta19-l0 -9.77% -> -9.99% (clean damage 0.0234% -> 0.0243%), l1 -46.83% -> -46.89%, l2
    # -48.55% -> -48.59%; at 1e-6 English overproof -31.91%. Not in German (languages.py), where two words often
    # stand at a line break that are also one ("er\nzählte": the one join on dta19-l0 dev, which it made worse,
    # -3.99% -> -3.89%)
    "lost_hyphen_min_p": 1e-7,
    "merge_yield_ratio": 100.0,
    # a learned real-word confusion that reads a long s as f or l ("laid" for "said", "fame" for "same") is weighed
    # only in a document that shows the long s: it prints "ſ", or at least this many of its unknown words are
    # common words with an f read for an s ("moft", "fome"; scoring._long_s_read); None: everywhere
    "long_s_evidence": None,
    # in a document that shows the long s so (long_s_evidence, else historical.LONG_S_MIN such words), an s an edit
    # writes in place of a misread letter inside a word is written "ſ", as the print has it ("moft" -> "moſt"), as
    # the languages with long_s do in a document whose OCR prints it (passes.py). Off: the OCR of such a text never
    # wrote "ſ", and ground truths differ. English held-out train (bench_correct_cv.py --context --damage --params
    # '{"long_s_written": true}' --collect-params '{}'): icdar2017 cMER -30.65% -> -31.98% (its ground truth keeps the
    # print's long s), the others unchanged; dev impresso -19.81% -> -14.93% (one 1805 newspaper whose ground truth
    # writes s). An edition that keeps the print's letters may turn it on
    "long_s_written": False,
    # printed signs (signs.py): sums of money beside other sums ("Is 6d" -> "1s 6d"), and "&c."
    # misreadings after a comma or stop learned from at least etc_min_count training pairs in which they
    # were "&c" at least etc_min_share of the times they were aligned
    # a document (its vocabulary) with fewer than this share of unknown words is left alone; None: off
    # (tried for German at 0.03: on unseen books the nearly clean DTA level-0 pages have more unknown
    # words than on the training books, so it left almost none of them alone; the vetter threshold
    # does that job, see languages.py)
    "clean_oov": None,
    # a document (its vocabulary) with at least this share of unknown words is a noisy one, whose edits need
    # noisy_threshold of the vetter instead of the threshold (in a document full of misreads an edit the vetter
    # doubts is more often right: languages.py, German); None: off
    "noisy_oov": None,
    "noisy_threshold": None,
    "money": True,
    "money_confidence": 0.95,
    # English ordinals whose digits were misread as letters ("2lst", "i8th": signs.py), with this confidence;
    # false: off
    "ordinals": True,
    "ordinal_confidence": 0.95,
    # stray marks at the edges of words and between them, deleted by the fixes the language lists
    # (marks.py, languages.py mark_fixes) with this confidence; mark_fixes false: off
    "mark_fixes": True,
    "mark_confidence": 0.9,
    "etc_min_count": 2,
    "etc_min_share": 0.5,
    # capitalised words printed in mid-sentence that the training pairs had in small letters at least
    # lowered_min_count times and lowered_min_share of the times seen ("In" for "in"), written small with that
    # share as their confidence (casing.py); lowered_min_share None: off
    "lowered_min_count": 5,
    "lowered_min_share": 0.8,
}


Params = make_params_class(DEFAULT_PARAMS)


def default_model_path() -> str:
    return str(resources.files("reissue").joinpath("data", DEFAULT_MODEL_NAME))


def model_path_for(lang: str | None) -> str | None:
    """The shipped correction model of a language (ISO 639-1), or None when reissue has none."""
    if not lang or not re.fullmatch(r"[a-z]{2,3}", lang):
        return None
    p = resources.files("reissue").joinpath("data", f"correct-model-{lang}.json.gz")
    return str(p) if p.is_file() else None


class CorrectionModel:
    def __init__(self, data: dict, *, path: str | None = None, tables: dict | None = None):
        """``tables``: the lookup tables the model file stores (lexicon.py); None: built on first use."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"not a reissue correction model (format {data.get('format') if isinstance(data, dict) else None!r}, expected {FORMAT!r})",
                             path=path, hint="train one with `reissue train` or omit --model")
        self.path = path
        self.data = data
        self.lang = data.get("lang") or "en"
        self.language = language(self.lang)  # what the corrector assumes about it (languages.py)
        try:  # frozen and typed; an unknown key or a value of the wrong type is an error (params.py)
            self.params = Params.build(self.language["params"], data.get("params") or {})
        except ValueError as exc:
            raise ModelError(f"correction model has a bad parameter ({exc})", path=path,
                             hint="see reissue.correct.model.DEFAULT_PARAMS for the parameters and their types") from exc
        self.trained_on = list(data.get("trained_on", []))
        self._tables = tables
        self.gc_frozen = False  # moved out of the garbage collector's reach (engine.Corrector)
        try:
            self.lm = LanguageModel(data.get("unigrams", {}), data.get("bigrams", {}),
                                    weights=tuple(float(x) for x in self.params.lm_weights),
                                    lang=self.language["wordfreq"], symspell=self.language["symspell"],
                                    tables=tables)
            self.lm.floor = float(self.params.oov_p)
            self._build_rules(data.get("char_rules", []))
            self._build_realword(data.get("word_confusions", []))
            self.etc_forms = {o: c / d for o, (c, d) in data.get("etc_forms", {}).items()
                              if c >= self.params.etc_min_count and d and c / d >= self.params.etc_min_share
                              and self.language["signs"]}
            low = self.params.lowered_min_share
            self.lowered = Lowered({}) if low is None else \
                Lowered.of(data.get("lowered", {}), self.params.lowered_min_count, low)
            self.vetter = Vetter(data["edit_filter"]) if data.get("edit_filter") else None
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            raise ModelError(f"correction model is malformed ({type(exc).__name__}: {exc})", path=path,
                             hint="retrain it with `reissue train`") from exc

    def tables(self) -> dict:
        """The lookup tables of the candidate search and scoring (lexicon.py): stored in the model
        file, or built now (once)."""
        if self._tables is None:
            self._tables = lexicon.build(self)
        return self._tables

    @cached_property
    def rule_set(self) -> RuleSet:
        """Its confusions with their indexes (ruleset.py), built on first use."""
        return RuleSet.of(self.rules, self.inserts, self.language["letters"])

    @cached_property
    def caps_rule_set(self) -> RuleSet | None:
        """The confusions of words printed in capitals on top of the others, or None when it has none."""
        if self.caps_rules is None:
            return None
        return RuleSet.of(self.caps_rules, self.caps_inserts, self.language["letters"])

    def _rule_table(self, rows: list, base: dict | None = None) -> tuple[dict, list]:
        """({ocr_sub: [(gt_sub, log p)] best first}, inserts) from rule rows; with base, each rule
        keeps the larger of its two probabilities."""
        min_p = self.params.min_rule_p
        by_ocr: dict[str, dict[str, float]] = defaultdict(dict)
        for osub, lst in (base or {}).items():
            by_ocr[osub].update(lst)
        for osub, gsub, count, denom in rows:
            p = count / max(denom, 1)
            if p < min_p or osub == gsub:
                continue
            lp = math.log(min(p, 0.9))
            if by_ocr[osub].get(gsub, -1e9) < lp:
                by_ocr[osub][gsub] = lp
        table = {o: sorted(v.items(), key=lambda t: -t[1]) for o, v in by_ocr.items() if v}
        return table, table.pop("", [])[:20]  # inserts: OCR dropped a character, insert gsub

    def _build_rules(self, rules: list) -> None:
        self.rules, self.inserts = self._rule_table(rules)
        # words printed in capitals: their own confusions ("B" for "E") on top of the others
        caps = self.data.get("caps_char_rules") or []
        self.caps_rules, caps_ins = self._rule_table(caps, {**self.rules, "": self.inserts}) if caps else (None, None)
        self.caps_inserts = caps_ins

    def _build_realword(self, confs: list) -> None:
        min_c = self.params.realword_min_count
        rw: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for o, g, count, denom in confs:
            if count < min_c or o == g:
                continue
            p = count / max(denom, count, 1)
            rw[o].append((g, math.log(min(p, 0.9))))
        self.realword = dict(rw)

    # -- io
    def save(self, path: str) -> None:
        save_model_dict(self.data, path)


# a model file with its lookup tables (lexicon.py): gzip of MAGIC, the model JSON on one line, the
# tables' header JSON on one line, then the tables' bytes (format 5: strings once, the lexicons' sets
# as runs of them, the other tables as indices; formats 4 and 3, MAGIC_V4 and MAGIC_V3, files of before:
# all tables as indices; format 2, MAGIC_V2: each table its own strings). A file without a MAGIC is the
# model JSON alone (older files, hand-made ones): its tables are built at load.
MAGIC = b"reissue-correct-model-file/5\n"
MAGIC_V4 = b"reissue-correct-model-file/4\n"  # the same container and reader (lexicon.unpack)
MAGIC_V3 = b"reissue-correct-model-file/3\n"  # the same container; its tables all as strings and dicts
MAGIC_V2 = b"reissue-correct-model-file/2\n"
COUNTS = ("unigrams", "bigrams")  # model JSON entries stored with the tables (format 3)


def save_model_dict(data: dict, path: str, *, tables: bool = True) -> None:
    """Write a model file, byte-identical for the same data and installed word lists. ``tables``:
    also store the lookup tables (built now, from ``data`` and the installed packages), so that
    loading it builds nothing."""
    # a loaded model's tables (lexicon.FROZEN_COUNTS) are written as the dicts they stand for
    data = {k: dict(v.items()) if isinstance(v, FrozenTable) else v for k, v in data.items()}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode("utf-8")
    parts = [raw]
    if tables:
        # the word and bigram counts go with the tables (their strings stored once with the others)
        counts = {k: data[k] for k in COUNTS if isinstance(data.get(k), dict)
                  and all(type(v) is int for v in data[k].values())}
        header, blobs = lexicon.pack(CorrectionModel(data, path=path).tables(), counts)
        header["data_keys"] = list(data)
        raw = json.dumps({k: v for k, v in data.items() if k not in counts}, ensure_ascii=False,
                         separators=(",", ":"), sort_keys=False).encode("utf-8")
        parts = [MAGIC, raw, b"\n", json.dumps(header, sort_keys=True).encode("utf-8"), b"\n", *blobs]
    tmp = path + ".tmp"
    with open(tmp, "wb") as fh:
        # mtime=0 keeps the file byte-identical across runs (reproducible builds)
        with gzip.GzipFile(filename="", fileobj=fh, mode="wb", compresslevel=9 if not tables else 6, mtime=0) as gz:
            for part in parts:
                gz.write(part)
    os.replace(tmp, path)


def read_model_file(path: str) -> tuple[dict, dict | None]:
    """(model dict, its stored lookup tables or None) of a model file. The tables are read from
    the stream one at a time, a background thread inflating the file ahead of them (inflate.py)."""
    with open(path, "rb") as raw, Inflated(raw) as fh:
        head = fh.read(len(MAGIC))
        if head not in (MAGIC, MAGIC_V4, MAGIC_V3, MAGIC_V2):
            return json.loads((head + fh.read()).decode("utf-8")), None
        with gc_off():  # millions of strings in a few containers: nothing for the collector to find
            data = json.loads(fh.readline().decode("utf-8"))
            header = json.loads(fh.readline().decode("utf-8"))
            if head == MAGIC_V2:
                return data, lexicon.unpack_v2(header, fh.read(), 0)
            tables = lexicon.unpack(header, fh.read)
            counts = tables.pop("counts")
            return {k: counts[k] if k in counts else data[k] for k in header.get("data_keys", data)}, tables


_CACHE: dict[str, CorrectionModel] = {}


def load_model(path: str | None = None) -> CorrectionModel:
    """Load a correction model (default: the one shipped in the package). Cached per path."""
    p = os.path.abspath(path) if path else default_model_path()
    if p in _CACHE:
        return _CACHE[p]
    if not os.path.isfile(p):
        raise ModelError("correction model file not found", path=p,
                         hint="train one with `reissue train ... -o MODEL` or reinstall reissue" if path else
                         "the package is incomplete: run scripts/train_default_model.py or reinstall reissue")
    try:
        data, tables = read_model_file(p)
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"cannot read correction model ({type(exc).__name__}: {exc})", path=p,
                         hint="it must be a .json.gz written by `reissue train`") from exc
    model = CorrectionModel(data, path=p, tables=tables)
    _CACHE[p] = model
    if data.get("context_model"):  # the context model its vetter weighs: inflated from now on, in a thread
        from .context import inflate_ahead

        inflate_ahead(model)
    return model
