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
results = evaluate_chapter(data, ("RQ5",), alpha, min_cell, results_dir)

registry = load_registry()
codebook = load_codebook()
ctx = Context(data, alpha=alpha, min_cell=min_cell)
spec = hypotheses.model_spec("h1")
competencies = spec["outcomes"]
scale = codebook.scales("students")[competencies[0]]
glue_value("rq5_alpha", alpha, "num")
glue_value("rq5_grens", registry.rules["equivalence_bound"], "num")
glue_value("rq5_n_getoetst", int(results["p_adjusted"].notna().sum()), "n")
glue_value("rq5_n_studenten", len(data["students"]), "n")
glue_value("rq5_n_hogescholen", data["students"]["hogeschool"].nunique(), "n")
glue_value("rq5_tost_niveau", 1 - 2 * alpha, "pct")
glue_value("rq5_midden", scale.midpoint, "num", digits=1)
glue_value("rq5_schaal", f"{scale.valid_min} tot {scale.valid_max}", "text")
glue_value("h1_hypothese_gevonden", results.set_index("id").at["h1_hypothese", "found_nl"], "text")

cells = hypotheses.cell_claims("h1")
for predictor in spec["predictors"]:
    ids = [claim.id for (name, _), claim in cells.items() if name == predictor]
    glue_value(f"h1_{predictor}_samenvatting", hypotheses.effect_summary(results, ids), "text")

# %% tags=["remove-input"]
synthetic_notice(synthetic)

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`rq5_n_studenten` studenten. Elke toets die een bewering
# moet dragen ({glue:text}`rq5_n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens Holm, binnen
# deze onderzoeksvraag, met α = {glue:text}`rq5_alpha`. Studenten zijn genest in hogescholen; hoe dat is
# verwerkt, staat bij elke analyse.
#
# ## Hoe ver zijn studenten in hun loopbaancompetenties?
#
# De vier competenties zijn schalen van {glue:text}`rq5_schaal` met schaalmidden {glue:text}`rq5_midden`. Elk
# gemiddelde heeft een 95%-betrouwbaarheidsinterval met cluster-robuuste standaardfouten (CR2) over de
# hogescholen en een t-verdeling met Bell–McCaffrey-vrijheidsgraden; de toets tegen het
# schaalmidden gebruikt dezelfde fouten.

# %% tags=["remove-input"]
levels = mean_scores(data["students"], "students", competencies, min_cell)
show_figure(*level_plot(levels, scale.midpoint, (scale.valid_min, scale.valid_max),
                        title="Loopbaancompetenties van studenten"))

# %% tags=["remove-input"]
items = [item for name in competencies for item in codebook.scales("students")[name].items]
labels = {item: textwrap.fill(codebook.label("students", item), 45) for item in items}
shares = answer_shares(data["students"], "students", items, min_cell, labels)
show_figure(*shares.plot("Antwoorden per uitspraak over de eigen loopbaancompetenties"))

# %% tags=["remove-input"]
show_table(shares.table("uitspraak"), caption="Antwoorden van de studenten per uitspraak")

# %% [markdown]
# Studenten in het hoger beroepsonderwijs ontwikkelen nauwelijks loopbaancompetenties. Alleen de gemiddelde
# score voor loopbaanreflectie ligt net boven het schaalmidden: {glue:text}`rq5_lr_boven`
# {glue:text}`rq5_lr_boven_bi` ({glue:text}`rq5_lr_boven_p`; {glue:text}`rq5_lr_boven_oordeel`). Voor
# werkexploratie ({glue:text}`rq5_we_onder` {glue:text}`rq5_we_onder_bi`; {glue:text}`rq5_we_onder_p`;
# {glue:text}`rq5_we_onder_oordeel`), loopbaansturing ({glue:text}`rq5_ls_onder` {glue:text}`rq5_ls_onder_bi`;
# {glue:text}`rq5_ls_onder_p`; {glue:text}`rq5_ls_onder_oordeel`) en netwerken ({glue:text}`rq5_nw_onder`
# {glue:text}`rq5_nw_onder_bi`; {glue:text}`rq5_nw_onder_p`; {glue:text}`rq5_nw_onder_oordeel`) liggen de
# gemiddelden onder het schaalmidden.
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
# {glue:text}`rq5_tost_niveau`-betrouwbaarheidsinterval van β binnen ±{glue:text}`rq5_grens` ligt
# (equivalentietoets, TOST): dan is een verband van betekenis uitgesloten, niet alleen niet aangetoond.

# %% tags=["remove-cell"]
tables = regression.model_tables(ctx, "h1")
published, found = hypotheses.glue_sign_agreement(results, "h1", alpha)
glue_value("h1_diagnostiek", regression.diagnostics_text(tables), "text")

# %% tags=["remove-input"]
show_figure(*hypotheses.forest(tables, title="Wat hangt samen met de loopbaancompetenties?"))

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
show_figure(*sign_matrix(hypotheses.labelled(published, "students"), hypotheses.labelled(found, "students"),
                         title="Hypothese 1: teken per voorspeller en competentie"))

# %% tags=["remove-input"]
show_table(hypotheses.sign_table(published, found, "students"),
           caption="Teken per voorspeller en competentie (gepubliceerd / gevonden)")

# %% [markdown]
# ### Coëfficiënten en multicollineariteit
#
# De voorspellers hangen onderling samen: een vraaggerichte omgeving gaat samen met meer eigen inbreng, een
# reflectief gesprek met meer aandacht voor zelfbeeld en acties. De variantie-inflatiefactor (VIF) geeft per
# voorspeller aan hoeveel de variantie van zijn β daardoor groter wordt. Fit en controles:
# {glue:text}`h1_diagnostiek`.

# %% tags=["remove-input"]
show_table(regression.coefficient_table(tables, roles=("predictor",)),
           caption="Gestandaardiseerde coëfficiënten van de voorspellers (OLS met CR2-fouten)", formats={"p": fmt_p})

# %% tags=["remove-input"]
show_table(regression.fit_table(tables), caption="Fit en controles per model", formats={"Breusch–Pagan p": fmt_p})

# %% [markdown]
# ### Nesting in hogescholen en robuustheid
#
# De intraklassecorrelatie (ICC) is het deel van de variantie van een competentie dat tussen hogescholen ligt,
# geschat met een leeg gemengd model. Ook een kleine ICC telt bij zo'n {glue:text}`rq5_n_studenten` studenten in
# {glue:text}`rq5_n_hogescholen` hogescholen: het design-effect geeft aan hoeveel groter de variantie van een
# gemiddelde is dan bij onafhankelijke waarnemingen. Met {glue:text}`rq5_n_hogescholen` hogescholen is de variantie
# tussen hogescholen onzeker geschat; daarom is het gemengde model hier alleen een controle naast OLS met
# CR2-fouten.
# {glue:text}`h1_robuustheid`.

# %% tags=["remove-cell"]
robust = hypotheses.robustness(ctx, "h1")
glue_value("h1_robuustheid", hypotheses.robustness_sentence(robust), "text")

# %% tags=["remove-input"]
show_table(hypotheses.icc_table(ctx, "h1"), caption="Intraklassecorrelatie van de competenties tussen hogescholen")

# %% tags=["remove-input"]
show_table(robust, caption="OLS met CR2-fouten (primaire analyse) naast het gemengde model (controle)",
           formats={"p CR2": fmt_p, "p ander": fmt_p})

# %% [markdown]
# ### Oordeel over hypothese 1
#
# De samenvatting concludeert dat de hypothese wordt bevestigd ({glue:text}`h1_hypothese_gepubliceerd`). De
# hypothese voorspelt een positief verband van de praktijkgerichte en de vraaggerichte leeromgeving en van de
# eigen inbreng in het gesprek met elk van de vier competenties. Een voorspelling komt uit als β het voorspelde
# teken heeft en significant is na Holm-correctie over de voorspellingen van de hypothese; de hypothese is
# bevestigd als alle voorspellingen uitkomen, verworpen als geen enkele uitkomt, en anders deels bevestigd.
# Gevonden: {glue:text}`h1_hypothese_gevonden` ({glue:text}`h1_hypothese_oordeel`).

# %% tags=["remove-input"]
show_table(hypotheses.predictions_table(data, "h1_hypothese", alpha, min_cell),
           caption="Voorspellingen van hypothese 1: voorspeld en gepubliceerd teken, β en of de voorspelling uitkomt",
           formats={"p (Holm)": fmt_p})

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq5_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq5_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal studenten en het oordeel.

# %% tags=["remove-input"]
show_table(claims_table(results), caption="Beweringen over onderzoeksvraag 5 en hypothese 1")
