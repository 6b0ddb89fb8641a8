"""Figures in the book: a matplotlib figure as a PNG that scales to its column and opens at full size, with a caption
naming the data it rests on and the data behind it as a download (:func:`show_figure` in a notebook)."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from matplotlib.text import Text

from loopbaanleren.book.build_labels import ROLE_NL
from loopbaanleren.book.escape import html_text
from loopbaanleren.book.figures import dutch_numbers
from loopbaanleren.book.formatting import fmt_n
from loopbaanleren.book.report import download_links, slug
from loopbaanleren.data.codebook import POPULATIONS

FIGURE_DPI = 200
"""Resolution of a figure's PNG: sharp on a phone's screen (about 2.7 device pixels per CSS px at 342 px)."""

CSS_DPI = 96
"""CSS pixels per inch: a figure of ``w`` inches is ``w * 96`` px wide at its physical size."""

DISPLAY_SCALE = 1.25
"""A figure is shown as wide as its column, at most this many times its physical size (its text then 15 px)."""


def png_bytes(fig, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG at its own size (no tight bounding box); constrained layout keeps the labels inside,
    every numeric axis Dutch (:func:`~loopbaanleren.book.figures.dutch_numbers`).

    The layout engine runs once before saving and ``savefig`` solves the layout again: the axes' size decides
    which ticks they get, so the second solution measures the tick labels of the axes at the size they are drawn.
    Running only the layout engine beforehand, not a full draw, gives the same image.
    """
    dutch_numbers(fig)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    fig.get_layout_engine().execute(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def smallest_font_pt(fig) -> float:
    """The size (points) of the smallest visible, non-empty text of a figure."""
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    sizes += [label.get_fontsize() for ax in fig.axes for label in ax.get_xticklabels() + ax.get_yticklabels()
              if label.get_visible() and label.get_text().strip()]
    return float(min(sizes)) if sizes else 10.0


FIGURE_SOURCE: dict[str, str] = {}
"""The data the figures of this kernel's chapter rest on, set once per chapter by :func:`set_figure_source`."""


def set_figure_source(data: Mapping[str, pd.DataFrame]) -> str:
    """Name the survey data under every figure of the chapter from now on ("Bron: …"); return that line.

    Each population is named by its origin (synthetic, or the user's file) and its number of respondents.

    >>> frame = pd.DataFrame({"x": range(3)})
    >>> frame.attrs |= {"synthetic": False, "source": "/data/mijn_studenten.sav"}
    >>> set_figure_source({"students": frame})
    'Bron: mijn_studenten.sav, 3 studenten'
    """
    parts = []
    for population, frame in data.items():
        if frame is None or population not in POPULATIONS:
            continue
        origin = "synthetische data" if frame.attrs.get("synthetic", True) else Path(str(frame.attrs.get("source", ""))).name
        parts.append(f"{origin}, {fmt_n(len(frame))} {ROLE_NL[population]}")
    FIGURE_SOURCE["text"] = "Bron: " + "; ".join(parts) if parts else ""
    return FIGURE_SOURCE["text"]


def figure_html(fig, alt: str, caption: str | None = None, data: pd.DataFrame | None = None,
                name: str = "figuur", extra_class: str = "") -> str:
    """A figure as HTML: a PNG that scales to its column, a caption naming the data it rests on (see
    :func:`set_figure_source`) and the data behind it as CSV.

    The image is as wide as its column and at most :data:`DISPLAY_SCALE` times its physical width, never cropped;
    the figures are drawn so that their text stays readable on a phone (:data:`~loopbaanleren.book.figures.PAGE_WIDTH`).
    The image is a button: a click, a tap or Enter opens it at full size (``figures.js`` in the package's static
    files), Escape closes it. The ``data-min-font-pt`` and ``data-width-in`` attributes let a test measure the
    displayed text size. ``extra_class`` is a second class: the figure is styled as the others but is not one of
    the book's numbered figures (:data:`loopbaanleren.book.figure_numbers.FIGURE_START` is the first class alone).
    """
    if not alt.strip():
        raise ValueError("a figure needs a non-empty alt text")
    png = base64.b64encode(png_bytes(fig)).decode("ascii")  # drawing first creates the tick labels measured below
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    font_pt = smallest_font_pt(fig)
    text = html_text(" ".join(alt.split()))
    shown = html_text(" ".join((caption or alt).split()))
    if FIGURE_SOURCE.get("text"):
        shown += f' <span class="ll-bron">({html_text(FIGURE_SOURCE["text"])})</span>'
    downloads = download_links(data, name) if data is not None else ""
    return (
        f'<figure class="{" ".join(["ll-figure", extra_class]).strip()}" style="--ll-figure-width:{width_in * CSS_DPI * DISPLAY_SCALE:.0f}px">'
        f'<button type="button" class="ll-figure-open" aria-label="Vergroten">'
        f'<img src="data:image/png;base64,{png}" alt="{text}" data-min-font-pt="{font_pt:g}" '
        f'data-width-in="{width_in:g}" width="{width_in * CSS_DPI:.0f}" height="{height_in * CSS_DPI:.0f}">'
        f"</button><figcaption>{shown}</figcaption></figure>{downloads}"
    )


def show_figure(fig, alt: str, data: pd.DataFrame | None = None, caption: str | None = None,
                name: str | None = None) -> None:
    """Display a matplotlib figure with ``alt`` as its HTML alt text (and caption), and close it.

    ``data``, the table the figure draws, becomes a CSV download under the figure (see :func:`figure_html`).
    """
    block = figure_html(fig, alt, caption, data, name or slug(caption or alt))
    plt.close(fig)
    display(HTML(block))
