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
# # Robuustheid
#
# Een oordeel over een bewering rust op keuzes die de samenvatting niet noemt: hoe de onzekerheid wordt geschat
# met maar elf hogescholen, hoe een schaalscore wordt berekend, voor welke variabelen wordt gecontroleerd, hoe
# een uitkomst van één vierpuntsvraag wordt behandeld, wat er met ontbrekende antwoorden gebeurt en wat als
# cluster telt. Dit hoofdstuk beoordeelt elke bewering opnieuw onder elke redelijke combinatie van die keuzes
# (een *multiversum* per bewering) en laat zien welke oordelen van een keuze afhangen. Daarna volgt de
# meest besproken uitkomst van het onderzoek: dat meer loopbaanreflectie samengaat met een minder ontwikkelde
# arbeidsidentiteit en minder keuzezekerheid.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
alpha = 0.05
min_cell = 10
seed = 2026
synthetic = True
results_dir = ""
shared_dir = ""  # set by the build: the survey data it read once
workers = 2
multiverse_overrides = {}  # top-level entries replacing those of resources/multiverse.yaml (a smaller design)

# %% tags=["remove-cell"]
from loopbaanleren.robustness import multiverse
from loopbaanleren.robustness.multiverse_design import load_multiverse
from loopbaanleren.book import multiverse_display, paradox
from loopbaanleren.book.chapter_claims import load_survey_data
from loopbaanleren.claims.context import Context
from loopbaanleren.book.formatting import fmt_pct
from loopbaanleren.book.figure_output import set_figure_source, show_figure
from loopbaanleren.book.report import glue_value, link_html, show_table, synthetic_notice
from loopbaanleren.build.executor import make_executor
from loopbaanleren.build.memory import release_free_memory

data = load_survey_data(students_path, counsellors_path, shared_dir)
set_figure_source(data)
mv = load_multiverse(multiverse_overrides)
with make_executor(workers) as executor:
    result = multiverse.run_multiverse(data, executor, alpha=alpha, min_cell=min_cell, seed=seed, mv=mv,
                                       after_task=release_free_memory)
table = multiverse.robustness(result.rows)
depends = multiverse.dependence(result.rows, mv)
if results_dir:
    multiverse_display.write_robustness(table, results_dir)
glue_value("mv_n_specs", len(result.specs), "n")
glue_value("mv_n_claims", len(table), "n")
glue_value("mv_n_rows", len(result.rows), "n")
glue_value("mv_n_tasks", result.tasks, "n")
glue_value("mv_n_volledig", int((table["robustness"] == 1).sum()), "n")
glue_value("mv_n_afhankelijk", depends["id"].nunique(), "n")
glue_value("mv_draws", mv.draws, "n")
glue_value("mv_imputations", mv.imputations, "n")
glue_value("mv_keuzes", multiverse_display.design_text(mv), "text")
glue_value("mv_steekproef_tekst", multiverse_display.sample_text(result, mv), "text")
glue_value("mv_afhankelijk_tekst", multiverse_display.dependence_text(depends, mv), "text")

# %% tags=["remove-input"]
synthetic_notice(synthetic)

# %% [markdown]
# ## De keuzes
#
# Elke keuze heeft een primaire optie, die van de hoofdstukken, en redelijke alternatieven:
# {glue:text}`mv_keuzes`. Niet elke keuze raakt elke bewering: een percentage rust op geen regressiemodel, dus
# alleen de schaalscores en de clusters kunnen het veranderen; de ordinale behandeling geldt alleen voor een
# uitkomst die één vierpuntsvraag is (uitvaldreiging), en brengt daar haar eigen cluster-robuuste toetsing mee
# (CR1 met t(G − 1)); "plus sector" verandert alleen een model dat nog niet voor sector controleert. Een
# specificatie telt voor een bewering alleen als elke keuze erin op die bewering van toepassing is, zodat
# geen bewering twee keer onder dezelfde analyse wordt geteld.
#
# Het volledige product van alle opties zou te lang duren. Het ontwerp kruist daarom de snelle keuzes volledig
# (inferentie CR2 of wilde bootstrap, schaalscores, controlevariabelen, ordinale uitkomst, clusters) en zet de
# trage opties (gemengd model, factorscores, meervoudige imputatie met {glue:text}`mv_imputations` datasets)
# één voor één naast de primaire analyse: {glue:text}`mv_n_specs` specificaties, {glue:text}`mv_n_tasks`
# verschillende analyses. De wilde clusterbootstrap legt de nulhypothese op en trekt
# {glue:text}`mv_draws` keer Webb-gewichten per hogeschool; een "draagt niet bij" is daar gereproduceerd
# als ook twee eenzijdige bootstraptoetsen tegen de equivalentiegrenzen slagen. Na elke specificatie worden de
# toetsen binnen hun onderzoeksvraag gecorrigeerd en beslist zoals in de hoofdstukken.
# {glue:text}`mv_steekproef_tekst` Het ontwerp is zo gekozen dat het hele multiversum bij de omvang van het
# onderzoek binnen twee minuten klaar is op twee processorkernen; hoe lang dit hoofdstuk in deze build
# rekende, staat bij de looptijden in het [Colofon](colophon.md).
#
# ## Per bewering: het aandeel specificaties waarin zij standhoudt
#
# Van de {glue:text}`mv_n_claims` beweringen uit de vragenlijst houden er {glue:text}`mv_n_volledig` stand in
# al hun specificaties; bij {glue:text}`mv_n_afhankelijk` hangt het oordeel van een keuze af.
# {glue:text}`mv_afhankelijk_tekst`

# %% tags=["remove-input"]
show_table(multiverse_display.robustness_table(table), caption="Per bewering: oordeel in de primaire analyse en aandeel gereproduceerd over de specificaties",
           formats={"robuust": fmt_pct, "bewering": link_html})

# %% tags=["remove-input"]
show_table(multiverse_display.dependence_table(depends, mv), caption="Keuzes waarvan een oordeel afhangt",
           formats={"bewering": link_html})

# %% [markdown]
# ## Specificatiecurve van de verbanden
#
# De figuur toont voor elk verband uit hypothese 1 en 2 (en de modellen van de begeleiders) de
# gestandaardiseerde coëfficiënt onder elke specificatie, van klein naar groot, met kleur naar het oordeel.

# %% tags=["remove-input"]
show_figure(*multiverse_display.specification_curve(result.rows[result.rows["kind"].isin(["effect", "null_effect"])],
                                 title="Specificatiecurve van de verbanden"))

# %% [markdown]
# ## De reflectieparadox
#
# De samenvatting meldt dat meer loopbaanreflectie samengaat met méér uitvaldreiging en mínder
# arbeidsidentiteit en keuzezekerheid, en biedt twee verklaringen: mensen gaan pas over hun loopbaan nadenken
# als ze onzeker zijn (reflectie als reactie op onzekerheid), of reflectie roept zelf twijfel op. Een derde
# lezing is dat het een kunstproduct is van vier sterk samenhangende competenties in één regressie: de
# coëfficiënt van reflectie is het verband van wat reflectie *niet* met werkexploratie, loopbaansturing en
# netwerken deelt. De tabel zet voor reflectie de gewone correlatie, de coëfficiënt als enige competentie in
# het model, de partiële coëfficiënt van hypothese 2 en de coëfficiënt zonder elk van de andere competenties
# naast elkaar. {glue:text}`paradox_tekst`

# %% tags=["remove-cell"]
ctx = Context(data, alpha=alpha, min_cell=min_cell)
reflection = paradox.paradox_table(ctx, "h2", "loopbaanreflectie")
glue_value("paradox_tekst", paradox.paradox_text(reflection), "text")

# %% tags=["remove-input"]
show_table(paradox.labelled(reflection), caption="Loopbaanreflectie: correlatie, alleen, partieel en zonder elk van de andere competenties")

# %% tags=["remove-input"]
show_table(paradox.side_by_side(ctx, "h2"), caption="Alle competenties: correlatie naast partiële coëfficiënt (r / β)")

# %% [markdown]
# ### Wat deze data wel en niet kunnen zeggen
#
# Deze gegevens zijn op één moment verzameld. Ze kunnen laten zien of het negatieve verband er alleen is naast
# de andere competenties (suppressie) of ook op zichzelf, en hoe gevoelig het is voor de keuze van de andere
# competenties in het model. Ze kunnen niet uitmaken of onzekerheid tot reflectie leidt of reflectie tot
# onzekerheid: beide verklaringen voorspellen hetzelfde verband op één meetmoment; daarvoor zijn herhaalde
# metingen bij dezelfde studenten of een experiment nodig. Een suppressiepatroon zegt ook niet dat het verband
# "niet echt" is: het beschrijft welk deel van reflectie met minder zekerheid samengaat, het deel dat niet met
# verkennen, sturen en netwerken samenvalt.
#
# Op synthetische data laat deze analyse bovendien alleen zien wat het genererende model erin heeft gelegd: dat
# model geeft reflectie een directe negatieve invloed op arbeidsidentiteit en keuzezekerheid naast een
# gemeenschappelijke factor die de vier competenties laat samenhangen (zie de beschrijving van het model bij de
# gegevens). Wat de tabel hier toont, is dus een eigenschap van de simulatie, geen bevinding over studenten. Op
# de oorspronkelijke gegevens zou dezelfde tabel wel iets zeggen over de derde lezing, niet over de eerste twee.
