# OLS with cluster-robust covariance by clubSandwich: CR2 with Satterthwaite df (the compendium's primary
# inference), CR1S (statsmodels' CR1 factor) and CR1; naive-t (G - 1 df) p-values; a linear contrast (weights
# in job$contrast). With job$bound: the TOST of -bound < beta < bound per coefficient at job$alpha against
# t with CR2's Satterthwaite df, and its 1 - 2 alpha interval (by formula).
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
    if (type == "CR2") {
      bound <- if (is.null(job$bound)) NA else suppressWarnings(as.numeric(job$bound))
      if (!is.na(bound)) {
        beta <- coef(fit)
        se <- sqrt(diag(as.matrix(V)))
        df <- satt$df_Satt
        alpha <- as.numeric(job$alpha)
        emit(job$id, "CR2_tost_p", pmax(pt((beta + bound) / se, df, lower.tail = FALSE), pt((beta - bound) / se, df)))
        emit(job$id, "CR2_tost_ci_low", beta - qt(1 - alpha, df) * se)
        emit(job$id, "CR2_tost_ci_high", beta + qt(1 - alpha, df) * se)
      }
    }
  }
}
finish()
