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
# # Gegevens
#
# Dit hoofdstuk laat zien op welke gegevens dit boek is gebouwd: waar de bestanden vandaan komen, hoeveel
# studenten en studieloopbaanbegeleiders er per hogeschool en per sector in zitten, wat elke variabele
# betekent en hoe betrouwbaar de schalen zijn. Alle volgende hoofdstukken gebruiken dezelfde bestanden.

# %% tags=["parameters"]
students_path = ""
counsellors_path = ""
seed = 2026
alpha = 0.05
min_cell = 10
shared_dir = ""  # set by the build: the survey data it read once
synthetic = True
n_boot = 200  # bootstrap resamples for the confidence interval of omega

# %% tags=["remove-cell"]
from loopbaanleren.book import data_sections, sections
from loopbaanleren.data.codebook import POPULATIONS, load_codebook
from loopbaanleren.book.report import glue_value, show_table
from loopbaanleren.data.simulation import describe_model

codebook = load_codebook()
data = sections.open_data(sections.ChapterParams.of(globals()))
labels = {population: codebook.population(population).label_nl for population in POPULATIONS}
glue_value("n_sectoren", data["students"]["sector"].nunique(), "n")
glue_value("n_boot", n_boot, "n")

# %% tags=["remove-input"]
sections.notices(data, synthetic)

# %% [markdown]
# ## Herkomst
#
# Deze build gebruikt {glue:text}`n_students` studenten en {glue:text}`n_counsellors`
# studieloopbaanbegeleiders van {glue:text}`n_hogescholen` hogescholen in {glue:text}`n_sectoren` sectoren.
# Bij gesimuleerde data staan het startgetal (seed) en de omvang in de tabel, bij eigen data de
# bestandsnaam en de SHA-256-controlesom, zodat vast te stellen is welk bestand is gebruikt.

# %% tags=["remove-input"]
data_sections.data_files(data, seed).show()

# %% [markdown]
# ## Wat er met de bestanden is gedaan
#
# Bij eigen data staat hier per bestand wat de mapping (en wat het bestand zelf over ontbrekende codes zegt) met
# de gegevens deed: weggelaten regels (met hun regelnummer in het bestand), omgezette waarden per variabele, waarden
# die als ontbrekend gelden en variabelen waarvan de codes zijn aangenomen ondanks afwijkende labels. Een aantal
# kleiner dan {glue:text}`min_cell` wordt niet getoond. Dezelfde gegevens, met de mapping zelf en haar SHA-256,
# staan in `results/provenance.json`.

# %% tags=["remove-input"]
data_sections.mapping_report(data, min_cell).show()

# %% [markdown]
# ## Verdeling over hogescholen en sectoren
#
# Een groep met minder dan {glue:text}`min_cell` respondenten wordt niet getoond (de cel toont dan
# "{glue:text}`marker`"), zodat geen kleine groep herkenbaar wordt. Omdat het totale aantal respondenten
# bekend is, zou zo'n cel anders uit de andere cellen van de kolom volgen; daarom wordt dan ook de kleinste
# groep die dat voorkomt niet getoond ("{glue:text}`marker_aanvullend`").

# %% tags=["remove-input"]
data_sections.distribution(data, "hogeschool", min_cell, "Aantal respondenten per hogeschool").show()
data_sections.distribution(data, "sector", min_cell, "Aantal respondenten per sector", "Studenten per sector").show()

# %% [markdown]
# ## Betrouwbaarheid van de schalen
#
# Een schaalscore is het gemiddelde van de items van de schaal, na omscoren van de tegengesteld
# geformuleerde items. De tabel geeft per schaal Cronbachs α met het betrouwbaarheidsinterval volgens Feldt
# en McDonalds ω met een bootstrap-interval ({glue:text}`n_boot` trekkingen). Voor schalen van twee items
# is ω niet gedefinieerd.

# %% tags=["remove-input"]
for population in POPULATIONS:
    scales = {population: data_sections.measured_scales(data, population)}
    caption = f"Betrouwbaarheid van de schalen ({labels[population]})"
    data_sections.reliability(data, scales, seed, n_boot, caption).show()

# %% [markdown]
# ## Codeboek
#
# Elke variabele van beide vragenlijsten met haar betekenis, antwoordcategorieën en, waar van toepassing,
# de aanname die dit compendium over het niet-openbare oorspronkelijke instrument doet.

# %% tags=["remove-input"]
show_table(codebook.table(), caption="Codeboek", name="codeboek", interactive=True, xlsx=True)

# %% [markdown]
# ## Het model achter de synthetische data
#
# Bij een build op synthetische data komen de antwoorden uit een generatief model: latente constructen die
# van sector, hogeschool en persoonskenmerken afhangen en elkaar via paden beïnvloeden, en items die
# daaruit via drempels in antwoordcategorieën worden omgezet. De tabel geeft de parameters van dat model.
# Bij eigen data is dit model niet gebruikt.

# %% tags=["remove-input"]
if synthetic:
    for population in POPULATIONS:
        show_table(describe_model(population), caption=f"Parameters van het model ({labels[population]})")
