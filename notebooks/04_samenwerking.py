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

# %% tags=["remove-cell"]
import textwrap

from loopbaanleren import regression
from loopbaanleren.chapter import claims_table, evaluate_chapter, load_survey_data
from loopbaanleren.codebook import load_codebook
from loopbaanleren.disclosure import frequency_table, suppression_marker
from loopbaanleren.evaluate import Context, analysis_frame
from loopbaanleren.figures import forest_plot
from loopbaanleren.items import answer_shares
from loopbaanleren.report import fmt_p, glue_value, show_figure, show_table, synthetic_notice
from loopbaanleren.sectors import compare_sectors, glue_comparison, sector_table, significant_partners

data = load_survey_data(students_path, counsellors_path)
results = evaluate_chapter(data, ("RQ4",), alpha, min_cell, results_dir)

codebook = load_codebook()
ctx = Context(data, alpha=alpha, min_cell=min_cell)
cooperation = codebook.scales("counsellors")["samenwerking"]
glue_value("rq4_alpha", alpha, "num")
glue_value("rq4_n_getoetst", int(results["p_adjusted"].notna().sum()), "n")
glue_value("rq4_n_begeleiders", len(data["counsellors"]), "n")
glue_value("rq4_midden", cooperation.midpoint, "num", digits=1)
glue_value("rq4_min_cell", min_cell, "n")


def wrapped_labels(items: list[str]) -> dict[str, str]:
    """Item texts over several lines, so that a chart keeps room for its bars."""
    return {item: textwrap.fill(codebook.label("counsellors", item), 45) for item in items}

# %% tags=["remove-input"]
synthetic_notice(synthetic)

# %% [markdown]
# Het hoofdstuk rust op de antwoorden van {glue:text}`rq4_n_begeleiders` begeleiders. Elke toets die een
# bewering moet dragen ({glue:text}`rq4_n_getoetst` toetsen) is gecorrigeerd voor meervoudig toetsen volgens
# Holm, binnen deze onderzoeksvraag, met α = {glue:text}`rq4_alpha`. Aandelen en gemiddelden hebben een
# 95%-betrouwbaarheidsinterval met cluster-robuuste standaardfouten (CR2) over de hogescholen en een
# t-verdeling met Bell–McCaffrey-vrijheidsgraden, omdat begeleiders van dezelfde hogeschool op
# elkaar kunnen lijken.
#
# ## Hoeveel samenwerking is er?

# %% tags=["remove-input"]
sufficient = answer_shares(data["counsellors"], "counsellors", ["sw_onvoldoende"], min_cell)
show_table(sufficient.table("stelling"), caption="Oordeel over de samenwerking met het bedrijfsleven")

# %% tags=["remove-input"]
extent = answer_shares(data["counsellors"], "counsellors", list(cooperation.items), min_cell,
                       labels=wrapped_labels(cooperation.items))
show_figure(*extent.plot("Mate van samenwerking met de praktijk bij de begeleiding"))

# %% [markdown]
# Liefst {glue:text}`rq4_sw_onvoldoende` {glue:text}`rq4_sw_onvoldoende_bi` van de begeleiders vindt de
# samenwerking met het bedrijfsleven op het gebied van studieloopbaanbegeleiding onvoldoende (gepubliceerd:
# {glue:text}`rq4_sw_onvoldoende_gepubliceerd`; {glue:text}`rq4_sw_onvoldoende_oordeel`), en
# {glue:text}`rq4_sw_geen` {glue:text}`rq4_sw_geen_bi` zegt dat er helemaal geen samenwerking is (gepubliceerd:
# {glue:text}`rq4_sw_geen_gepubliceerd`; {glue:text}`rq4_sw_geen_oordeel`). "Onvoldoende" is gemeten als
# (helemaal) oneens zijn met de stelling dat de samenwerking voldoende is.
#
# ## Samenwerking per sector
#
# De sectoren zijn vergeleken op de schaal voor samenwerking (van "helemaal niet" tot "in hoge mate";
# schaalmidden {glue:text}`rq4_midden`). Welch' variantieanalyse toetst of de sectoren verschillen zonder gelijke
# varianties aan te nemen: {glue:text}`rq4_sw_anova`. De Games–Howell-toets vergelijkt alle paren sectoren
# (de tabel noemt per sector van welke sectoren zij significant verschilt). Economie is daarnaast getoetst
# tegen alle andere sectoren samen, met cluster-robuuste standaardfouten: {glue:text}`rq4_sw_contrast`.
# Sectoren met minder dan {glue:text}`rq4_min_cell` begeleiders worden niet getoond.

# %% tags=["remove-cell"]
comparison = compare_sectors(data["counsellors"], "counsellors", "samenwerking", ("Economie",), min_cell, alpha)
glue_comparison(comparison, "rq4_sw")
partners = significant_partners(comparison)
others = len(comparison.means) - 1
for sector, key in (("Economie", "economie"), ("Onderwijs", "onderwijs")):
    differs = partners.get(sector, [])
    glue_value(f"rq4_gh_{key}", f"{len(differs)} van de {others}", "text")
frame = analysis_frame(data["counsellors"], "counsellors")
cells = frequency_table(frame, "sector", "hogeschool", min_cell)
glue_value("rq4_cellen", cells.size, "n")
glue_value("rq4_cellen_klein", int((cells == suppression_marker(min_cell)).to_numpy().sum()), "n")

# %% tags=["remove-input"]
show_figure(*comparison.plot("Samenwerking met het bedrijfsleven per sector"))

# %% tags=["remove-input"]
show_table(sector_table(comparison), caption="Samenwerking met het bedrijfsleven per sector")

# %% [markdown]
# In de sector Economie is significant minder sprake van samenwerking dan in de andere sectoren (verschil
# {glue:text}`rq4_sw_contrast_e` {glue:text}`rq4_sw_contrast_e_bi`; {glue:text}`rq4_sw_contrast_e_p`;
# {glue:text}`rq4_sw_contrast_e_oordeel`). Economie heeft het laagste gemiddelde
# ({glue:text}`rq4_sw_laagste_e`; {glue:text}`rq4_sw_laagste_e_oordeel`) en verschilt volgens Games–Howell
# significant van {glue:text}`rq4_gh_economie` andere sectoren. Op de plaatsen daarna volgen
# {glue:text}`rq4_sw_volgend` (gepubliceerd: de agrarische opleidingen en Zorg & Welzijn;
# {glue:text}`rq4_sw_volgend_oordeel`). In de sector Onderwijs is het meest sprake van samenwerking
# ({glue:text}`rq4_sw_hoogste_onderwijs`; {glue:text}`rq4_sw_hoogste_onderwijs_oordeel`; volgens Games–Howell
# verschilt Onderwijs significant van {glue:text}`rq4_gh_onderwijs` andere sectoren), maar ook die score ligt onder het
# schaalmidden: {glue:text}`rq4_sw_onderwijs_onder` {glue:text}`rq4_sw_onderwijs_onder_bi`
# ({glue:text}`rq4_sw_onderwijs_onder_p`; {glue:text}`rq4_sw_onderwijs_onder_oordeel`), wat wil zeggen dat er
# nauwelijks samenwerking is.
#
# Een uitsplitsing naar sector binnen hogeschool laat dit hoofdstuk weg: van de {glue:text}`rq4_cellen`
# combinaties van sector en hogeschool tellen er {glue:text}`rq4_cellen_klein` minder dan
# {glue:text}`rq4_min_cell` begeleiders, en die mogen niet getoond worden.
#
# ## Waaruit bestaat de samenwerking?

# %% tags=["remove-input"]
forms = ["sw_afspraken", "sw_gezamenlijk_beoordelen", "sw_gastsprekers"]
form_shares = answer_shares(data["counsellors"], "counsellors", forms, min_cell, labels=wrapped_labels(forms))
show_figure(*form_shares.plot("Vormen van samenwerking met de praktijk", order=["nee", "ja"]))

# %% [markdown]
# Als er al sprake is van samenwerking, gaat het vooral om afspraken met mensen uit de praktijk over de
# begeleiding van studenten: die vorm komt vaker voor dan samen beoordelen of loopbaanactiviteiten door mensen
# uit de praktijk (kleinste verschil in het aandeel "ja": {glue:text}`rq4_sw_afspraken_meest`
# {glue:text}`rq4_sw_afspraken_meest_bi`; {glue:text}`rq4_sw_afspraken_meest_p`;
# {glue:text}`rq4_sw_afspraken_meest_oordeel`). Maar zelfs dat doet
# slechts {glue:text}`rq4_sw_afspraken_helft` {glue:text}`rq4_sw_afspraken_helft_bi` van de begeleiders
# (gepubliceerd: {glue:text}`rq4_sw_afspraken_helft_gepubliceerd`, de helft;
# {glue:text}`rq4_sw_afspraken_helft_oordeel`).
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

# %% tags=["remove-cell"]
tables = regression.model_tables(ctx, "rq4_acties")
overview = regression.robustness_overview(ctx, "rq4_acties")
glue_value("rq4_diagnostiek", regression.diagnostics_text(tables), "text")
glue_value("rq4_robuustheid", regression.robustness_text(overview), "text")

# %% tags=["remove-input"]
show_figure(*forest_plot(regression.forest_frame(tables, roles=("predictor", "control")),
                         title="Wat hangt samen met gesprekken over concrete acties?"))

# %% tags=["remove-input"]
show_table(regression.coefficient_table(tables), caption="Gestandaardiseerde coëfficiënten (OLS met CR2-fouten)",
           formats={"p": fmt_p})

# %% [markdown]
# Met studenten spreken over concrete acties voor werk en loopbaan hangt samen met de ervaren samenwerking met
# het bedrijfsleven: hoe meer samenwerking, des te vaker gaan de gesprekken over zulke acties (β =
# {glue:text}`rq4_sw_acties` {glue:text}`rq4_sw_acties_bi`; {glue:text}`rq4_sw_acties_p`;
# {glue:text}`rq4_sw_acties_oordeel`).
#
# Aannames en fit: {glue:text}`rq4_diagnostiek`. De residuenfiguur hoort vlak rond nul te liggen met een
# gelijkmatige spreiding; de cluster-robuuste fouten van de OLS-controle zijn ook bestand tegen ongelijke
# spreiding. Schat het gemengde model de variantie tussen hogescholen op nul, dan valt het samen met gewone
# regressie zonder correctie voor de clustering; de OLS-controle met cluster-robuuste fouten laat dan zien of de
# conclusies standhouden. OLS-CR2 naast het gemengde model: {glue:text}`rq4_robuustheid`.

# %% tags=["remove-input"]
show_figure(*regression.residual_plot(tables))

# %% tags=["remove-input"]
show_table(regression.fit_table(tables), caption="Fit en controles van het model", formats={"Breusch–Pagan p": fmt_p})

# %% tags=["remove-input"]
show_table(overview, caption="OLS met CR2-fouten (primaire analyse) naast het gemengde model (controle)")

# %% [markdown]
# ## Alle beweringen van deze onderzoeksvraag
#
# Van de {glue:text}`rq4_n_claims` beweringen uit de samenvatting over deze onderzoeksvraag zijn er
# {glue:text}`rq4_n_reproduced` gereproduceerd. De tabel geeft per bewering de gepubliceerde en de gevonden
# waarde, het 95%-betrouwbaarheidsinterval, de p-waarde na Holm-correctie, het aantal begeleiders en het oordeel.

# %% tags=["remove-input"]
show_table(claims_table(results), caption="Beweringen over onderzoeksvraag 4")
