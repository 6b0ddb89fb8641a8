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
scenario = "default"
synthetic = True
results_dir = ""
shared_dir = ""  # set by the build: the survey data it read once
notebooks_dir = ""
chapters = []  # the notebooks this build runs: the claims link to those chapters
preregistered = {}  # set by a build with --preregistration: per claim "as preregistered" or its deviation

# %% tags=["remove-cell"]
from pathlib import Path

from IPython.display import HTML, Markdown, display
from myst_nb import glue

from loopbaanleren.book import front_page, ledger, replicability, sections
from loopbaanleren.book.build_labels import SCENARIO_NL
from loopbaanleren.book.chapter_graph import chapter_graph
from loopbaanleren.book.preregistered import with_column
from loopbaanleren.robustness import planner
from loopbaanleren.data.registry import load_registry
from loopbaanleren.data.synthetic_segments import is_synthetic
from loopbaanleren.claims.qualitative_analysis import mention_counts
from loopbaanleren.data.segments import read_segments
from loopbaanleren.book.report import glue_value, link_html, show_table, synthetic_notice, table_block_html
from loopbaanleren.book.own_data import not_measured_notice
from loopbaanleren.book.rule_tables import rules_table, vocabulary_table

data = sections.open_data(sections.ChapterParams.of(globals()))
# the build always passes the interviews it uses; an empty path means the interview study is left out
segments = read_segments(interviews_path) if interviews_path else None
sources = {f.population: "synthetic" if f.synthetic else f.file for f in map(front_page.DataFile.of, data.values())}
if interviews_path:
    sources["interviews"] = "synthetic" if is_synthetic(interviews_path) else Path(interviews_path).name
graph = chapter_graph(notebooks_dir)  # the build's project; run by hand, the one at or above this folder
claims = ledger.with_design_reasons(ledger.assemble(results_dir, segments, alpha, min_cell, graph=graph), sources, scenario)
claims = with_column(claims, preregistered)
links = ledger.chapter_links(claims, graph.path.parent, chapters, graph)
page = front_page.make_page(claims, links, data, scenario, None if segments is None else mention_counts(segments),
                            simulated_interviews=bool(interviews_path) and is_synthetic(interviews_path), alpha=alpha)
if results_dir:
    ledger.write_claims_csv(claims, results_dir, sources)
simulated = ledger.on_simulated_data(claims, sources)  # in a book on own data: not counted with it
counts = ledger.verdict_counts(claims, simulated)
rules = load_registry().rules
independent = claims[~claims["derived"].fillna(False).astype(bool) & ~simulated]
glue_value("ledger_n_claims", len(independent), "n")
glue_value("ledger_n_reproduced", int((independent["verdict"] == "reproduced").sum()), "n")
glue_value("ledger_n_derived", len(claims) - len(independent), "n")
glue_value("ledger_registry", replicability.registry_text(replicability.registry_counts()), "text")
glue_value("ledger_scenario", SCENARIO_NL[scenario], "text")
glue("regels_tabel", HTML(table_block_html(rules_table(alpha, rules["equivalence_bound"]), "Regels per soort bewering")),
     display=False)
glue("woorden_tabel", HTML(table_block_html(vocabulary_table(load_registry().vocabulary, load_registry()),
                                            "Woorden voor grootte")), display=False)
stored = planner.load_result()
fair = replicability.fair_chance(claims, len(data["students"]), len(data["counsellors"]), stored)
glue_value("ledger_fair_r", stored.replications, "n")
for key, block in front_page.front_page_blocks(page).items():
    glue(key, HTML(block), display=False)

# %% tags=["remove-input"]
synthetic_notice(synthetic and not page.replication)
not_measured_notice(data)
if synthetic and not page.replication:
    display(Markdown(f"Scenario van de synthetische data: **{SCENARIO_NL[scenario]}**."))
if page.replication:
    display(HTML(front_page.replication_notice(page.files)))

# %% [markdown]
# ## Hoe een bewering wordt beoordeeld
#
# De beweringen worden berekend in de hoofdstukken per onderzoeksvraag, elk met dezelfde definitie per soort
# bewering; de beweringen van het kwalitatieve onderzoek worden hier op de gecodeerde interviews getoetst. Elke
# bewering krijgt een van vier oordelen: gereproduceerd (de data steunen haar), niet gereproduceerd (de data
# spreken haar tegen), onbeslist (de data zijn niet precies genoeg) of niet te berekenen. De tabel hieronder
# komt uit dezelfde definities als de berekening; de [Werkwijze](methods.md) verantwoordt de marges en grenzen.

# %% tags=["remove-input"]
show_table(rules_table(alpha, rules["equivalence_bound"]), caption="Regels per soort bewering")

# %% [markdown]
# ## Per onderzoeksvraag
#
# Van de {glue:text}`ledger_n_claims` zelfstandige beweringen zijn er {glue:text}`ledger_n_reproduced` gereproduceerd.
# De {glue:text}`ledger_n_derived` afgeleide beweringen (de hypothesen en beweringen die uit andere volgen) staan
# in de tabel met hun oordeel, maar tellen in geen totaal mee. {glue:text}`ledger_registry`

# %% tags=["remove-input"]
display(Markdown("\n".join(f"- {ledger.summary_line(row)}" for _, row in counts.iterrows())))

# %% [markdown]
# ## Alle beweringen
#
# Eén rij per bewering, in de volgorde van de samenvatting: haar id (de links van de voorpagina wijzen naar deze
# rij), wat zij beweert (het onderwerp en wat de data moeten laten zien), het gepubliceerde en het gevonden getal
# en het oordeel. Onder *meer* staan de zin uit de samenvatting, het 95%-betrouwbaarheidsinterval, bij een toets de
# Holm-gecorrigeerde p-waarde, het aantal respondenten en het hoofdstuk waar de bewering wordt berekend.
# *Gepreregistreerd* zegt, bij een build die tegen een preregistratie is gecontroleerd, of de bewering is
# geanalyseerd zoals gepreregistreerd. *Robuust* is, als het hoofdstuk Robuustheid in deze build is uitgevoerd, het
# aandeel van de redelijke alternatieve analyses waarin de bewering gereproduceerd is. De downloads onder de tabel
# hebben alle kolommen; dezelfde rijen staan, machineleesbaar, in `results/claims.csv`.

# %% tags=["remove-input"]
everything = ledger.ledger_table(claims, links, simulated)
display(HTML('<div class="ll-ledger">' + table_block_html(
    everything,
    caption="Alle beweringen met hun uitkomst",
    formats={"bewering": ledger.claim_cell_html},
    name="beweringen",
    interactive=True,
    xlsx=True,
    anchors=claims["id"].to_list(),
    shown=ledger.ledger_main_table(claims, everything),
) + "</div>"))

# %% [markdown]
# ## Had elke bewering een eerlijke kans?
#
# Een bewering die niet gereproduceerd of onbeslist is, kan door de data zijn weersproken, of de steekproef was te
# klein om haar te bevestigen. Voor elke zulke bewering staat hieronder de kans dat zij bij de omvang van deze
# data gereproduceerd wordt als het model van het oorspronkelijke onderzoek klopt, geïnterpoleerd uit de
# berekening van het hoofdstuk [Herhaalbaarheid](91_herhaalbaarheid) ({glue:text}`ledger_fair_r` gesimuleerde
# datasets per omvang). Onder de 80% had de bewering bij deze omvang geen eerlijke kans.

# %% tags=["remove-input"]
if len(fair):
    show_table(fair, caption="Beweringen die niet gereproduceerd of onbeslist zijn, met hun kans bij deze omvang",
               formats={"bewering": link_html})
else:
    display(Markdown("Alle beweringen zijn gereproduceerd of niet te berekenen."))
