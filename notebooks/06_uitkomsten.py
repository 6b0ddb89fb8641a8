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
# # Wat loopbaancompetenties opleveren
#
# *Wat is de relatie tussen loopbaancompetenties van hbo-studenten enerzijds en hun leermotivatie,
# arbeidsidentiteit, keuzezekerheid en uitvaldreiging anderzijds?* (onderzoeksvraag 6 en hypothese 2)
#
# Loopbaancompetenties zijn geen doel op zich: ze zouden studenten gemotiveerder moeten maken, een duidelijker
# beeld moeten geven van het werk dat bij hen past, zekerder moeten maken van hun studiekeuze en minder
# geneigd om voortijdig te stoppen. Dit hoofdstuk beschrijft eerst die vier uitkomsten en toetst daarna of de
# competenties er werkelijk aan bijdragen.

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

chapter = Chapter.open("06_uitkomsten", ChapterParams.of(globals()))
groups = {
    "h2_we_ls_positief": ["h2_we_lm", "h2_we_ai", "h2_we_kz", "h2_ls_lm", "h2_ls_ai", "h2_ls_kz"],
    "h2_we_ls_geen": ["h2_we_ud", "h2_ls_ud"],
    "h2_nw_positief": ["h2_nw_ai", "h2_nw_kz"],
    "h2_nw_geen": ["h2_nw_lm", "h2_nw_ud"],
}
h2 = sections.hypothesis(chapter, "h2", "Wat dragen de loopbaancompetenties bij?",
                         predictor=("competentie", "competenties"), outcome=("uitkomst", "uitkomsten"), groups=groups)
outcomes = hypotheses.model_spec("h2")["outcomes"]  # a section on outcomes the data lack says so
sections.scale_facts("students", outcomes[0]).show()

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`n_students` studenten. Elke toets die een bewering
# moet dragen ({glue:text}`n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens Holm, binnen
# deze onderzoeksvraag, met α = {glue:text}`alpha`. Studenten zijn genest in hogescholen; hoe dat is
# verwerkt, staat bij elke analyse. Bij een bewering staat in de tekst wat deze
# gegevens laten zien: de gevonden waarde met tussen vierkante haken het 95%-betrouwbaarheidsinterval, de p-waarde
# na Holm-correctie (bij een getoetste bewering) en het oordeel.
#
# ## Motivatie, arbeidsidentiteit, keuzezekerheid en uitvaldreiging
#
# Leermotivatie, arbeidsidentiteit en keuzezekerheid zijn schalen van {glue:text}`schaal` met schaalmidden
# {glue:text}`midden`; uitvaldreiging is één uitspraak ("Ik overweeg om voortijdig met mijn studie te
# stoppen") met dezelfde vier antwoorden. Elk gemiddelde en aandeel heeft een 95%-betrouwbaarheidsinterval met
# cluster-robuuste standaardfouten (CR2) over de hogescholen en een t-verdeling met Bell–McCaffrey-vrijheidsgraden.

# %% tags=["remove-input"]
from loopbaanleren.book import hypotheses
from loopbaanleren.data.registry import load_registry
from loopbaanleren.book.report import glue_value

glue_value("rq6_ud_max", load_registry().get("rq6_ud_weinig")["max"], "pct")
labels = {name: hypotheses.short_label("students", name) for name in outcomes}
sections.levels(chapter, "students", outcomes, "Uitkomsten bij studenten", labels=labels).show()
sections.statement_shares(chapter, "students", outcomes,
                          "Antwoorden per uitspraak over motivatie, identiteit, keuze en uitval",
                          "Antwoorden van de studenten per uitspraak").show()

# %% [markdown]
# De studenten hebben een matig ontwikkelde arbeidsidentiteit, op een schaal van {glue:text}`schaal`: gemiddeld
# {glue:text}`rq6_ai_gemiddelde_uitslag` (gepubliceerd: {glue:text}`rq6_ai_gemiddelde_gepubliceerd`). Toch zijn ze
# voor het grootste deel erg zeker van hun studiekeuze: meer dan de helft heeft op keuzezekerheid een score van
# ten minste 3 (gemiddeld "mee eens"; aandeel {glue:text}`rq6_kz_hoog_uitslag`). Tegelijk zijn ze matig gemotiveerd voor hun studie: het interval van de
# leermotivatie ligt binnen ±{glue:text}`near_margin` van het schaalmidden (gemiddeld
# {glue:text}`rq6_lm_matig_uitslag`). Slechts weinigen overwegen om voortijdig met hun studie te stoppen; "weinigen"
# geldt hier als een interval dat onder {glue:text}`rq6_ud_max` blijft. Het aandeel studenten dat het (helemaal)
# eens is met die uitspraak: {glue:text}`rq6_ud_weinig_uitslag`.
#
# ## Wat dragen de loopbaancompetenties bij? (hypothese 2)
#
# De hypothese is dat loopbaancompetenties positief bijdragen aan leermotivatie, arbeidsidentiteit en
# keuzezekerheid en negatief aan uitvaldreiging, ook als wordt gecontroleerd voor persoons- en schoolfactoren en
# voor de leeromgeving. Elke uitkomst is daarom voorspeld uit de vier competenties, met geslacht, leeftijd,
# studiejaar, sector en de praktijk- en vraaggerichtheid van de leeromgeving als controlevariabelen. Uitkomst en
# voorspellers zijn gestandaardiseerd: een coëfficiënt (β) is het verschil in standaarddeviaties van de uitkomst
# per standaarddeviatie van de competentie.
#
# Elk model is geschat als OLS-regressie met cluster-robuuste standaardfouten volgens CR2 (Bell & McCaffrey),
# getoetst tegen t met Bell–McCaffrey-vrijheidsgraden; dat is de primaire analyse, waarop de beweringen zijn
# beoordeeld. Het gemengde model met een random intercept per hogeschool (REML) staat ernaast als controle; het
# heet ontaard als het de variantie tussen hogescholen op nul schat.
# Een bewering dat een competentie wél bijdraagt, geldt als gereproduceerd als β het gepubliceerde teken
# heeft en de p-waarde na Holm-correctie onder α ligt. Een bewering dat een competentie níet bijdraagt, geldt als
# gereproduceerd als het {glue:text}`tost_level`-betrouwbaarheidsinterval van β binnen ±{glue:text}`equivalence_bound`
# ligt (equivalentietoets, TOST) en β zonder correctie niet significant is: dan is een verband van betekenis
# uitgesloten, niet alleen niet aangetoond. "Draagt niet bij aan het beperken van uitvaldreiging" is eenzijdig
# getoetst (alleen een negatief verband spreekt het tegen), "draagt niet aantoonbaar bij" alleen op significantie
# zonder correctie; de [Werkwijze](methods.md) geeft de regel en de woordenlijst.

# %% tags=["remove-input"]
h2.forest.show()

# %% [markdown]
# Werkexploratie en loopbaansturing dragen positief bij aan leermotivatie, arbeidsidentiteit en keuzezekerheid
# ({glue:text}`h2_we_ls_positief_samenvatting`), maar niet aan het beperken van uitvaldreiging
# ({glue:text}`h2_we_ls_geen_samenvatting`). Wie meer werkmogelijkheden onderzoekt en meer weloverwogen keuzes
# maakt, is dus gemotiveerder, heeft een beter ontwikkelde arbeidsidentiteit en is zekerder van de studiekeuze.
# Netwerken draagt eveneens positief bij aan arbeidsidentiteit en keuzezekerheid
# ({glue:text}`h2_nw_positief_samenvatting`), maar niet aan leermotivatie en uitvaldreiging
# ({glue:text}`h2_nw_geen_samenvatting`).
#
# Loopbaanreflectie, ten slotte, draagt positief bij aan uitvaldreiging (β = {glue:text}`h2_lr_ud_uitslag`), niet
# aantoonbaar aan leermotivatie (β = {glue:text}`h2_lr_lm_uitslag`) en negatief aan arbeidsidentiteit (β =
# {glue:text}`h2_lr_ai_uitslag`) en keuzezekerheid (β = {glue:text}`h2_lr_kz_uitslag`). Studenten die meer over
# hun loopbaan reflecteren, overwegen vaker te stoppen, hebben een minder ontwikkelde arbeidsidentiteit en zijn
# minder zeker van hun keuzes. Dat kan komen doordat mensen pas over hun loopbaan gaan nadenken als ze onzeker
# zijn over hun keuzes, of doordat reflectie zelf onzekerheid oproept: ze zet vanzelfsprekendheden ter discussie.
# Welke verklaring klopt, kan dit dwarsdoorsnede-onderzoek niet uitmaken.
#
# ### Gepubliceerd en gevonden teken
#
# De figuur zet per competentie en uitkomst het teken uit de samenvatting naast het gevonden teken: "+" of "−"
# voor een verband in die richting, "0" voor geen verband. Gevonden is beoordeeld zoals de bewering: bij een
# gepubliceerd verband het teken van β als de Holm-gecorrigeerde p onder α ligt (anders 0), bij een gepubliceerd
# ontbrekend verband 0 als de equivalentietoets slaagt (anders het teken van β). In
# {glue:text}`h2_n_overeenkomst` van de {glue:text}`h2_n_cellen` cellen komt het gevonden teken overeen met het
# gepubliceerde.

# %% tags=["remove-input"]
h2.signs.show()

# %% [markdown]
# ### Coëfficiënten en multicollineariteit
#
# De vier competenties hangen onderling samen; de variantie-inflatiefactor (VIF) geeft per voorspeller aan
# hoeveel de variantie van zijn β daardoor groter wordt. Fit en controles: {glue:text}`h2_diagnostiek`.

# %% tags=["remove-input"]
h2.coefficients.show()

# %% [markdown]
# ### Nesting in hogescholen en robuustheid
#
# De intraklassecorrelatie (ICC) is het deel van de variantie van een uitkomst dat tussen hogescholen ligt, geschat
# met een leeg gemengd model; het design-effect geeft aan hoeveel groter de variantie van een gemiddelde daardoor is
# dan bij onafhankelijke waarnemingen. Met {glue:text}`n_hogescholen` hogescholen is de variantie tussen
# hogescholen onzeker geschat; daarom is het gemengde model hier alleen een controle naast OLS met
# CR2-fouten. Uitvaldreiging is één uitspraak met vier geordende antwoorden en
# een scheve verdeling; voor die uitkomst staat er ook een ordinaal logitmodel (proportionele odds, cluster-robuuste
# fouten) naast. Zijn coëfficiënten zijn log-odds per standaarddeviatie van de competentie: alleen teken en
# significantie zijn met OLS-CR2 te vergelijken.
# {glue:text}`h2_robuustheid`.

# %% tags=["remove-input"]
h2.nesting.show()

# %% [markdown]
# ### Oordeel over hypothese 2
#
# De hypothese voorspelt voor elk van de vier competenties een positief verband met leermotivatie,
# arbeidsidentiteit en keuzezekerheid en een negatief verband met uitvaldreiging. De samenvatting concludeert dat
# zij slechts voor een deel wordt bevestigd en dus voor een deel verworpen
# ({glue:text}`h2_hypothese_gepubliceerd`): werkexploratie en loopbaansturing doen wat de hypothese verwacht,
# behalve bij uitvaldreiging; netwerken alleen bij arbeidsidentiteit en keuzezekerheid; loopbaanreflectie werkt
# overal de andere kant op of niet. Meer loopbaanreflectie leidt dus niet tot meer zekerheid over werk en studie.
# Het oordeel toetst dat patroon: elke voorspelling moet de uitkomst hebben die de samenvatting publiceert
# (gesteund, niet gesteund of tegengesteld), beoordeeld met de bewering over die cel van het model hierboven.
# "Deels bevestigd" is dus niet elke mengvorm: op data waarin elke voorspelling uitkomt, of waarin geen verband
# bestaat, is het niet gereproduceerd. Het label bij "gevonden" telt de voorspellingen die gesteund worden; het
# blijft "deels bevestigd" zolang de gesteunde voorspellingen niet alle of geen zijn. De tabel toont per
# voorspelling beide uitkomsten. Gevonden: {glue:text}`h2_hypothese_gevonden` (uitslag:
# {glue:text}`h2_hypothese_uitslag`).

# %% tags=["remove-input"]
h2.predictions.show()

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq6_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq6_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal studenten en het oordeel.

# %% tags=["remove-input"]
sections.claims(chapter, "Beweringen over onderzoeksvraag 6 en hypothese 2").show()
