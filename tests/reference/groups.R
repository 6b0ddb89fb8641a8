# Welch's one-way ANOVA (stats::oneway.test) with eta-squared, and Games-Howell pairs written out by formula
# (Welch-Satterthwaite df per pair, studentized range via ptukey) with Hedges' g. The 0.95 quantile of each pair
# solves ptukey(q) = 0.95 to 1e-13 (uniroot): qtukey stops its secant search at 1e-4. R's ptukey needs df >= 2, so
# a pair with fewer df gets NA for its p-value and interval.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  data <- read.csv(job$data, check.names = FALSE)
  frame <- data[complete.cases(data[c(job$outcome, job$group)]), c(job$outcome, job$group)]
  y <- frame[[job$outcome]]
  g <- factor(frame[[job$group]])
  welch <- oneway.test(y ~ g, var.equal = FALSE)
  emit(job$id, "welch", c(welch$statistic, welch$parameter, welch$p.value), c("F", "df1", "df2", "p"))
  means <- tapply(y, g, mean)
  emit(job$id, "eta2", sum(table(g) * (means - mean(y))^2) / sum((y - mean(y))^2))
  k <- nlevels(g)
  n <- as.numeric(table(g))
  v <- tapply(y, g, var)
  for (a in 1:(k - 1)) for (b in (a + 1):k) {
    w <- v[c(a, b)] / n[c(a, b)]
    diff <- means[a] - means[b]
    se <- sqrt(sum(w))
    df <- sum(w)^2 / sum(w^2 / (n[c(a, b)] - 1))
    t <- diff / se
    q <- if (df >= 2) uniroot(function(x) ptukey(x, k, df) - 0.95, c(0.5, 2) * qtukey(0.95, k, df), tol = 1e-13)$root else NA
    pooled <- sqrt(((n[a] - 1) * v[a] + (n[b] - 1) * v[b]) / (n[a] + n[b] - 2))
    g_hedges <- diff / pooled * (1 - 3 / (4 * (n[a] + n[b]) - 9))
    emit(job$id, "games_howell",
         c(diff, se, t, df, ptukey(abs(t) * sqrt(2), k, df, lower.tail = FALSE),
           diff - q / sqrt(2) * se, diff + q / sqrt(2) * se, g_hedges),
         paste(levels(g)[a], levels(g)[b], c("diff", "se", "t", "df", "p", "ci_low", "ci_high", "hedges_g")))
  }
}
finish()
