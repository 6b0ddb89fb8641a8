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
min_cell = 10
synthetic = True
n_boot = 200  # bootstrap resamples for the confidence interval of omega

# %% tags=["remove-cell"]
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from loopbaanleren.chapter import load_survey_data
from loopbaanleren.codebook import POPULATIONS, item_scores, load_codebook
from loopbaanleren.disclosure import frequency_table, suppression_marker
from loopbaanleren.report import fmt_ci, fmt_n, glue_value, show_figure, show_table, synthetic_notice
from loopbaanleren.own_data import not_measured_notice
from loopbaanleren.scales import reliability_table
from loopbaanleren.simulate import describe_model

codebook = load_codebook()
data = load_survey_data(students_path, counsellors_path)
labels = {population: codebook.population(population).label_nl for population in POPULATIONS}

glue_value("n_students", len(data["students"]), "n")
glue_value("n_counsellors", len(data["counsellors"]), "n")
glue_value("n_hogescholen", data["students"]["hogeschool"].nunique(), "n")
glue_value("n_sectoren", data["students"]["sector"].nunique(), "n")
glue_value("min_cell", min_cell, "n")
glue_value("n_boot", n_boot, "n")

# %% tags=["remove-input"]
synthetic_notice(synthetic)
not_measured_notice(data)

# %% [markdown]
# ## Herkomst
#
# Deze build gebruikt {glue:text}`n_students` studenten en {glue:text}`n_counsellors`
# studieloopbaanbegeleiders van {glue:text}`n_hogescholen` hogescholen in {glue:text}`n_sectoren` sectoren.
# Bij gesimuleerde data staan het startgetal (seed) en de omvang in de tabel, bij eigen data de
# bestandsnaam en de SHA-256-controlesom, zodat vast te stellen is welk bestand is gebruikt.

# %% tags=["remove-input"]
def origin(frame: pd.DataFrame) -> str:
    if frame.attrs["synthetic"]:
        return f"synthetisch, seed {seed}"
    return f"eigen bestand, SHA-256 {frame.attrs['sha256']}"


show_table(
    pd.DataFrame(
        {
            "populatie": [labels[p] for p in POPULATIONS],
            "bestand": [Path(data[p].attrs["source"]).name for p in POPULATIONS],
            "aantal": [len(data[p]) for p in POPULATIONS],
            "herkomst": [origin(data[p]) for p in POPULATIONS],
        }
    ),
    caption="Gebruikte gegevensbestanden",
)

# %% [markdown]
# ## Verdeling over hogescholen en sectoren
#
# Een groep met minder dan {glue:text}`min_cell` respondenten wordt niet getoond (de cel toont dan
# "{glue:text}`marker`"), zodat geen kleine groep herkenbaar wordt.

# %% tags=["remove-cell"]
glue_value("marker", suppression_marker(min_cell), "text")


def distribution(variable: str) -> pd.DataFrame:
    """Counts per category of ``variable`` for both populations, small cells suppressed."""
    codes = pd.concat([data[population][variable] for population in POPULATIONS]).dropna().unique()
    categories = codebook.value_labels("students", variable, codes)
    columns = {}
    for population in POPULATIONS:
        counts = frequency_table(data[population], variable, min_cell=min_cell)["n"]
        columns[labels[population]] = counts.rename(index=lambda code: categories[int(code)])
    table = pd.DataFrame(columns).reindex(categories.values())
    return table.rename_axis(codebook.label("students", variable)).reset_index().fillna(suppression_marker(min_cell))


# %% tags=["remove-input"]
show_table(distribution("hogeschool"), caption="Aantal respondenten per hogeschool")
show_table(distribution("sector"), caption="Aantal respondenten per sector")

# %% tags=["remove-input"]
sectors = distribution("sector")
shown = sectors[pd.to_numeric(sectors[labels["students"]], errors="coerce").notna()]
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.barh(shown.iloc[:, 0], shown[labels["students"]].astype(int), color="#3b6ea5")
ax.invert_yaxis()
ax.set_xlabel("aantal studenten")
ax.set_title("Studenten per sector")
for side in ("top", "right"):
    ax.spines[side].set_visible(False)
show_figure(
    fig,
    alt="Staafdiagram van het aantal studenten per sector: "
    + "; ".join(f"{row.iloc[0]} {fmt_n(int(row[labels['students']]))}" for _, row in shown.iterrows())
    + ".",
)

# %% [markdown]
# ## Betrouwbaarheid van de schalen
#
# Een schaalscore is het gemiddelde van de items van de schaal, na omscoren van de tegengesteld
# geformuleerde items. De tabel geeft per schaal Cronbachs α met het betrouwbaarheidsinterval volgens Feldt
# en McDonalds ω met een bootstrap-interval ({glue:text}`n_boot` trekkingen). Voor schalen van twee items
# is ω niet gedefinieerd.

# %% tags=["remove-input"]
for population in POPULATIONS:
    absent = data[population].attrs.get("absent_measures", [])  # scales not asked have no reliability
    scales = {name: scale for name, scale in codebook.scales(population).items() if name not in absent}
    items = pd.concat([item_scores(data[population], scale) for scale in scales.values()], axis=1)
    table = reliability_table(items, {name: scale.items for name, scale in scales.items()}, seed=seed, n_boot=n_boot)
    show_table(
        pd.DataFrame(
            {
                "schaal": [scales[name].label_nl for name in table["scale"]],
                "items": table["n_items"],
                "n": table["n"],
                "α": table["alpha"],
                "95%-BI α": [fmt_ci(lo, hi) for lo, hi in zip(table["alpha_ci_low"], table["alpha_ci_high"])],
                "ω": table["omega"],
                "95%-BI ω": [fmt_ci(lo, hi) for lo, hi in zip(table["omega_ci_low"], table["omega_ci_high"])],
            }
        ),
        caption=f"Betrouwbaarheid van de schalen ({labels[population]})",
    )

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
