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
# # Samenwerking met de praktijk
#
# *Hoe wordt de samenwerking tussen docent en praktijk in het hoger beroepsonderwijs vormgegeven, en hoe
# verhoudt dit zich tot de invulling van de begeleidingsgesprekken?* (onderzoeksvraag 4)
#
# Studenten leren hun loopbaan sturen aan echte ervaringen in het werk. Dit hoofdstuk gaat na hoeveel
# studieloopbaanbegeleiders bij de begeleiding samenwerken met het bedrijfsleven, waaruit die samenwerking
# bestaat, hoe dat per sector verschilt en of het samenhangt met gesprekken over concrete acties voor werk en
# loopbaan.

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

chapter = Chapter.open("04_samenwerking", ChapterParams.of(globals()))
sections.scale_facts("counsellors", "samenwerking").show()

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`n_counsellors` begeleiders. Elke toets die een
# bewering moet dragen ({glue:text}`n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens
# Holm, binnen deze onderzoeksvraag, met α = {glue:text}`alpha`. Aandelen en gemiddelden hebben een
# 95%-betrouwbaarheidsinterval met cluster-robuuste standaardfouten (CR2) over de hogescholen en een
# t-verdeling met Bell–McCaffrey-vrijheidsgraden, omdat begeleiders van dezelfde hogeschool op
# elkaar kunnen lijken. Bij een bewering staat in de tekst wat deze gegevens laten zien: de gevonden waarde met
# tussen vierkante haken het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie (bij een getoetste
# bewering) en het oordeel.
#
# ## Hoeveel samenwerking is er?

# %% tags=["remove-input"]
caption = "Oordeel over de samenwerking met het bedrijfsleven"
sections.shares(chapter, "counsellors", ["sw_onvoldoende"], caption=caption, label_column="stelling").show()
items = sections.statement_items("counsellors", ["samenwerking"])
title = "Mate van samenwerking met de praktijk bij de begeleiding"
sections.shares(chapter, "counsellors", items, title, labels=sections.wrapped_labels("counsellors", items)).show()

# %% [markdown]
# Het aandeel begeleiders dat de samenwerking met het bedrijfsleven op het gebied van studieloopbaanbegeleiding
# onvoldoende vindt: {glue:text}`rq4_sw_onvoldoende_uitslag` (gepubliceerd:
# {glue:text}`rq4_sw_onvoldoende_gepubliceerd`); het aandeel dat zegt dat er helemaal geen samenwerking is:
# {glue:text}`rq4_sw_geen_uitslag` (gepubliceerd: {glue:text}`rq4_sw_geen_gepubliceerd`). "Onvoldoende" is
# gemeten als (helemaal) oneens zijn met de stelling dat de samenwerking voldoende is.
#
# ## Samenwerking per sector
#
# De sectoren zijn vergeleken op de schaal voor samenwerking (van "helemaal niet" tot "in hoge mate";
# schaalmidden {glue:text}`midden`). Welch' variantieanalyse toetst of de sectoren verschillen zonder gelijke
# varianties aan te nemen: {glue:text}`rq4_sw_anova`. De Games–Howell-toets vergelijkt alle paren sectoren
# (de tabel noemt per sector van welke sectoren zij significant verschilt). Economie is daarnaast getoetst
# tegen alle andere sectoren samen, met cluster-robuuste standaardfouten: {glue:text}`rq4_sw_contrast`.
# Sectoren met minder dan {glue:text}`min_cell` begeleiders worden niet getoond.

# %% tags=["remove-input"]
title = "Samenwerking met het bedrijfsleven per sector"
partners = {"Economie": "rq4_gh_economie", "Onderwijs": "rq4_gh_onderwijs"}
sections.sector_comparison(chapter, "counsellors", "samenwerking", ("Economie",), "rq4_sw", title, partners).show()
sections.small_cells(chapter, "counsellors", "sector", "hogeschool", "rq4_cellen").show()

# %% [markdown]
# In de sector Economie is significant minder sprake van samenwerking dan in de andere sectoren (verschil
# {glue:text}`rq4_sw_contrast_e_uitslag`). Economie heeft het laagste gemiddelde (verschil met de naaste sector:
# {glue:text}`rq4_sw_laagste_e_uitslag`) en verschilt volgens Games–Howell significant van
# {glue:text}`rq4_gh_economie` andere sectoren. Op de plaatsen daarna volgen volgens de samenvatting de agrarische
# opleidingen en Zorg & Welzijn (verschil met de naaste sector daarna: {glue:text}`rq4_sw_volgend_uitslag`). In de
# sector Onderwijs is het meest sprake van samenwerking (verschil met de naaste sector:
# {glue:text}`rq4_sw_hoogste_onderwijs_uitslag`; volgens Games–Howell verschilt Onderwijs significant van
# {glue:text}`rq4_gh_onderwijs` andere sectoren), maar ook die score ligt onder het schaalmidden (gemiddeld
# {glue:text}`rq4_sw_onderwijs_onder_uitslag`), wat wil zeggen dat er nauwelijks samenwerking is.
#
# Een uitsplitsing naar sector binnen hogeschool laat dit hoofdstuk weg: van de {glue:text}`rq4_cellen`
# combinaties van sector en hogeschool tellen er {glue:text}`rq4_cellen_klein` minder dan
# {glue:text}`min_cell` begeleiders, en die mogen niet getoond worden.
#
# ## Waaruit bestaat de samenwerking?

# %% tags=["remove-input"]
forms = ["sw_afspraken", "sw_gezamenlijk_beoordelen", "sw_gastsprekers"]
title = "Vormen van samenwerking met de praktijk"
labels = sections.wrapped_labels("counsellors", forms)
sections.shares(chapter, "counsellors", forms, title, labels=labels, order=["nee", "ja"]).show()

# %% [markdown]
# Als er al sprake is van samenwerking, gaat het vooral om afspraken met mensen uit de praktijk over de
# begeleiding van studenten: die vorm komt vaker voor dan samen beoordelen of loopbaanactiviteiten door mensen
# uit de praktijk (kleinste verschil in het aandeel "ja": {glue:text}`rq4_sw_afspraken_meest_uitslag`). Maar zelfs
# dat doet volgens de samenvatting slechts de helft van de begeleiders (gevonden:
# {glue:text}`rq4_sw_afspraken_helft_uitslag`; gepubliceerd: {glue:text}`rq4_sw_afspraken_helft_gepubliceerd`).
#
# ## Samenwerking en gesprekken over concrete acties
#
# Hoe vaak het in de gesprekken met studenten gaat over concrete acties voor werk en loopbaan, is voorspeld uit
# de samenwerking met het bedrijfsleven, draagkracht, draagvlak en een praktijkgerichte leeromgeving, met
# geslacht en leeftijd als controlevariabelen. Uitkomst en voorspellers zijn gestandaardiseerd (β in
# standaarddeviaties). 
# Elk model is geschat als OLS-regressie met cluster-robuuste standaardfouten volgens CR2 (Bell & McCaffrey),
# getoetst tegen t met Bell–McCaffrey-vrijheidsgraden; dat is de primaire analyse, waarop de beweringen zijn
# beoordeeld. Het gemengde model met een random intercept per hogeschool (REML) staat ernaast als controle; het
# heet ontaard als het de variantie tussen hogescholen op nul schat.

# %% tags=["remove-input"]
model = sections.regression_model(chapter, "rq4_acties", "rq4", "Wat hangt samen met gesprekken over concrete acties?",
                                  roles=("predictor", "control"))
model.coefficients.show()

# %% [markdown]
# Met studenten spreken over concrete acties voor werk en loopbaan hangt samen met de ervaren samenwerking met
# het bedrijfsleven: hoe meer samenwerking, des te vaker gaan de gesprekken over zulke acties (β =
# {glue:text}`rq4_sw_acties_uitslag`).
#
# Aannames en fit: {glue:text}`rq4_diagnostiek`. De residuenfiguur hoort vlak rond nul te liggen met een
# gelijkmatige spreiding; de cluster-robuuste fouten van de OLS-controle zijn ook bestand tegen ongelijke
# spreiding. Schat het gemengde model de variantie tussen hogescholen op nul, dan valt het samen met gewone
# regressie zonder correctie voor de clustering; de OLS-controle met cluster-robuuste fouten laat dan zien of de
# conclusies standhouden. OLS-CR2 naast het gemengde model: {glue:text}`rq4_robuustheid`.

# %% tags=["remove-input"]
model.checks.show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq4_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq4_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal begeleiders en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen over onderzoeksvraag 4").show()
