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
# # De leeromgeving
#
# *Onderzoeksvraag 1: In welke mate is de leeromgeving in het hoger beroepsonderwijs praktijk- en vraaggericht?*
#
# Loopbaanleren vraagt om een leeromgeving waarin studenten echte ervaringen in de beroepspraktijk opdoen
# (praktijkgericht) en waarin hun eigen vragen richting geven aan wat zij leren (vraaggericht). Dit hoofdstuk
# legt elke bewering van de samenvatting over die leeromgeving naast de gegevens: eerst het oordeel van
# studenten en studieloopbaanbegeleiders over de leeromgeving als geheel, dan de verschillen tussen sectoren,
# dan de afzonderlijke vragen achter de percentages.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
alpha = 0.05
min_cell = 10
synthetic = True
results_dir = ""
shared_dir = ""  # set by the build: the survey data it read once
seed = 2026
n_boot = 200  # bootstrap resamples for the confidence interval of omega

# %% tags=["remove-input"]
from loopbaanleren.book import data_sections, sections
from loopbaanleren.book.sections import Chapter, ChapterParams

chapter = Chapter.open("01_leeromgeving", ChapterParams.of(globals()))
environment = ["praktijkgericht", "vraaggericht"]

# %% [markdown]
# ## Hoe de beweringen getoetst zijn
#
# Elke bewering komt uit het register van beweringen en wordt in alle hoofdstukken op dezelfde manier beoordeeld,
# met een van vier oordelen: gereproduceerd, niet gereproduceerd, onbeslist (de data zijn niet precies genoeg) of
# niet te berekenen. De regels per soort bewering staan in de [Werkwijze](methods.md). Een percentage of
# gemiddelde heeft een marge rond de gepubliceerde waarde die volgt uit de steekproeffout van het oorspronkelijke
# onderzoek; de marge staat per bewering in de tabel.
#
# Studenten en begeleiders zijn genest in {glue:text}`n_hogescholen` hogescholen. Gemiddelden, percentages,
# gepaarde verschillen, contrasten en verschillen tussen begeleiders en studenten krijgen daarom cluster-robuuste
# standaardfouten volgens CR2 met Bell–McCaffrey-vrijheidsgraden. De {glue:text}`n_getoetst` getoetste
# beweringen van deze onderzoeksvraag zijn samen gecorrigeerd voor meervoudig toetsen volgens Holm, bij α =
# {glue:text}`alpha`.
# Per sector tonen de tabellen daarnaast Welch' variantieanalyse met η² en ω² en de paarsgewijze vergelijkingen
# volgens Games–Howell, over de sectoren met ten minste {glue:text}`min_cell` respondenten; kleinere sectoren
# worden niet getoond.
#
# Bij een bewering staat in de tekst wat deze gegevens laten zien: de gevonden waarde met tussen vierkante haken
# het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie (bij een getoetste bewering) en het oordeel.

# %% [markdown]
# ## Betrouwbaarheid van de schalen
#
# Praktijk- en vraaggerichtheid zijn schalen van elk vijf stellingen, in een studenten- en een
# begeleidersversie. De tabel geeft Cronbachs α met het interval volgens Feldt en McDonalds ω met een
# bootstrap-interval.

# %% tags=["remove-input"]
scales = {"students": environment, "counsellors": environment}
caption = "Betrouwbaarheid van de schalen praktijk- en vraaggerichtheid"
data_sections.reliability(chapter.data, scales, seed, n_boot, caption).show()

# %% [markdown]
# ## Weinig praktijkgericht en nog minder vraaggericht
#
# *"Het hoger beroepsonderwijs in het geheel is weinig praktijkgericht en nog minder vraaggericht."*
#
# Studenten beoordelen zowel de praktijkgerichtheid van hun opleiding (gemiddeld
# {glue:text}`rq1_s_pg_onder_uitslag`) als de vraaggerichtheid (gemiddeld {glue:text}`rq1_s_vg_onder_uitslag`)
# onder het schaalmidden. Binnen dezelfde studenten ligt praktijkgerichtheid hoger dan vraaggerichtheid (verschil
# in punten: {glue:text}`rq1_s_pg_boven_vg_uitslag`).
#
# *"Studieloopbaanbegeleiders vinden de opleidingen waarbinnen zij werken, net als de studenten, enigermate
# praktijkgericht en slechts in zeer geringe mate vraaggericht."*
#
# Begeleiders geven de praktijkgerichtheid gemiddeld een score dicht bij het schaalmidden
# ({glue:text}`rq1_c_pg_enigermate_uitslag`) en de vraaggerichtheid een score eronder
# ({glue:text}`rq1_c_vg_onder_uitslag`). Praktijkgerichtheid ligt ook bij hen hoger (verschil in punten:
# {glue:text}`rq1_c_pg_boven_vg_uitslag`).

# %% tags=["remove-input"]
title = "Praktijk- en vraaggerichtheid volgens studenten en begeleiders"
caption = "Gemiddelde scores (1 = helemaal mee oneens, 4 = helemaal mee eens)"
sections.levels(chapter, ("students", "counsellors"), environment, title, caption).show()

# %% [markdown]
# ## Verschillen tussen sectoren
#
# *"De sectoren Techniek en Economie scoren op zowel praktijk- als vraaggerichtheid significant lager dan de
# andere sectoren."* Per schaal volgen een figuur met het gemiddelde per sector en een tabel met de
# sectoren die volgens Games–Howell significant van elkaar verschillen.

# %% tags=["remove-cell"]
comparisons = {
    key: sections.sector_comparison(chapter, population, measure, focal, key)
    for key, population, measure, focal in (
        ("rq1_s_pg", "students", "praktijkgericht", ("Techniek", "Economie")),
        ("rq1_s_vg", "students", "vraaggericht", ("Techniek", "Economie")),
        ("rq1_c_pg", "counsellors", "praktijkgericht", ("Techniek", "Economie")),
        ("rq1_c_vg", "counsellors", "vraaggericht", ("Economie",)),
    )
}

# %% [markdown]
# ### Studenten: praktijkgerichtheid
#
# Studenten uit Techniek en Economie vinden hun opleiding minder praktijkgericht dan studenten uit de andere
# sectoren: {glue:text}`rq1_s_pg_contrast`. Het verschil is {glue:text}`rq1_s_pg_contrast_te_uitslag`. Over
# alle sectoren: {glue:text}`rq1_s_pg_anova`.

# %% tags=["remove-input"]
comparisons["rq1_s_pg"].show()

# %% [markdown]
# ### Studenten: vraaggerichtheid
#
# Ook op vraaggerichtheid liggen Techniek en Economie lager: {glue:text}`rq1_s_vg_contrast`. Het verschil is
# {glue:text}`rq1_s_vg_contrast_te_uitslag`. Over alle sectoren: {glue:text}`rq1_s_vg_anova`.

# %% tags=["remove-input"]
comparisons["rq1_s_vg"].show()

# %% [markdown]
# ### Begeleiders: praktijkgerichtheid
#
# *"De studieloopbaanbegeleiders werkzaam binnen de sectoren Techniek en Economie vinden deze sector significant
# minder praktijkgericht dan de studieloopbaanbegeleiders die werkzaam zijn in andere sectoren."* In deze gegevens:
# {glue:text}`rq1_c_pg_contrast`; het verschil is {glue:text}`rq1_c_pg_contrast_te_uitslag`. Over alle sectoren:
# {glue:text}`rq1_c_pg_anova`.

# %% tags=["remove-input"]
comparisons["rq1_c_pg"].show()

# %% [markdown]
# ### Begeleiders: vraaggerichtheid
#
# *"De studieloopbaanbegeleiders werkzaam binnen de sector Economie vinden deze sector significant minder
# vraaggericht dan de studieloopbaanbegeleiders die werkzaam zijn in andere sectoren."* In deze gegevens:
# {glue:text}`rq1_c_vg_contrast`; het verschil is {glue:text}`rq1_c_vg_contrast_e_uitslag`. Over alle sectoren:
# {glue:text}`rq1_c_vg_anova`.

# %% tags=["remove-input"]
comparisons["rq1_c_vg"].show()

# %% [markdown]
# ## Een naar binnen gerichte opleiding
#
# *"Het hoger beroepsonderwijs blijkt nog erg 'naar binnen gericht'."* De figuren tonen de antwoorden op de
# afzonderlijke vragen achter de percentages van de samenvatting; de tabel onder de figuren zet per bewering het
# gepubliceerde en het gevonden percentage naast elkaar.
#
# Het aandeel studenten volgens wie
#
# * ervaringen buiten de school niet meetellen voor de studie: {glue:text}`rq1_s_buiten_telt_niet_uitslag`
#   (gepubliceerd: {glue:text}`rq1_s_buiten_telt_niet_gepubliceerd`);
# * hun opleiding hen niet stimuleert om ervaringen op te doen buiten de school:
#   {glue:text}`rq1_s_niet_gestimuleerd_uitslag` (gepubliceerd: {glue:text}`rq1_s_niet_gestimuleerd_gepubliceerd`);
# * zij op school geholpen worden om de opdrachten te kiezen die het beste bij hen passen:
#   {glue:text}`rq1_s_geholpen_kiezen_uitslag` (gepubliceerd: {glue:text}`rq1_s_geholpen_kiezen_gepubliceerd`);
# * zij verantwoordelijk gemaakt worden maar zich daarin alleen gelaten voelen:
#   {glue:text}`rq1_s_alleen_gelaten_uitslag` (gepubliceerd: {glue:text}`rq1_s_alleen_gelaten_gepubliceerd`);
# * de docenten uiteindelijk toch voorschrijven hoe zij hun eigen verantwoordelijkheid moeten invullen:
#   {glue:text}`rq1_s_docent_schrijft_voor_uitslag` (gepubliceerd:
#   {glue:text}`rq1_s_docent_schrijft_voor_gepubliceerd`).

# %% tags=["remove-input"]
statements = [
    "le_buiten_telt_mee", "le_buiten_gestimuleerd", "le_geholpen_kiezen", "le_alleen_gelaten", "le_docent_schrijft_voor"
]
title, caption = "Stellingen over de leeromgeving (studenten)", "Antwoorden op de stellingen (studenten)"
sections.shares(chapter, "students", statements, title, caption).show()

# %% [markdown]
# Wat studenten in hun praktijkstage gaan doen, wordt bepaald door de stage die ze krijgen toegewezen
# ({glue:text}`rq1_s_stage_toegewezen_uitslag`; gepubliceerd: {glue:text}`rq1_s_stage_toegewezen_gepubliceerd`)
# dan wel door de leeropdrachten van de opleiding ({glue:text}`rq1_s_stage_opdrachten_uitslag`; gepubliceerd:
# {glue:text}`rq1_s_stage_opdrachten_gepubliceerd`). In de figuur staan deze twee antwoorden links van de nullijn,
# de antwoorden waarin de student zelf of met de praktijkbegeleider richting geeft rechts.
#
# Het aandeel studenten dat ontkennend antwoordt op de vraag of zij in hun studieprogramma zelf keuzes kunnen
# maken: {glue:text}`rq1_s_geen_keuzes_uitslag` (gepubliceerd: {glue:text}`rq1_s_geen_keuzes_gepubliceerd`); op
# de vraag of zij uit verschillende opdrachten kunnen kiezen: {glue:text}`rq1_s_geen_keuze_opdrachten_uitslag`
# (gepubliceerd: {glue:text}`rq1_s_geen_keuze_opdrachten_gepubliceerd`).

# %% tags=["remove-input"]
title = "Wie bepaalt wat de student in de praktijkstage doet? (studenten)"
sections.shares(chapter, "students", ["le_stage_bepaald"], title, title).show()
title = "Keuzeruimte in het studieprogramma (studenten)"
sections.shares(chapter, "students", ["le_zelf_keuzes", "le_kiezen_opdrachten"], title, title).show()

# %% tags=["remove-input"]
percentages = (chapter.results["kind"] == "percentage") & (chapter.results["population"] == "students")
sections.claims(chapter, "De percentages van de studenten: gepubliceerd en gevonden", percentages).show()

# %% [markdown]
# ## Netwerken volgens de begeleiders
#
# *"Gevraagd naar wat de opleiding doet om studenten te leren een netwerk van beroepsbeoefenaren op te bouwen,
# antwoordt 60% van de studieloopbaanbegeleiders dat daar geen of nauwelijks aandacht voor is."* In deze
# gegevens is het aandeel begeleiders dat dit antwoordt {glue:text}`rq1_c_geen_netwerk_uitslag` (gepubliceerd:
# {glue:text}`rq1_c_geen_netwerk_gepubliceerd`).

# %% tags=["remove-input"]
title = "Aandacht voor het opbouwen van een netwerk (begeleiders)"
sections.shares(chapter, "counsellors", ["netwerk_aandacht"], title, title).show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq1_n_claims` beweringen over de leeromgeving zijn er {glue:text}`rq1_n_reproduced`
# gereproduceerd. De tabel geeft per bewering het gepubliceerde en het gevonden getal, het 95%-BI, de
# Holm-gecorrigeerde p (bij getoetste beweringen), het aantal respondenten en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen bij onderzoeksvraag 1").show()
