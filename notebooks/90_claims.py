# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Overzicht van de beweringen
#
# Deze pagina zet elke bewering uit de managementsamenvatting en uit de samenvatting van het kwalitatieve
# onderzoek naast de uitkomst van deze build: het gepubliceerde getal, het gevonden getal met zijn
# 95%-betrouwbaarheidsinterval of p-waarde, het oordeel, en een link naar de plaats in het hoofdstuk waar de
# bewering wordt berekend. De voorpagina vertelt de managementsamenvatting met dezelfde uitkomsten.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
interviews_path = ""
alpha = 0.05
min_cell = 10
seed = 2026
synthetic = True
results_dir = ""
notebooks_dir = ""

# %% tags=["remove-cell"]
import tempfile
from pathlib import Path

from IPython.display import HTML, Markdown, display
from myst_nb import glue

from loopbaanleren import front_page, ledger
from loopbaanleren.chapter import load_survey_data
from loopbaanleren.claims import load_registry
from loopbaanleren.pipeline import Layout
from loopbaanleren.qualitative import mention_counts, read_segments, write_synthetic_segments
from loopbaanleren.report import glue_value, show_table, synthetic_notice

data = load_survey_data(students_path, counsellors_path)
if not interviews_path:
    interviews_path = write_synthetic_segments(Path(tempfile.mkdtemp()) / "interviews_synthetic.csv", seed)
segments = read_segments(interviews_path)
claims = ledger.assemble(results_dir, segments, alpha, min_cell)
if results_dir:
    ledger.write_claims_csv(claims, results_dir)
links = ledger.chapter_links(claims, notebooks_dir or Layout().notebooks)
page = front_page.make_page(claims, links, data, mention_counts(segments))
counts = ledger.verdict_counts(claims)
rules = load_registry().rules
glue_value("ledger_n_claims", len(claims), "n")
glue_value("ledger_n_reproduced", int((claims["verdict"] == "reproduced").sum()), "n")
glue_value("ledger_alpha", alpha, "num")
glue_value("ledger_min_cell", min_cell, "n")
glue_value("ledger_n_hogescholen", page.facts["n_hogescholen"], "n")
glue_value("ledger_tol_pct_students", rules["tolerance"]["percentage"]["students"], "pct")
glue_value("ledger_tol_pct_counsellors", rules["tolerance"]["percentage"]["counsellors"], "pct")
glue_value("ledger_tol_mean_students", rules["tolerance"]["mean"]["students"], "num")
glue_value("ledger_tol_mean_counsellors", rules["tolerance"]["mean"]["counsellors"], "num")
glue_value("ledger_near_margin", rules["near_margin"], "num")
glue_value("ledger_bound", rules["equivalence_bound"], "num")
for key, block in front_page.front_page_blocks(page).items():
    glue(key, HTML(block), display=False)

# %% tags=["remove-input"]
synthetic_notice(synthetic and not page.replication)
if page.replication:
    display(HTML(front_page.replication_notice(page.files)))

# %% [markdown]
# ## Hoe een bewering wordt beoordeeld
#
# De beweringen worden berekend in de hoofdstukken per onderzoeksvraag, elk met dezelfde definitie per soort
# bewering; de beweringen van het kwalitatieve onderzoek worden hier op de gecodeerde interviews getoetst.
#
# - Een gepubliceerd percentage is gereproduceerd als het gevonden percentage er hooguit
#   {glue:text}`ledger_tol_pct_students` (studenten) of {glue:text}`ledger_tol_pct_counsellors` (begeleiders)
#   van afwijkt; een gemiddelde hooguit {glue:text}`ledger_tol_mean_students` (studenten) of
#   {glue:text}`ledger_tol_mean_counsellors` (begeleiders) schaalpunt. "Matig" en "enigermate" betekenen dat het
#   95%-betrouwbaarheidsinterval van het gemiddelde binnen {glue:text}`ledger_near_margin` schaalpunt van het
#   schaalmidden ligt.
# - Een richting (hoger, lager, een positief of negatief verband) is gereproduceerd als de data dezelfde richting
#   tonen en de toets significant is bij α = {glue:text}`ledger_alpha`, na Holm-correctie binnen de
#   onderzoeksvraag.
# - De respondenten zijn genest in {glue:text}`ledger_n_hogescholen` hogescholen. Gemiddelden, aandelen en
#   contrasten tussen sectoren hebben daarom cluster-robuuste standaardfouten (CR1) met t(G − 1) vrijheidsgraden;
#   de regressies zijn gemengde modellen met een random intercept per hogeschool, met een OLS-model met
#   cluster-robuuste fouten als controle in de hoofdstukken.
# - "Draagt niet bij" is gereproduceerd als het 90%-betrouwbaarheidsinterval van de gestandaardiseerde
#   coëfficiënt binnen ±{glue:text}`ledger_bound` ligt (equivalentietoets, TOST).
# - Een bewering is niet te berekenen als het hoofdstuk ervan in deze build niet is uitgevoerd, of als de data
#   haar niet dragen: een ontbrekende variabele, of een sector die ontbreekt of minder dan
#   {glue:text}`ledger_min_cell` respondenten heeft. De reden staat in de tabel.
#
# ## Per onderzoeksvraag
#
# Van de {glue:text}`ledger_n_claims` beweringen zijn er {glue:text}`ledger_n_reproduced` gereproduceerd.

# %% tags=["remove-input"]
display(Markdown("\n".join(f"- {ledger.summary_line(row)}" for _, row in counts.iterrows())))

# %% [markdown]
# ## Alle beweringen
#
# Eén rij per bewering, in de volgorde van de samenvatting. *Getoetst* zegt wat de data moeten laten zien;
# *gevonden* is het berekende getal, met zijn 95%-betrouwbaarheidsinterval en, bij een toets, de
# Holm-gecorrigeerde p-waarde. Dezelfde rijen staan, machineleesbaar, in `results/claims.csv`.

# %% tags=["remove-input"]
show_table(
    ledger.ledger_table(claims, links),
    caption="Alle beweringen met hun uitkomst",
    formats={"hoofdstuk": ledger.link_html},
    name="beweringen",
    interactive=True,
    xlsx=True,
    anchors=claims["id"].to_list(),
)
