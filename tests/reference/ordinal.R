# Proportional-odds logit by MASS::polr (logit P(Y <= j) = zeta_j - x'beta, as statsmodels' OrderedModel), with
# the continuous terms z-scored and the outcome left as it is; the cluster-robust covariance by sandwich::vcovCL
# (HC1: G/(G-1)·(N-1)/(N-K), the correction statsmodels' cov_type="cluster" applies).
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))
suppressPackageStartupMessages({library(MASS); library(sandwich)})

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  m <- model_frame(job)
  for (name in words(job$continuous)) m$frame[[name]] <- as.numeric(scale(m$frame[[name]]))
  m$frame[[job$outcome]] <- factor(m$frame[[job$outcome]], ordered = TRUE)
  formula <- as.formula(paste0("`", job$outcome, "` ~ ", m$rhs))
  fit <- polr(formula, data = m$frame, method = "logistic", Hess = TRUE,
              control = list(reltol = 1e-15, maxit = 10000))
  k <- length(coef(fit))
  emit(job$id, "beta", coef(fit))
  emit(job$id, "zeta", fit$zeta)
  emit(job$id, "loglik", as.numeric(logLik(fit)))
  emit(job$id, "se_cluster", sqrt(diag(vcovCL(fit, cluster = m$cluster, type = "HC1")))[seq_len(k)])
  emit(job$id, "n", nrow(m$frame))
}
finish()
