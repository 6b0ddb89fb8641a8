"""The qualitative study "Elk lob-gesprek is er 1": coding frame, coded segments, analysis and claims.

Typical use on one's own coded interviews (CSV with columns ``interview`` and ``code``)::

    from loopbaanleren import qualitative as kw
    segments = kw.read_segments("mijn_interviews.csv")
    kw.mention_counts(segments)            # genoemd door n van N, per code
    kw.intercoder_agreement(segments)      # Cohen's kappa and Krippendorff's alpha per code
    kw.evaluate_qualitative_claims(segments)
"""

from loopbaanleren.qualitative.analysis import (
    ALL_CODES,
    cooccurrence,
    intercoder_agreement,
    mention_counts,
    presence_matrix,
)
from loopbaanleren.qualitative.claims import (
    evaluate_qualitative_claim,
    evaluate_qualitative_claims,
    load_qualitative_claims,
)
from loopbaanleren.qualitative.frame import CodingFrame, load_coding_frame
from loopbaanleren.qualitative.segments import read_segments
from loopbaanleren.qualitative.synthetic import is_synthetic, write_synthetic_segments

__all__ = [
    "ALL_CODES",
    "CodingFrame",
    "cooccurrence",
    "evaluate_qualitative_claim",
    "evaluate_qualitative_claims",
    "intercoder_agreement",
    "load_coding_frame",
    "load_qualitative_claims",
    "mention_counts",
    "presence_matrix",
    "read_segments",
    "is_synthetic",
    "write_synthetic_segments",
]
