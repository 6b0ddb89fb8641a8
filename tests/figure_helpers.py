"""Where a figure's text lands in its saved image: :func:`text_problems` lists text cut off at the image's edge,
texts that run into each other and legends that cover other text."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from matplotlib.legend import Legend
from matplotlib.text import Text

from loopbaanleren.book.figure_output import png_bytes

TOLERANCE_PX = 1.0
"""How far (pixels of the saved image) a box may cross the image's edge or another box before it counts."""


@contextmanager
def drawn(kind):
    """Record ``(artist, box in pixels, (width, height) of the image)`` of every ``kind`` (Text, Legend) drawn;
    the list is filled when the block ends."""
    last = {}  # a layout engine may draw a figure more than once; its last drawing is the one saved
    draw = kind.draw

    def recording(self, renderer):
        draw(self, renderer)
        if self.get_visible() and (kind is not Text or self.get_text().strip()):
            last[id(self)] = (self, self.get_window_extent(renderer), renderer.get_canvas_width_height())

    record = []
    with mock.patch.object(kind, "draw", recording):
        yield record
    record.extend(last.values())


def text_problems(fig) -> list[str]:
    """Texts of ``fig``, saved as the book saves it (:func:`loopbaanleren.book.figure_output.png_bytes`), that reach beyond the
    image or overlap another text, and legends that cover a text outside them; empty when the layout is clean."""
    with drawn(Text) as texts, drawn(Legend) as legends:
        png_bytes(fig)
    problems = []
    for text, box, (width, height) in texts:
        inside = box.padded(-TOLERANCE_PX)
        if inside.x0 < 0 or inside.y0 < 0 or inside.x1 > width or inside.y1 > height:
            problems.append(f"cut off at the edge of {width:.0f}×{height:.0f} px: {text.get_text()!r} at "
                            f"{tuple(round(v) for v in box.extents)}")
    for i, (text, box, _) in enumerate(texts):
        for other, other_box, _ in texts[i + 1:]:
            if box.padded(-TOLERANCE_PX).overlaps(other_box.padded(-TOLERANCE_PX)):
                problems.append(f"{text.get_text()!r} overlaps {other.get_text()!r}")
    for legend, frame, _ in legends:
        own = {id(text) for text in [*legend.get_texts(), legend.get_title()]}
        for text, box, _ in texts:
            if id(text) not in own and frame.padded(-TOLERANCE_PX).overlaps(box.padded(-TOLERANCE_PX)):
                problems.append(f"legend {[t.get_text() for t in legend.get_texts()]} covers {text.get_text()!r}")
    return problems
