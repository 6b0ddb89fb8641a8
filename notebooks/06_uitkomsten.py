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

# %% tags=["remove-cell"]
import textwrap

from loopbaanleren import hypotheses, regression
from loopbaanleren.chapter import claims_table, evaluate_chapter, load_survey_data
from loopbaanleren.claims import load_registry
from loopbaanleren.codebook import load_codebook
from loopbaanleren.evaluate import Context
from loopbaanleren.figures import level_plot, sign_matrix
from loopbaanleren.items import answer_shares, mean_scores
from loopbaanleren.report import fmt_p, glue_value, show_figure, show_table, synthetic_notice

data = load_survey_data(students_path, counsellors_path)
results = evaluate_chapter(data, ("RQ6",), alpha, min_cell, results_dir)

registry = load_registry()
codebook = load_codebook()
ctx = Context(data, alpha=alpha, min_cell=min_cell)
spec = hypotheses.model_spec("h2")
outcomes = spec["outcomes"]
scale = codebook.scales("students")[outcomes[0]]
glue_value("rq6_alpha", alpha, "num")
glue_value("rq6_grens", registry.rules["equivalence_bound"], "num")
glue_value("rq6_marge", registry.rules["near_margin"], "num")
glue_value("rq6_ud_max", registry.get("rq6_ud_weinig")["max"], "pct")
glue_value("rq6_n_getoetst", int(results["p_adjusted"].notna().sum()), "n")
glue_value("rq6_n_studenten", len(data["students"]), "n")
glue_value("rq6_n_hogescholen", data["students"]["hogeschool"].nunique(), "n")
glue_value("rq6_tost_niveau", 1 - 2 * alpha, "pct")
glue_value("rq6_midden", scale.midpoint, "num", digits=1)
glue_value("rq6_schaal", f"{scale.valid_min} tot {scale.valid_max}", "text")
glue_value("h2_hypothese_gevonden", results.set_index("id").at["h2_hypothese", "found_nl"], "text")
groups = {
    "h2_we_ls_positief": ["h2_we_lm", "h2_we_ai", "h2_we_kz", "h2_ls_lm", "h2_ls_ai", "h2_ls_kz"],
    "h2_we_ls_geen": ["h2_we_ud", "h2_ls_ud"],
    "h2_nw_positief": ["h2_nw_ai", "h2_nw_kz"],
    "h2_nw_geen": ["h2_nw_lm", "h2_nw_ud"],
}
for key, ids in groups.items():
    glue_value(f"{key}_samenvatting", hypotheses.effect_summary(results, ids), "text")

# %% tags=["remove-input"]
synthetic_notice(synthetic)

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`rq6_n_studenten` studenten. Elke toets die een bewering
# moet dragen ({glue:text}`rq6_n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens Holm, binnen
# deze onderzoeksvraag, met α = {glue:text}`rq6_alpha`. Studenten zijn genest in hogescholen; hoe dat is
# verwerkt, staat bij elke analyse.
#
# ## Motivatie, arbeidsidentiteit, keuzezekerheid en uitvaldreiging
#
# Leermotivatie, arbeidsidentiteit en keuzezekerheid zijn schalen van {glue:text}`rq6_schaal` met schaalmidden
# {glue:text}`rq6_midden`; uitvaldreiging is één uitspraak ("Ik overweeg om voortijdig met mijn studie te
# stoppen") met dezelfde vier antwoorden. Elk gemiddelde en aandeel heeft een 95%-betrouwbaarheidsinterval met
# cluster-robuuste standaardfouten (CR2) over de hogescholen en een t-verdeling met Bell–McCaffrey-vrijheidsgraden.

# %% tags=["remove-input"]
levels = mean_scores(data["students"], "students", outcomes, min_cell)
show_figure(*level_plot(levels.assign(label=[hypotheses.short_label("students", m) for m in levels["measure"]]),
                        scale.midpoint, (scale.valid_min, scale.valid_max), title="Uitkomsten bij studenten"))

# %% tags=["remove-input"]
items = [item for name in outcomes if name in codebook.scales("students")
         for item in codebook.scales("students")[name].items]
items += [name for name in outcomes if name not in codebook.scales("students")]
labels = {item: textwrap.fill(codebook.label("students", item), 45) for item in items}
shares = answer_shares(data["students"], "students", items, min_cell, labels)
show_figure(*shares.plot("Antwoorden per uitspraak over motivatie, identiteit, keuze en uitval"))

# %% tags=["remove-input"]
show_table(shares.table("uitspraak"), caption="Antwoorden van de studenten per uitspraak")

# %% [markdown]
# De studenten hebben een matig ontwikkelde arbeidsidentiteit: gemiddeld {glue:text}`rq6_ai_gemiddelde`
# {glue:text}`rq6_ai_gemiddelde_bi` op een schaal van {glue:text}`rq6_schaal` (gepubliceerd:
# {glue:text}`rq6_ai_gemiddelde_gepubliceerd`; {glue:text}`rq6_ai_gemiddelde_oordeel`). Toch zijn ze voor het
# grootste deel zeker van hun studiekeuze: keuzezekerheid ligt gemiddeld op {glue:text}`rq6_kz_hoog`
# {glue:text}`rq6_kz_hoog_bi`, boven het schaalmidden ({glue:text}`rq6_kz_hoog_p`;
# {glue:text}`rq6_kz_hoog_oordeel`). Tegelijk zijn ze matig gemotiveerd voor hun studie: leermotivatie ligt
# gemiddeld op {glue:text}`rq6_lm_matig` {glue:text}`rq6_lm_matig_bi`, een interval binnen
# ±{glue:text}`rq6_marge` van het schaalmidden ({glue:text}`rq6_lm_matig_oordeel`). Slechts weinigen overwegen
# om voortijdig met hun studie te stoppen: {glue:text}`rq6_ud_weinig` van de studenten
# {glue:text}`rq6_ud_weinig_bi` is het (helemaal) eens met die uitspraak; "weinigen" geldt hier als een
# interval dat onder {glue:text}`rq6_ud_max` blijft ({glue:text}`rq6_ud_weinig_oordeel`).
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
# gereproduceerd als het {glue:text}`rq6_tost_niveau`-betrouwbaarheidsinterval van β binnen ±{glue:text}`rq6_grens`
# ligt (equivalentietoets, TOST): dan is een verband van betekenis uitgesloten, niet alleen niet aangetoond.

# %% tags=["remove-cell"]
tables = regression.model_tables(ctx, "h2")
published, found = hypotheses.glue_sign_agreement(results, "h2", alpha)
glue_value("h2_diagnostiek", regression.diagnostics_text(tables), "text")

# %% tags=["remove-input"]
show_figure(*hypotheses.forest(tables, title="Wat dragen de loopbaancompetenties bij?"))

# %% [markdown]
# Werkexploratie en loopbaansturing dragen positief bij aan leermotivatie, arbeidsidentiteit en keuzezekerheid
# ({glue:text}`h2_we_ls_positief_samenvatting`), maar niet aan het beperken van uitvaldreiging
# ({glue:text}`h2_we_ls_geen_samenvatting`). Wie meer werkmogelijkheden onderzoekt en meer weloverwogen keuzes
# maakt, is dus gemotiveerder, heeft een beter ontwikkelde arbeidsidentiteit en is zekerder van de studiekeuze.
# Netwerken draagt eveneens positief bij aan arbeidsidentiteit en keuzezekerheid
# ({glue:text}`h2_nw_positief_samenvatting`), maar niet aan leermotivatie en uitvaldreiging
# ({glue:text}`h2_nw_geen_samenvatting`).
#
# Loopbaanreflectie, ten slotte, draagt positief bij aan uitvaldreiging (β = {glue:text}`h2_lr_ud`
# {glue:text}`h2_lr_ud_bi`; {glue:text}`h2_lr_ud_p`; {glue:text}`h2_lr_ud_oordeel`), niet aantoonbaar aan
# leermotivatie (β = {glue:text}`h2_lr_lm` {glue:text}`h2_lr_lm_bi`; {glue:text}`h2_lr_lm_oordeel`) en negatief
# aan arbeidsidentiteit (β = {glue:text}`h2_lr_ai` {glue:text}`h2_lr_ai_bi`; {glue:text}`h2_lr_ai_p`;
# {glue:text}`h2_lr_ai_oordeel`) en keuzezekerheid (β = {glue:text}`h2_lr_kz` {glue:text}`h2_lr_kz_bi`;
# {glue:text}`h2_lr_kz_p`; {glue:text}`h2_lr_kz_oordeel`). Studenten die meer over hun loopbaan reflecteren,
# overwegen vaker te stoppen, hebben een minder ontwikkelde arbeidsidentiteit en zijn minder zeker van hun
# keuzes. Dat kan komen doordat mensen pas over hun loopbaan gaan nadenken als ze onzeker zijn over hun keuzes,
# of doordat reflectie zelf onzekerheid oproept: ze zet vanzelfsprekendheden ter discussie. Welke verklaring
# klopt, kan dit dwarsdoorsnede-onderzoek niet uitmaken.
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
show_figure(*sign_matrix(hypotheses.labelled(published, "students"), hypotheses.labelled(found, "students"),
                         title="Hypothese 2: teken per competentie en uitkomst"))

# %% tags=["remove-input"]
show_table(hypotheses.sign_table(published, found, "students"),
           caption="Teken per competentie en uitkomst (gepubliceerd / gevonden)")

# %% [markdown]
# ### Coëfficiënten en multicollineariteit
#
# De vier competenties hangen onderling samen; de variantie-inflatiefactor (VIF) geeft per voorspeller aan
# hoeveel de variantie van zijn β daardoor groter wordt. Fit en controles: {glue:text}`h2_diagnostiek`.

# %% tags=["remove-input"]
show_table(regression.coefficient_table(tables, roles=("predictor",)),
           caption="Gestandaardiseerde coëfficiënten van de competenties (OLS met CR2-fouten)", formats={"p": fmt_p})

# %% tags=["remove-input"]
show_table(regression.fit_table(tables), caption="Fit en controles per model", formats={"Breusch–Pagan p": fmt_p})

# %% [markdown]
# ### Nesting in hogescholen en robuustheid
#
# De intraklassecorrelatie (ICC) is het deel van de variantie van een uitkomst dat tussen hogescholen ligt, geschat
# met een leeg gemengd model; het design-effect geeft aan hoeveel groter de variantie van een gemiddelde daardoor is
# dan bij onafhankelijke waarnemingen. Met {glue:text}`rq6_n_hogescholen` hogescholen is de variantie tussen
# hogescholen onzeker geschat; daarom is het gemengde model hier alleen een controle naast OLS met
# CR2-fouten. Uitvaldreiging is één uitspraak met vier geordende antwoorden en
# een scheve verdeling; voor die uitkomst staat er ook een ordinaal logitmodel (proportionele odds, cluster-robuuste
# fouten) naast. Zijn coëfficiënten zijn log-odds per standaarddeviatie van de competentie: alleen teken en
# significantie zijn met OLS-CR2 te vergelijken.
# {glue:text}`h2_robuustheid`.

# %% tags=["remove-cell"]
robust = hypotheses.robustness(ctx, "h2")
glue_value("h2_robuustheid", hypotheses.robustness_sentence(robust), "text")

# %% tags=["remove-input"]
show_table(hypotheses.icc_table(ctx, "h2"), caption="Intraklassecorrelatie van de uitkomsten tussen hogescholen")

# %% tags=["remove-input"]
show_table(robust, caption="OLS met CR2-fouten naast het gemengde model en, voor uitvaldreiging, het ordinale logitmodel",
           formats={"p CR2": fmt_p, "p ander": fmt_p})

# %% [markdown]
# ### Oordeel over hypothese 2
#
# De hypothese voorspelt voor elk van de vier competenties een positief verband met leermotivatie,
# arbeidsidentiteit en keuzezekerheid en een negatief verband met uitvaldreiging. De samenvatting concludeert dat
# zij slechts voor een deel wordt bevestigd en dus voor een deel verworpen
# ({glue:text}`h2_hypothese_gepubliceerd`): werkexploratie en loopbaansturing doen wat de hypothese verwacht,
# behalve bij uitvaldreiging; netwerken alleen bij arbeidsidentiteit en keuzezekerheid; loopbaanreflectie werkt
# overal de andere kant op of niet. Meer loopbaanreflectie leidt dus niet tot meer zekerheid over werk en studie.
# Een voorspelling komt uit als β het voorspelde teken heeft en significant is na Holm-correctie over de
# voorspellingen van de hypothese; de hypothese is bevestigd als alle voorspellingen uitkomen, verworpen als geen
# enkele uitkomt, en anders deels bevestigd. Dat is een andere maatstaf dan die voor een bewering dat een
# verband ontbreekt: een klein maar significant β telt hier als uitgekomen, ook als het binnen de
# equivalentiegrens blijft. Gevonden: {glue:text}`h2_hypothese_gevonden` ({glue:text}`h2_hypothese_oordeel`).

# %% tags=["remove-input"]
show_table(hypotheses.predictions_table(data, "h2_hypothese", alpha, min_cell),
           caption="Voorspellingen van hypothese 2: voorspeld en gepubliceerd teken, β en of de voorspelling uitkomt",
           formats={"p (Holm)": fmt_p})

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq6_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq6_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal studenten en het oordeel.

# %% tags=["remove-input"]
show_table(claims_table(results), caption="Beweringen over onderzoeksvraag 6 en hypothese 2")
