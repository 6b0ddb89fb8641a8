# OLS with cluster-robust covariance by clubSandwich: CR1S (statsmodels' CR1 factor), CR1, CR2 with
# Satterthwaite df; naive-t (G - 1 df) p-values for CR1S; a linear contrast (weights in job$contrast).
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))
suppressPackageStartupMessages(library(clubSandwich))

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  m <- model_frame(job)
  fit <- lm(as.formula(paste0("`", job$outcome, "` ~ ", m$rhs)), data = m$frame)
  emit(job$id, "beta", coef(fit))
  emit(job$id, "n_clusters", length(unique(m$cluster)))
  weights <- as.numeric(words(job$contrast))
  for (type in c("CR1S", "CR1", "CR2")) {
    V <- vcovCR(fit, cluster = m$cluster, type = type)
    emit(job$id, paste0(type, "_se"), sqrt(diag(as.matrix(V))))
    satt <- coef_test(fit, vcov = V, test = "Satterthwaite")
    emit(job$id, paste0(type, "_df_satt"), satt$df_Satt)
    emit(job$id, paste0(type, "_p_satt"), satt$p_Satt)
    naive <- coef_test(fit, vcov = V, test = "naive-t")
    emit(job$id, paste0(type, "_p_naive"), naive$p_t)
    if (length(weights)) {
      contrast <- linear_contrast(fit, vcov = V, contrasts = matrix(weights, nrow = 1), test = "Satterthwaite")
      emit(job$id, paste0(type, "_contrast"), c(contrast$Est, contrast$SE, contrast$df),
           c("estimate", "se", "df"))
    }
  }
}
finish()
