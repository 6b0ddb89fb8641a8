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
# # Herhaalbaarheid
#
# Wie dit onderzoek wil herhalen, vraagt eerst: hoeveel studenten en begeleiders zijn er nodig om elke bewering
# te kunnen beoordelen? Dit hoofdstuk beantwoordt die vraag per bewering. Het gegenereerde model (zie
# *Gegevens*) maakt vele gesimuleerde datasets van een gegeven omvang; op elke dataset worden alle beweringen
# beoordeeld met dezelfde regels als in de rest van dit boek. Elke dataset is getrokken zoals een onderzoeker
# een steekproef trekt: hele hogescholen, en daarbinnen studenten en begeleiders willekeurig, zodat de
# samenstelling naar sector van steekproef tot steekproef verschilt. Het aandeel datasets waarin een bewering
# *gereproduceerd* is, is haar kans om gereproduceerd te worden (het onderscheidingsvermogen) bij die omvang.
# In het *nulscenario* is elke bewering in het model naar haar tegendeel gezet; daar is elke reproductie
# onterecht.

# %% tags=["parameters"]
alpha = 0.05
min_cell = 10

# %% tags=["remove-cell"]
from IPython.display import Markdown, display

from loopbaanleren.robustness import planner
from loopbaanleren.book import replicability
from loopbaanleren.book.formatting import fmt_n, fmt_pct
from loopbaanleren.book.figure_output import show_figure
from loopbaanleren.book.report import glue_value, link_html, show_table

result = planner.load_result()
meta = result.meta
original = planner.original_size()
sizes = replicability.sizes(result)
glue_value("hh_r", result.replications, "n")
glue_value("hh_seed", str(result.seed), "text")
glue_value("hh_n_claims", len(planner.planned_claims()), "n")
glue_value("hh_registry", replicability.registry_text(replicability.registry_counts()), "text")
glue_value("hh_sizes", "; ".join(f"{fmt_n(s)} studenten en {fmt_n(c)} begeleiders" for s, c in sizes), "text")
glue_value("hh_original", f"{fmt_n(original.n_students)} studenten en {fmt_n(original.n_counsellors)} begeleiders", "text")
glue_value("hh_target", planner.TARGET_POWER, "pct")
glue_value("hh_mcse", 0.5 / result.replications**0.5, "pct", digits=1)
stale = planner.warn_if_stale(result)
glue_value("hh_current", "met de beweringen, beoordelingsregels en het model van deze versie" if not stale else
           "met een eerdere versie van de beweringen, de beoordelingsregels of het model", "text")
glue_value("hh_stale", "" if not stale else " Let op: die zijn sindsdien gewijzigd, dus de cijfers op deze pagina "
           "kunnen afwijken van wat deze versie zou geven.", "text")
glue_value("hh_hogescholen", meta.get("hogescholen", planner.total_hogescholen()), "n")
same_rules = meta.get("alpha") == alpha and meta.get("min_cell") == min_cell
glue_value("hh_rules", "" if same_rules else
           f" Let op: deze build gebruikt α = {alpha} en een minimale groep van {min_cell}; de opgeslagen "
           f"berekening is gemaakt met α = {meta.get('alpha')} en {meta.get('min_cell')}.", "text")
false_rate = replicability.false_reproduction_rate(result)
glue_value("hh_false", "niet berekend" if false_rate is None else fmt_pct(false_rate, 1), "text")
kinds = replicability.kind_table(result)
glue_value("hh_null_note", replicability.null_note(result), "text")

# %% [markdown]
# De cijfers op deze pagina komen uit een opgeslagen berekening van {glue:text}`hh_r` gesimuleerde datasets per
# omvang en scenario (seed {glue:text}`hh_seed`), gemaakt {glue:text}`hh_current`, voor
# {glue:text}`hh_n_claims` beweringen uit de enquête, bij de omvang {glue:text}`hh_sizes`, telkens uit
# {glue:text}`hh_hogescholen` willekeurig gekozen hogescholen. De oorspronkelijke omvang is
# {glue:text}`hh_original`. Bij zo'n aantal datasets heeft een kans een Monte-Carlo-standaardfout van hooguit
# ½/√R = {glue:text}`hh_mcse`; de tabel per soort geeft bij elk gemiddelde de standaardfout (±, in
# procentpunten).{glue:text}`hh_rules` Een nieuwe berekening maakt `loopbaanleren plan` (zie de README).
# {glue:text}`hh_registry`
#
# ## Per soort bewering
#
# Over alle beweringen die niet uit andere volgen, is de kans op een onterechte reproductie in het nulscenario
# bij de oorspronkelijke omvang {glue:text}`hh_false`. {glue:text}`hh_null_note`

# %% tags=["remove-input"]
show_table(kinds, caption="Per soort bewering, bij de oorspronkelijke omvang: de gemiddelde kans op gereproduceerd, "
           "het aantal beweringen met minstens 80% kans, en de kans op een onterechte reproductie in het nulscenario")

# %% tags=["remove-input"]
show_figure(*replicability.kind_curves(result))

# %% [markdown]
# ## De moeilijkste beweringen
#
# De vijf beweringen met de kleinste kans bij de oorspronkelijke omvang (bij gelijke kans: die de grootste
# steekproef nodig hebben), met de omvang die zij voor {glue:text}`hh_target` kans nodig hebben.

# %% tags=["remove-input"]
show_table(replicability.hardest_table(result), caption="De vijf moeilijkste beweringen", formats={"bewering": link_html})

# %% [markdown]
# ## Per onderzoeksvraag

# %% tags=["remove-input"]
display(Markdown("\n".join(f"- {line}" for line in replicability.rq_sentences(result).values())))

# %% [markdown]
# ## Per bewering
#
# De kans op *gereproduceerd* bij de oorspronkelijke omvang en bij elke berekende omvang (studenten /
# begeleiders), en de omvang die nodig is voor {glue:text}`hh_target` kans. Een bewering over studenten hangt af
# van het aantal studenten, een bewering over begeleiders of over beide groepen van het aantal begeleiders.

# %% tags=["remove-input"]
show_table(replicability.claim_table(result), caption="Kans op gereproduceerd per bewering en omvang",
           formats={"bewering": link_html})
