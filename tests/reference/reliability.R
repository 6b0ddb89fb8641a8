# Cronbach's alpha (psych::alpha) with Feldt's F interval by formula; McDonald's omega total by the
# compendium's definition (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses) from a one-factor
# maximum-likelihood factor analysis of the correlation matrix (stats::factanal and psych::fa, fm = "ml"),
# and psych::omega's own omega total for comparison.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))
suppressPackageStartupMessages(library(psych))

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  data <- read.csv(job$data, check.names = FALSE)
  items <- words(job$items)
  x <- data[complete.cases(data[items]), items]
  n <- nrow(x)
  k <- ncol(x)
  a <- suppressWarnings(psych::alpha(x, warnings = FALSE))$total$raw_alpha
  level <- 0.95
  emit(job$id, "alpha", a)
  emit(job$id, "alpha_feldt", 1 - (1 - a) * qf(c((1 - level) / 2, (1 + level) / 2), n - 1, (n - 1) * (k - 1),
                                               lower.tail = FALSE), c("low", "high"))
  emit(job$id, "n", n)
  if (k >= 3) {
    r <- cor(x)
    ml <- factanal(covmat = r, factors = 1, n.obs = n)
    lambda <- as.numeric(ml$loadings)
    emit(job$id, "omega_factanal", sum(lambda)^2 / (sum(lambda)^2 + sum(ml$uniquenesses)))
    fa_ml <- suppressWarnings(psych::fa(r, nfactors = 1, fm = "ml", n.obs = n))
    lambda <- as.numeric(fa_ml$loadings)
    emit(job$id, "omega_psych_fa_ml", sum(lambda)^2 / (sum(lambda)^2 + sum(1 - lambda^2)))
    om <- suppressWarnings(suppressMessages(psych::omega(r, nfactors = 1, fm = "ml", n.obs = n, plot = FALSE)))
    emit(job$id, "omega_psych_omega_tot", om$omega.tot)
  }
}
finish()
