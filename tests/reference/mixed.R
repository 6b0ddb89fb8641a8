# Random-intercept linear mixed models by lme4 (REML): fixed effects, their SEs, the variance components
# and the REML log-likelihood; the Wald z p-values and 95% / 90% intervals the compendium uses are computed
# from them by formula (lme4 itself reports no p-values). With job$theta (= tau / sigma) the model is also
# evaluated at that variance ratio (lme4's modular functions), to compare at the compendium's optimum, with its
# marginal R-squared by performance::r2_nakagawa (Nakagawa & Schielzeth 2013).
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))
suppressPackageStartupMessages(library(lme4))

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  m <- model_frame(job)
  m$frame$.cluster <- factor(m$cluster)
  formula <- as.formula(paste0("`", job$outcome, "` ~ ", m$rhs, " + (1 | .cluster)"))
  control <- lmerControl(optimizer = "nloptwrap", calc.derivs = FALSE,
                         optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-15, xtol_rel = 1e-12, maxeval = 1e5))
  fit <- lmer(formula, data = m$frame, REML = TRUE, control = control)
  beta <- fixef(fit)
  se <- sqrt(diag(as.matrix(vcov(fit))))
  components <- as.data.frame(VarCorr(fit))
  tau2 <- components$vcov[components$grp == ".cluster"]
  sigma2 <- components$vcov[components$grp == "Residual"]
  z <- beta / se
  emit(job$id, "beta", beta)
  emit(job$id, "se", se)
  emit(job$id, "p_wald", 2 * pnorm(-abs(z)))
  emit(job$id, "ci95_low", beta - qnorm(0.975) * se)
  emit(job$id, "ci95_high", beta + qnorm(0.975) * se)
  emit(job$id, "tau2", tau2)
  emit(job$id, "sigma2", sigma2)
  emit(job$id, "icc", tau2 / (tau2 + sigma2))
  emit(job$id, "loglik_reml", as.numeric(logLik(fit)))
  emit(job$id, "n", nobs(fit))
  theta <- suppressWarnings(as.numeric(job$theta))
  if (!is.na(theta)) {  # the same model at the compendium's variance ratio: theta = tau / sigma
    parsed <- lFormula(formula, data = m$frame, REML = TRUE)
    devfun <- do.call(mkLmerDevfun, parsed)
    criterion <- devfun(theta)
    at <- mkMerMod(environment(devfun), list(par = theta, fval = criterion, conv = 0, feval = 1, message = ""),
                   parsed$reTrms, fr = parsed$fr)
    at_components <- as.data.frame(VarCorr(at))
    emit(job$id, "at_theta_beta", fixef(at))
    emit(job$id, "at_theta_se", sqrt(diag(as.matrix(vcov(at)))))
    emit(job$id, "at_theta_sigma2", at_components$vcov[at_components$grp == "Residual"])
    emit(job$id, "at_theta_loglik_reml", as.numeric(logLik(at)))
    if (length(fixef(at)) > 1) emit(job$id, "at_theta_r2_marginal", performance::r2_nakagawa(at)$R2_marginal)
  }
  emit(job$id, "theta", getME(fit, "theta"))
  bound <- as.numeric(job$bound)
  if (!is.na(bound)) {  # TOST of -bound < beta < bound, normal reference, alpha = job$alpha, at the given theta
    beta <- fixef(at)
    se <- sqrt(diag(as.matrix(vcov(at))))
    alpha <- as.numeric(job$alpha)
    emit(job$id, "tost_p", pmax(pnorm((beta + bound) / se, lower.tail = FALSE), pnorm((beta - bound) / se)))
    emit(job$id, "tost_ci_low", beta - qnorm(1 - alpha) * se)
    emit(job$id, "tost_ci_high", beta + qnorm(1 - alpha) * se)
  }
}
finish()
