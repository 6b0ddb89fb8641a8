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
# # De studieloopbaanbegeleiders zelf
#
# *Hoe ervaren de studieloopbaanbegeleiders in het hoger beroepsonderwijs hun eigen loopbaanontwikkeling en
# mogelijkheden om begeleidingsgesprekken te voeren, en hoe verhoudt dit zich tot de invulling van de
# begeleidingsgesprekken?* (onderzoeksvraag 3)
#
# Wie studenten moet helpen hun loopbaan zelf te sturen, heeft zelf bekwaamheid en steun nodig. Dit hoofdstuk
# kijkt daarom eerst naar de begeleiders zelf (hun loopbaansucces, hun draagkracht en het draagvlak dat zij
# ervaren) en daarna naar de vraag of dat samenhangt met wat er in hun gesprekken met studenten gebeurt.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
alpha = 0.05
min_cell = 10
synthetic = True
results_dir = ""
shared_dir = ""  # set by the build: the survey data it read once

# %% tags=["remove-input"]
from loopbaanleren.book import sections
from loopbaanleren.book.sections import Chapter, ChapterParams

chapter = Chapter.open("03_slb", ChapterParams.of(globals()))
own_scales = ["loopbaansucces", "draagkracht", "draagvlak"]
sections.scale_facts("counsellors", "loopbaansucces").show()

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`n_counsellors` begeleiders. Elke toets in dit
# hoofdstuk die een bewering moet dragen ({glue:text}`n_getoetst` toetsen) is gecorrigeerd voor meervoudig
# toetsen volgens Holm, binnen deze onderzoeksvraag, met α = {glue:text}`alpha`. Begeleiders zijn genest
# in hogescholen; hoe dat is verwerkt, staat bij elke analyse. Bij een bewering staat in de tekst wat deze
# gegevens laten zien: de gevonden waarde met tussen vierkante haken het 95%-betrouwbaarheidsinterval, de p-waarde
# na Holm-correctie (bij een getoetste bewering) en het oordeel.
#
# ## Loopbaansucces, draagkracht en draagvlak
#
# De drie schalen lopen van {glue:text}`schaal`; het schaalmidden is {glue:text}`midden`. Een
# gemiddelde heeft een 95%-betrouwbaarheidsinterval met cluster-robuuste standaardfouten (CR2) over de
# hogescholen en een t-verdeling met Bell–McCaffrey-vrijheidsgraden, zodat de samenhang van
# antwoorden binnen een hogeschool het interval niet te smal maakt.

# %% tags=["remove-input"]
sections.levels(chapter, "counsellors", own_scales, "Eigen loopbaan en werksituatie van de begeleiders").show()
sections.statement_shares(chapter, "counsellors", own_scales,
                          "Antwoorden per uitspraak (loopbaansucces, draagkracht, draagvlak)",
                          "Antwoorden van de begeleiders per uitspraak").show()

# %% [markdown]
# Begeleiders schatten hun eigen loopbaansucces hoog in, op een schaal van {glue:text}`schaal`: gemiddeld
# {glue:text}`rq3_loopbaansucces_uitslag` (gepubliceerd: {glue:text}`rq3_loopbaansucces_gepubliceerd`). Ze vinden
# zichzelf bekwaam als begeleider: hun draagkracht ligt boven het schaalmidden (gemiddeld
# {glue:text}`rq3_draagkracht_boven_uitslag`). Het draagvlak voor studieloopbaanbegeleiding in hun opleiding
# vinden ze daarentegen gering: het ligt onder het schaalmidden (gemiddeld {glue:text}`rq3_draagvlak_onder_uitslag`).
# De laatste uitspraak van het draagvlak is negatief geformuleerd; in de schaalscore telt zij omgekeerd mee.
#
# ## Draagvlak, draagkracht en de invulling van de gesprekken
#
# Drie kenmerken van de gesprekken (hoe reflectief en activerend ze zijn, hoeveel nadruk er ligt op de
# studievoortgang en hoeveel op zelf- en toekomstbeelden) zijn elk voorspeld uit draagvlak, draagkracht, een
# praktijkgerichte en een vraaggerichte leeromgeving en het geslacht van de begeleider, met leeftijd als
# controlevariabele. Uitkomst en voorspellers zijn gestandaardiseerd, zodat een coëfficiënt (β) het verschil in
# standaarddeviaties van de uitkomst is per standaarddeviatie van de voorspeller (bij geslacht: het verschil
# tussen vrouwen en mannen in standaarddeviaties, na standaardisering van de 0/1-variabele).
#
# Elk model is geschat als OLS-regressie met cluster-robuuste standaardfouten volgens CR2 (Bell & McCaffrey),
# getoetst tegen t met Bell–McCaffrey-vrijheidsgraden; dat is de primaire analyse, waarop de beweringen zijn
# beoordeeld. Het gemengde model met een random intercept per hogeschool (REML) staat ernaast als controle; het
# heet ontaard als het de variantie tussen hogescholen op nul schat.

# %% tags=["remove-input"]
model = sections.regression_model(chapter, "rq3_gesprek", "rq3", "Wat hangt samen met de invulling van de gesprekken?",
                                  strongest={"onderwerp_zelfbeeld": "rq3_zelfbeeld_sterkste"})
model.coefficients.show()

# %% [markdown]
# Naarmate begeleiders meer draagvlak ervaren (β = {glue:text}`rq3_dv_reflectief_uitslag`), zich bekwamer voelen
# (draagkracht: β = {glue:text}`rq3_dk_reflectief_uitslag`) en in een meer praktijkgerichte omgeving werken (β =
# {glue:text}`rq3_pg_reflectief_uitslag`), voeren zij meer reflectieve en activerende gesprekken.
#
# Of het accent in het gesprek op de studievoortgang ligt, hangt samen met het geslacht van de begeleider:
# vrouwen leggen er meer nadruk op dan mannen (β = {glue:text}`rq3_vrouw_studie_uitslag`). Hoe vraaggerichter de
# leeromgeving, des te minder domineert de studievoortgang (β = {glue:text}`rq3_vg_studie_uitslag`).
#
# Het accent op zelf- en toekomstbeelden hangt vooral samen met de draagkracht: hoe competenter een begeleider
# zich acht, des te meer gaat het gesprek over zelf- en toekomstbeelden (β = {glue:text}`rq3_dk_zelfbeeld_uitslag`).
# De sterkste voorspeller van dit onderwerp is {glue:text}`rq3_zelfbeeld_sterkste`.
#
# ## Controle van de modellen
#
# Aannames en fit: {glue:text}`rq3_diagnostiek`. De figuur zet per model de residuen uit tegen de voorspelde
# waarden; een vlakke lowess-lijn rond nul wijst op een passende lineaire vorm, een gelijkmatige spreiding op
# gelijke variantie. De cluster-robuuste standaardfouten van de OLS-controle zijn ook bestand tegen ongelijke
# spreiding. Schat het gemengde model de variantie tussen hogescholen op nul, dan valt het samen met gewone
# regressie zonder correctie voor de clustering; de OLS-controle met cluster-robuuste fouten laat dan zien of de
# conclusies standhouden. OLS-CR2 naast het gemengde model: {glue:text}`rq3_robuustheid`.

# %% tags=["remove-input"]
model.checks.show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq3_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq3_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal begeleiders en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen over onderzoeksvraag 3").show()
