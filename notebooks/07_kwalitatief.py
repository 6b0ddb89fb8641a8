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
# # Kwalitatief: "Elk lob-gesprek is er 1"
#
# Wat nemen alumni van de Leergang Loopbaancoaching mee naar hun dagelijkse onderwijspraktijk? Dit hoofdstuk
# herhaalt de analyse van de interviews met de alumni: welke thema's en codes worden door hoeveel alumni
# genoemd, welke codes gaan samen, hoe goed twee codeurs het eens zijn, en of de beweringen uit de samenvatting
# standhouden. Wie eigen gecodeerde interviews heeft (een CSV-export met per gecodeerd segment een interview en
# een code), kan dit hoofdstuk daarop opnieuw uitvoeren.

# %% tags=["parameters"]
interviews_path = ""
seed = 2026
min_cell = 10
synthetic = True

# %% tags=["remove-cell"]
import tempfile
from pathlib import Path

from IPython.display import Markdown, display

from loopbaanleren.claims.qualitative_analysis import ALL_CODES, cooccurrence, intercoder_agreement, mention_counts, presence_matrix
from loopbaanleren.claims.qualitative import evaluate_qualitative_claims
from loopbaanleren.data.coding_frame import load_coding_frame
from loopbaanleren.data.segments import read_segments
from loopbaanleren.data.synthetic_segments import write_synthetic_segments
from loopbaanleren.book.formatting import fmt_pct
from loopbaanleren.book import qualitative_display as kwd
from loopbaanleren.book import qualitative_figures as kwf
from loopbaanleren.book.glue_keys import rq_key
from loopbaanleren.book.figure_output import show_figure
from loopbaanleren.book.report import glue_value, show_table

if not interviews_path:
    interviews_path = write_synthetic_segments(Path(tempfile.mkdtemp()) / "interviews_synthetic.csv", seed)
frame = load_coding_frame()
segments = read_segments(interviews_path, frame)
counts = mention_counts(segments, frame)
n_interviews = int(counts["n_interviews"].iloc[0])

glue_value("kwal_n_interviews", n_interviews, "n")
glue_value("kwal_n_segments", len(segments), "n")
glue_value("kwal_n_codes", len(frame.codes), "n")
glue_value("kwal_n_themes", len(frame.themes), "n")
glue_value("kwal_min_cell", min_cell, "n")

# %% tags=["remove-input"]
if synthetic:
    display(Markdown(kwd.SYNTHETIC_NOTICE))

# %% [markdown]
# ## Codeerschema en gegevens
#
# Het codeerschema telt {glue:text}`kwal_n_codes` codes in {glue:text}`kwal_n_themes` thema's, één code per
# punt uit de samenvatting. Het oorspronkelijke codeerschema is niet openbaar; de definities zijn voor dit
# compendium uit de samenvatting afgeleid. De gegevens bestaan uit {glue:text}`kwal_n_segments` gecodeerde
# segmenten uit {glue:text}`kwal_n_interviews` interviews. Een interview noemt een code als ten minste één
# segment die code heeft. Aantallen interviews zijn geen persoonsgegevens: de drempel voor kleine cellen
# (n < {glue:text}`kwal_min_cell`) geldt hier niet. Segmentteksten worden nooit getoond.

# %% tags=["remove-input"]
show_table(kwd.frame_table(frame), caption="Codeerschema: thema's, codes en definities")

# %% [markdown]
# ## Welke codes komen in welk interview voor?
#
# De figuur laat per code zien in welke interviews de code voorkomt; de tabel telt per code en per thema door
# hoeveel alumni hij genoemd wordt.

# %% tags=["remove-input"]
show_figure(*kwf.plot_presence(presence_matrix(segments, frame), frame))

# %% tags=["remove-input"]
show_table(kwd.mention_table(mention_counts(segments, frame, by="theme"), frame), caption="Genoemd per thema")
show_table(kwd.mention_table(counts, frame), caption="Genoemd per code")

# %% [markdown]
# ## Welke codes gaan samen?
#
# Het getal in een cel is het aantal interviews waarin beide codes voorkomen; op de diagonaal staat het aantal
# interviews dat de code noemt.

# %% tags=["remove-input"]
show_table(kwd.cooccurrence_table(cooccurrence(segments, frame, by="theme"), frame),
           caption="Aantal interviews waarin twee thema's samen voorkomen")
show_figure(*kwf.plot_cooccurrence(cooccurrence(segments, frame), frame))

# %% [markdown]
# ## Opbouw van het professionaliseringstraject
#
# Op basis van de wensen van de trekker kunnen de bijeenkomsten in vijf stappen worden opgebouwd.

# %% tags=["remove-input"]
show_figure(*kwf.plot_steps(frame))

# %% [markdown]
# ## Overeenstemming tussen codeurs
#
# Waar twee codeurs dezelfde interviews codeerden, vergelijken we per code of ze die in een interview
# toekennen: de overeenstemming, Cohens κ en Krippendorffs α (nominaal). Kent geen van beiden of kennen beiden
# een code in alle interviews toe, dan zijn κ en α niet gedefinieerd en telt alleen de overeenstemming.

# %% tags=["remove-cell"]
agreement = intercoder_agreement(segments, frame)
pooled = agreement.loc[ALL_CODES]
n_double = glue_value("kwal_n_double_coded", int(pooled["n_interviews"]), "n")
kappa = glue_value("kwal_kappa_pooled", pooled["kappa"], "num")
alpha = glue_value("kwal_alpha_pooled", pooled["alpha"], "num")
if pooled["n_interviews"]:
    sentence = (f"Twee codeurs codeerden allebei {n_double} interviews; over alle codes en interviews samen is "
                f"Cohens κ {kappa} en Krippendorffs α {alpha}.")
else:
    sentence = "Deze gegevens hebben geen twee codeurs voor dezelfde interviews."
glue_value("kwal_agreement_text", sentence, "text")

# %% tags=["remove-input"]
if pooled["n_interviews"]:
    show_table(kwd.agreement_table(agreement), caption="Overeenstemming tussen twee codeurs per code",
               formats={"Overeenstemming": fmt_pct})

# %% [markdown]
# {glue:text}`kwal_agreement_text`

# %% [markdown]
# ## Beweringen uit de samenvatting
#
# Elke bewering uit de samenvatting is getoetst aan de gecodeerde interviews: bij "alle alumni" moet het aantal
# gelijk zijn aan het gepubliceerde aantal, bij een opsomming moet elk punt door ten minste één alumnus genoemd
# zijn.

# %% tags=["remove-cell"]
verdicts = evaluate_qualitative_claims(segments, frame=frame)
glue_value(rq_key("KWAL", "n_reproduced"), int(verdicts["reproduced"].eq(True).sum()), "n")  # the ledger links here
glue_value(rq_key("KWAL", "n_claims"), len(verdicts), "n")

# %% tags=["remove-input"]
show_table(kwd.claims_table(verdicts), caption="Beweringen van de samenvatting en hun uitkomst")

# %% [markdown]
# Van de {glue:text}`kwal_n_claims` beweringen zijn er {glue:text}`kwal_n_reproduced` gereproduceerd.
