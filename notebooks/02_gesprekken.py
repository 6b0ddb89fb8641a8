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
# # De begeleidingsgesprekken
#
# *Onderzoeksvraag 2: Wat is de inhoud en vorm van de begeleidingsgesprekken die in het hoger beroepsonderwijs
# plaatsvinden tussen student en docent?*
#
# In het gesprek met de studieloopbaanbegeleider kan de student leren richting te geven aan de eigen
# (studie)loopbaan, mits het gesprek een dialoog is waarin de student een eigen inbreng heeft. Dit hoofdstuk
# legt elke bewering van de samenvatting over die gesprekken naast de gegevens: met wie studenten over hun
# loopbaan praten, hoe vaak en in welke vorm de gesprekken plaatsvinden, wie de inhoud bepaalt, welk karakter en
# welke onderwerpen de gesprekken hebben, en hoe begeleiders en studenten daarover verschillen.

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

chapter = Chapter.open("02_gesprekken", ChapterParams.of(globals()))
topics = ["onderwerp_studie", "onderwerp_zelfbeeld", "onderwerp_acties"]

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
# Cronbachs α met het interval volgens Feldt en McDonalds ω met een bootstrap-interval, voor elke schaal die dit
# hoofdstuk gebruikt.

# %% tags=["remove-input"]
scales = {"students": ["eigen_inbreng", "helpend", "reflectief", *topics, "vertrouwen"], "counsellors": topics}
data_sections.reliability(chapter.data, scales, seed, n_boot, "Betrouwbaarheid van de schalen over de gesprekken").show()

# %% [markdown]
# ## Met wie praten studenten over hun loopbaan?
#
# *"Studenten spreken verreweg het meest met medestudenten over de eigen (studie)loopbaan; met vakdocenten en
# studieloopbaanbegeleiders wordt hierover veel minder gesproken."* Binnen dezelfde studenten ligt het gesprek met
# medestudenten hoger dan dat met vakdocenten of de begeleider (het kleinste van beide gepaarde verschillen, in
# punten: {glue:text}`rq2_s_medestudenten_meest_uitslag`).

# %% tags=["remove-input"]
partners = ["praat_medestudenten", "praat_vakdocenten", "praat_slb", "praat_ouders"]
title = "Met wie praten studenten over hun loopbaan?"
sections.shares(chapter, "students", partners, title, title).show()
caption = "Hoe vaak studenten met elk van hen praten (1 = (bijna) nooit, 4 = heel vaak)"
sections.levels(chapter, "students", partners, caption=caption).show()

# %% [markdown]
# ## Hoe vaak en in welke vorm?
#
# *"Dit wordt waarschijnlijk ook veroorzaakt door het feit dat de gesprekken tussen studieloopbaanbegeleider en
# student slechts 1 tot 4 keer per jaar plaatsvinden."* Het antwoord dat studenten het vaakst geven is
# {glue:text}`rq2_s_gesprekken_1_4_uitslag`. Het aandeel begeleiders dat zegt dat de gesprekken gemiddeld 1 tot 4
# keer per jaar plaatsvinden, is {glue:text}`rq2_c_gesprekken_1_4_uitslag` (gepubliceerd:
# {glue:text}`rq2_c_gesprekken_1_4_gepubliceerd`), en het aandeel dat zegt dat ze vooral individueel zijn,
# {glue:text}`rq2_c_individueel_uitslag`. Begeleiders en studenten noemen hetzelfde antwoord het vaakst
# ({glue:text}`rq2_eens_frequentie_uitslag`).
#
# *"En als er wordt gesproken met studenten is dit vooral met studenten die dreigen uit te vallen."* Het aandeel
# begeleiders dat het (helemaal) eens is met de stelling dat zij vooral met zulke studenten spreken:
# {glue:text}`rq2_c_vooral_uitvallers_uitslag`.

# %% tags=["remove-input"]
sections.shares_by_population(chapter, "slb_gesprekken_per_jaar", "Hoe vaak per jaar is er een gesprek?").show()
sections.shares(chapter, "counsellors", ["slb_gespreksvorm"], caption="Vorm van de gesprekken (begeleiders)").show()
title = "Vooral gesprekken met studenten die dreigen uit te vallen (begeleiders)"
sections.shares(chapter, "counsellors", ["slb_vooral_uitvallers"], title, title).show()

# %% [markdown]
# ## Wie bepaalt de inhoud van het gesprek?
#
# *"De helft van de ondervraagde studenten geeft aan dat de inhoud van het gesprek met de
# studieloopbaanbegeleider vooral door de laatste wordt bepaald; slechts 26% van de studenten geeft aan dat zij
# zelf meestal de inhoud van dit gesprek bepalen."* Het aandeel studenten volgens wie
#
# * vooral de begeleider de inhoud bepaalt: {glue:text}`rq2_s_inhoud_slb_uitslag` (gepubliceerd:
#   {glue:text}`rq2_s_inhoud_slb_gepubliceerd`);
# * zij dat zelf doen: {glue:text}`rq2_s_inhoud_zelf_uitslag` (gepubliceerd:
#   {glue:text}`rq2_s_inhoud_zelf_gepubliceerd`).
#
# Het aandeel begeleiders volgens wie
#
# * zij de inhoud bepalen: {glue:text}`rq2_c_inhoud_slb_uitslag` (gepubliceerd:
#   {glue:text}`rq2_c_inhoud_slb_gepubliceerd`);
# * begeleider en student dat in gelijke mate doen: {glue:text}`rq2_c_inhoud_gelijk_uitslag` (gepubliceerd:
#   {glue:text}`rq2_c_inhoud_gelijk_gepubliceerd`);
# * vooral de student de inhoud bepaalt: {glue:text}`rq2_c_inhoud_student_uitslag` (gepubliceerd:
#   {glue:text}`rq2_c_inhoud_student_gepubliceerd`).

# %% tags=["remove-input"]
sections.shares_by_population(chapter, "slb_inhoud_bepaald", "Wie bepaalt de inhoud van het gesprek?").show()

# %% [markdown]
# ## Verschillen tussen sectoren
#
# Voor elk sectorverschil uit de samenvatting volgen een figuur met het gemiddelde per sector en een tabel met de
# sectoren die volgens Games–Howell significant van elkaar verschillen.

# %% tags=["remove-cell"]
comparisons = {
    key: sections.sector_comparison(chapter, "students", measure, ("Techniek", "Economie"), key, title)
    for key, measure, title in (
        ("rq2_s_inbreng", "eigen_inbreng", None),
        ("rq2_s_helpend", "helpend", None),
        ("rq2_s_reflectief", "reflectief", None),
        ("rq2_s_zelfbeeld", "onderwerp_zelfbeeld", None),
        ("rq2_s_acties", "onderwerp_acties", None),
        ("rq2_s_bezighoudt", "slb_wat_bezighoudt", "Praten over wat de student echt bezighoudt per sector (studenten)"),
    )
}

# %% [markdown]
# ### Eigen inbreng
#
# *"Studenten uit de sectoren Economie en Techniek ervaren minder eigen inbreng in het gesprek met hun
# studieloopbaanbegeleider dan studenten uit andere sectoren."* In deze gegevens: {glue:text}`rq2_s_inbreng_contrast`;
# het verschil is {glue:text}`rq2_s_inbreng_contrast_te_uitslag`. Over alle sectoren: {glue:text}`rq2_s_inbreng_anova`.

# %% tags=["remove-input"]
comparisons["rq2_s_inbreng"].show()

# %% [markdown]
# ## Helpend of reflectief?
#
# *"De gesprekken met de studieloopbaanbegeleider zijn meer helpend dan reflectief en gericht op concrete actie
# wat betreft de (studie)loopbaan."* Binnen dezelfde studenten scoort de helpende gespreksvorm hoger dan de
# reflectieve en activerende (verschil in punten: {glue:text}`rq2_s_helpend_boven_reflectief_uitslag`).
#
# *"Overigens vinden de meeste studenten dat de studieloopbaanbegeleider nauwelijks relevante informatie geeft
# over (vervolg)opleidingen (68%) en ook nauwelijks verschillende keuzemogelijkheden belicht (55%)."* Het
# aandeel studenten dat het (helemaal) oneens is met de stelling dat de begeleider relevante informatie over
# (vervolg)opleidingen geeft: {glue:text}`rq2_s_geen_info_vervolg_uitslag` (gepubliceerd:
# {glue:text}`rq2_s_geen_info_vervolg_gepubliceerd`); met de stelling dat hij verschillende keuzemogelijkheden
# belicht: {glue:text}`rq2_s_geen_keuzemogelijkheden_uitslag` (gepubliceerd:
# {glue:text}`rq2_s_geen_keuzemogelijkheden_gepubliceerd`).

# %% tags=["remove-input"]
sections.levels(chapter, "students", ["helpend", "reflectief"], "Helpende en reflectieve gespreksvorm (studenten)",
                "Helpende en reflectieve gespreksvorm (studenten)").show()
title = "Informatie en keuzemogelijkheden in het gesprek (studenten)"
sections.shares(chapter, "students", ["slb_info_vervolgopleiding", "slb_keuzemogelijkheden"], title, title).show()

# %% [markdown]
# *"Studenten uit de sectoren Techniek en Economie zijn het minst positief over zowel het helpende als het
# reflectief/actief makende karakter van de gesprekken met de studieloopbaanbegeleider."* Helpend:
# {glue:text}`rq2_s_helpend_contrast`; "het minst" is een rangorde, getoetst tegen elke andere sector: het
# verschil met de naaste sector is {glue:text}`rq2_s_helpend_contrast_te_uitslag`. Over alle sectoren:
# {glue:text}`rq2_s_helpend_anova`. Reflectief en activerend: {glue:text}`rq2_s_reflectief_contrast`; het verschil
# met de naaste sector is {glue:text}`rq2_s_reflectief_contrast_te_uitslag`. Over alle sectoren:
# {glue:text}`rq2_s_reflectief_anova`.

# %% tags=["remove-input"]
comparisons["rq2_s_helpend"].show()
comparisons["rq2_s_reflectief"].show()

# %% [markdown]
# ## Waarover gaan de gesprekken?
#
# *"De gesprekken met de studieloopbaanbegeleider gaan vooral over de studievoortgang en niet tot nauwelijks over
# zelf- en toekomstbeelden van de studenten en over concrete acties die de studenten moeten of kunnen nemen
# gericht op werk en studie."* Binnen dezelfde studenten scoort studievoortgang hoger dan elk van de andere twee
# onderwerpen (het kleinste verschil, in punten: {glue:text}`rq2_s_studie_meest_uitslag`). Zelf- en
# toekomstbeelden (gemiddeld {glue:text}`rq2_s_zelfbeeld_onder_uitslag`) en concrete acties (gemiddeld
# {glue:text}`rq2_s_acties_onder_uitslag`) liggen beide onder het schaalmidden.

# %% tags=["remove-input"]
title = "Gespreksonderwerpen volgens studenten"
sections.levels(chapter, "students", topics, title, title).show()

# %% [markdown]
# *"In de sectoren Techniek en Economie wordt significant minder gesproken over zelf- en toekomstbeelden en
# concrete acties dan in de andere sectoren."* Zelf- en toekomstbeelden: {glue:text}`rq2_s_zelfbeeld_contrast`;
# het verschil is {glue:text}`rq2_s_zelfbeeld_contrast_te_uitslag`. Over alle sectoren:
# {glue:text}`rq2_s_zelfbeeld_anova`. Concrete acties: {glue:text}`rq2_s_acties_contrast`; het verschil is
# {glue:text}`rq2_s_acties_contrast_te_uitslag`. Over alle sectoren: {glue:text}`rq2_s_acties_anova`.

# %% tags=["remove-input"]
comparisons["rq2_s_zelfbeeld"].show()
comparisons["rq2_s_acties"].show()

# %% [markdown]
# ## Vertrouwen, en wat studenten echt bezighoudt
#
# *"Er is geen sprake van een vertrouwensbreuk tussen studenten en hun studieloopbaanbegeleiders, maar toch
# spreken de studenten in meerderheid (64%) niet met hen over wat hen echt bezighoudt in het leven."* Het
# vertrouwen in de begeleider ligt boven het schaalmidden (gemiddeld {glue:text}`rq2_s_vertrouwen_boven_uitslag`).
# Het aandeel studenten dat niet met de begeleider praat over wat hen echt bezighoudt:
# {glue:text}`rq2_s_niet_wat_bezighoudt_uitslag` (gepubliceerd: {glue:text}`rq2_s_niet_wat_bezighoudt_gepubliceerd`).
#
# *"Ook op dit punt scoren de sectoren Techniek en Economie lager dan de andere sectoren."* In deze gegevens:
# {glue:text}`rq2_s_bezighoudt_contrast`; het verschil is {glue:text}`rq2_s_bezighoudt_contrast_te_uitslag`. Over
# alle sectoren: {glue:text}`rq2_s_bezighoudt_anova`.

# %% tags=["remove-input"]
title = "Vertrouwen in de begeleider en wat studenten bespreken (studenten)"
sections.shares(chapter, "students", ["vt_1", "vt_2", "vt_3", "slb_wat_bezighoudt"], title, title).show()
comparisons["rq2_s_bezighoudt"].show()

# %% [markdown]
# ## Begeleiders en studenten vergeleken
#
# *"Studieloopbaanbegeleiders en studenten zijn het ook eens over het feit dat hun gesprekken vooral gaan over de
# studievoortgang."* Ook volgens de begeleiders scoort studievoortgang hoger dan elk van de andere twee
# onderwerpen (het kleinste verschil, in punten: {glue:text}`rq2_c_studie_meest_uitslag`).
#
# *"De studieloopbaanbegeleiders zijn méér dan de studenten van mening dat ze ook spreken over zelf- en
# toekomstbeelden en over concrete acties die de student zou moeten of kunnen ondernemen met betrekking tot de
# (studie)loopbaan."* Over zelf- en toekomstbeelden scoren begeleiders hoger dan studenten (verschil in punten:
# {glue:text}`rq2_c_zelfbeeld_hoger_uitslag`; Hedges' g = {glue:text}`rq2_g_zelfbeeld`), en over concrete acties
# ook (verschil in punten: {glue:text}`rq2_c_acties_hoger_uitslag`; Hedges' g = {glue:text}`rq2_g_acties`).

# %% tags=["remove-input"]
keys = {"onderwerp_zelfbeeld": "rq2_g_zelfbeeld", "onderwerp_acties": "rq2_g_acties"}
sections.population_difference(chapter, topics, "Gespreksonderwerpen volgens studenten en begeleiders",
                               "Begeleiders en studenten over de gespreksonderwerpen", keys).show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq2_n_claims` beweringen over de begeleidingsgesprekken zijn er
# {glue:text}`rq2_n_reproduced` gereproduceerd. De tabel geeft per bewering het gepubliceerde en het gevonden
# getal, het 95%-BI, de Holm-gecorrigeerde p (bij getoetste beweringen), het aantal respondenten en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen bij onderzoeksvraag 2").show()
