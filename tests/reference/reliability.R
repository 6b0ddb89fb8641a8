# Cronbach's alpha (psych::alpha) with Feldt's F interval by formula; McDonald's omega total by the
# compendium's definition (sum of loadings)^2 / ((sum of loadings)^2 + sum of uniquenesses) from a one-factor
# maximum-likelihood factor analysis of the correlation matrix (stats::factanal and psych::fa, fm = "ml"),
# and psych::omega's own omega total for comparison. factanal runs with optim's factr = 1e3 instead of its
# default 1e7: at the default, L-BFGS-B stops when the discrepancy function changes by less than about
# 2e-9 relative, which on these flat one-factor likelihoods leaves ω up to about 1e-5 from the ML solution;
# at 1e3 (about 2e-13; 1e4 or 1e5 where 1e3 ends abnormally) ω is converged to about 1e-8. The default's value is written as well.
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
    ml <- NULL
    for (factr in c(1e3, 1e4, 1e5)) {  # the tightest at which L-BFGS-B ends normally (1e5: about 2e-11)
      ml <- tryCatch(factanal(covmat = r, factors = 1, n.obs = n, control = list(opt = list(factr = factr))),
                     error = function(e) NULL)
      if (!is.null(ml)) break
    }
    if (is.null(ml)) stop("factanal did not converge at factr <= 1e5 for ", job$id)
    emit(job$id, "factanal_factr", factr)
    lambda <- as.numeric(ml$loadings)
    emit(job$id, "omega_factanal", sum(lambda)^2 / (sum(lambda)^2 + sum(ml$uniquenesses)))
    default <- factanal(covmat = r, factors = 1, n.obs = n)
    lambda <- as.numeric(default$loadings)
    emit(job$id, "omega_factanal_default", sum(lambda)^2 / (sum(lambda)^2 + sum(default$uniquenesses)))
    fa_ml <- suppressWarnings(psych::fa(r, nfactors = 1, fm = "ml", n.obs = n))
    lambda <- as.numeric(fa_ml$loadings)
    emit(job$id, "omega_psych_fa_ml", sum(lambda)^2 / (sum(lambda)^2 + sum(1 - lambda^2)))
    om <- suppressWarnings(suppressMessages(psych::omega(r, nfactors = 1, fm = "ml", n.obs = n, plot = FALSE)))
    emit(job$id, "omega_psych_omega_tot", om$omega.tot)
  }
}
finish()
