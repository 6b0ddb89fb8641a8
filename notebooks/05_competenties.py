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
# # Loopbaancompetenties en de leeromgeving
#
# *In welke mate beschikken studenten in het hoger beroepsonderwijs over loopbaancompetenties en wat is de rol
# van de leeromgeving hierin?* (onderzoeksvraag 5 en hypothese 1)
#
# Loopbaanbegeleiding is bedoeld om studenten zelfsturend te maken in hun (studie)loopbaan. Of dat lukt, blijkt
# uit hun loopbaancompetenties: loopbaanreflectie, werkexploratie, loopbaansturing en netwerken. Dit hoofdstuk
# meet eerst hoe ver studenten daarin zijn en toetst daarna de hypothese dat een praktijk- en vraaggerichte
# leeromgeving met een echte dialoog over de loopbaan die competenties bevordert.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
alpha = 0.05
min_cell = 10
synthetic = True
results_dir = ""
shared_dir = ""  # set by the build: the survey data it read once

# %% tags=["remove-input"]
from loopbaanleren.book import hypotheses, sections
from loopbaanleren.book.sections import Chapter, ChapterParams

chapter = Chapter.open("05_competenties", ChapterParams.of(globals()))
h1 = sections.hypothesis(chapter, "h1", "Wat hangt samen met de loopbaancompetenties?",
                         predictor=("voorspeller", "voorspellers"), outcome=("competentie", "competenties"))
competencies = hypotheses.model_spec("h1")["outcomes"]  # a section on competencies the data lack says so
sections.scale_facts("students", competencies[0]).show()

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`n_students` studenten. Elke toets die een bewering
# moet dragen ({glue:text}`n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens Holm, binnen
# deze onderzoeksvraag, met α = {glue:text}`alpha`. Studenten zijn genest in hogescholen; hoe dat is
# verwerkt, staat bij elke analyse. Bij een bewering staat in de tekst wat deze
# gegevens laten zien: de gevonden waarde met tussen vierkante haken het 95%-betrouwbaarheidsinterval, de p-waarde
# na Holm-correctie (bij een getoetste bewering) en het oordeel.
#
# ## Hoe ver zijn studenten in hun loopbaancompetenties?
#
# De vier competenties zijn schalen van {glue:text}`schaal` met schaalmidden {glue:text}`midden`. Elk
# gemiddelde heeft een 95%-betrouwbaarheidsinterval met cluster-robuuste standaardfouten (CR2) over de
# hogescholen en een t-verdeling met Bell–McCaffrey-vrijheidsgraden; de toets tegen het
# schaalmidden gebruikt dezelfde fouten.

# %% tags=["remove-input"]
sections.levels(chapter, "students", competencies, "Loopbaancompetenties van studenten").show()
sections.statement_shares(chapter, "students", competencies, "Antwoorden per uitspraak over de eigen loopbaancompetenties",
                          "Antwoorden van de studenten per uitspraak").show()

# %% [markdown]
# Studenten in het hoger beroepsonderwijs ontwikkelen nauwelijks loopbaancompetenties. Alleen de gemiddelde
# score voor loopbaanreflectie ligt net boven het schaalmidden (hooguit een kwart punt erboven, zie de
# woordenlijst in de [Werkwijze](methods.md)): {glue:text}`rq5_lr_boven_uitslag`. Voor
# werkexploratie ({glue:text}`rq5_we_onder_uitslag`), loopbaansturing ({glue:text}`rq5_ls_onder_uitslag`) en
# netwerken ({glue:text}`rq5_nw_onder_uitslag`) liggen de gemiddelden onder het schaalmidden.
#
# ## De rol van de leeromgeving (hypothese 1)
#
# De hypothese is dat een vraag- en praktijkgestuurde leeromgeving waarin een dialoog over de loopbaan
# plaatsvindt, positief is voor de ontwikkeling van loopbaancompetenties, ook als wordt gecontroleerd voor
# persoons- en schoolfactoren. Elke competentie is daarom voorspeld uit de leeromgeving (praktijkgericht,
# vraaggericht), de dialoog (de eigen inbreng van de student in het gesprek met de studieloopbaanbegeleider),
# de gespreksvorm (helpend; reflectief en activerend) en de gespreksonderwerpen (studievoortgang; zelf- en
# toekomstbeelden; concrete acties voor werk en loopbaan), met geslacht, leeftijd, studiejaar en sector als
# controlevariabelen. Uitkomst en voorspellers zijn gestandaardiseerd: een coëfficiënt (β) is het verschil in
# standaarddeviaties van de competentie per standaarddeviatie van de voorspeller.
#
# Studenten van dezelfde hogeschool kunnen op elkaar lijken. Elk model is geschat als OLS-regressie met cluster-
# robuuste standaardfouten volgens CR2 (Bell & McCaffrey), getoetst tegen t met Bell–McCaffrey-vrijheidsgraden;
# dat is de primaire analyse, waarop de beweringen zijn beoordeeld. Het gemengde model met een random intercept
# per hogeschool (REML) staat ernaast als controle; het heet ontaard als het de variantie tussen hogescholen op
# nul schat. Een bewering dat een voorspeller wél
# bijdraagt, geldt als gereproduceerd als β het gepubliceerde teken heeft en de p-waarde na Holm-correctie onder α
# ligt. Een bewering dat een voorspeller níet bijdraagt, geldt als gereproduceerd als het
# {glue:text}`tost_level`-betrouwbaarheidsinterval van β binnen ±{glue:text}`equivalence_bound` ligt
# (equivalentietoets, TOST) en β zonder correctie niet significant is: dan is een verband van betekenis
# uitgesloten, niet alleen niet aangetoond.

# %% tags=["remove-input"]
h1.forest.show()

# %% [markdown]
# Er is een positieve samenhang tussen alle loopbaancompetenties enerzijds en een praktijkgerichte
# ({glue:text}`h1_praktijkgericht_samenvatting`) en een vraaggerichte leeromgeving
# ({glue:text}`h1_vraaggericht_samenvatting`) anderzijds. Ook de eigen inbreng van studenten in het gesprek met
# de studieloopbaanbegeleider, hét kenmerk van een dialoog, hangt positief samen met alle competenties
# ({glue:text}`h1_eigen_inbreng_samenvatting`).
#
# Een helpende gespreksvorm draagt negatief bij ({glue:text}`h1_helpend_samenvatting`), een reflectieve en
# activerende gespreksvorm positief ({glue:text}`h1_reflectief_samenvatting`). Praten over de studie draagt niet
# bij ({glue:text}`h1_onderwerp_studie_samenvatting`), praten over zelf- en toekomstbeelden
# ({glue:text}`h1_onderwerp_zelfbeeld_samenvatting`) en over concrete acties voor werk en loopbaan
# ({glue:text}`h1_onderwerp_acties_samenvatting`) wel. Zowel het onderwijsprogramma als de invulling van de
# begeleidingsgesprekken hangt dus samen met de mate waarin studenten met hun loopbaan bezig zijn.
#
# ### Gepubliceerd en gevonden teken
#
# De figuur zet per voorspeller en competentie het teken uit de samenvatting naast het gevonden teken: "+" of
# "−" voor een verband in die richting, "0" voor geen verband. Gevonden is beoordeeld zoals de bewering: bij een
# gepubliceerd verband het teken van β als de Holm-gecorrigeerde p onder α ligt (anders 0), bij een gepubliceerd
# ontbrekend verband 0 als de equivalentietoets slaagt (anders het teken van β). In
# {glue:text}`h1_n_overeenkomst` van de {glue:text}`h1_n_cellen` cellen komt het gevonden teken overeen met het
# gepubliceerde.

# %% tags=["remove-input"]
h1.signs.show()

# %% [markdown]
# ### Coëfficiënten en multicollineariteit
#
# De voorspellers hangen onderling samen: een vraaggerichte omgeving gaat samen met meer eigen inbreng, een
# reflectief gesprek met meer aandacht voor zelfbeeld en acties. De variantie-inflatiefactor (VIF) geeft per
# voorspeller aan hoeveel de variantie van zijn β daardoor groter wordt. Fit en controles:
# {glue:text}`h1_diagnostiek`.

# %% tags=["remove-input"]
h1.coefficients.show()

# %% [markdown]
# ### Nesting in hogescholen en robuustheid
#
# De intraklassecorrelatie (ICC) is het deel van de variantie van een competentie dat tussen hogescholen ligt,
# geschat met een leeg gemengd model. Ook een kleine ICC telt bij zo'n {glue:text}`n_students` studenten in
# {glue:text}`n_hogescholen` hogescholen: het design-effect geeft aan hoeveel groter de variantie van een
# gemiddelde is dan bij onafhankelijke waarnemingen. Met {glue:text}`n_hogescholen` hogescholen is de variantie
# tussen hogescholen onzeker geschat; daarom is het gemengde model hier alleen een controle naast OLS met
# CR2-fouten.
# {glue:text}`h1_robuustheid`.

# %% tags=["remove-input"]
h1.nesting.show()

# %% [markdown]
# ### Oordeel over hypothese 1
#
# De samenvatting concludeert dat de hypothese wordt bevestigd ({glue:text}`h1_hypothese_gepubliceerd`). De
# hypothese voorspelt een positief verband van de praktijkgerichte en de vraaggerichte leeromgeving en van de
# eigen inbreng in het gesprek met elk van de vier competenties. Het oordeel toetst het patroon dat de
# samenvatting rapporteert: elke voorspelling gesteund, beoordeeld met de bewering over die cel van het model (β
# met het voorspelde teken, significant na Holm-correctie binnen de onderzoeksvraag).
# Gevonden: {glue:text}`h1_hypothese_gevonden` (uitslag: {glue:text}`h1_hypothese_uitslag`).

# %% tags=["remove-input"]
h1.predictions.show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq5_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq5_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal studenten en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen over onderzoeksvraag 5 en hypothese 1").show()
