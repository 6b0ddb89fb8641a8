# Shared by the reference scripts: read a jobs table, write results as a long CSV with 17 significant digits.
# Usage of every script: Rscript <family>.R jobs.csv out.csv
options(warn = 1, stringsAsFactors = FALSE)
args <- commandArgs(trailingOnly = TRUE)
jobs <- read.csv(args[1], colClasses = "character", na.strings = character(0))
results <- list()

emit <- function(id, quantity, value, term = seq_along(value)) {
  # One row per value: job id, quantity name, term (name or position), value written exactly.
  results[[length(results) + 1]] <<- data.frame(
    id = id, quantity = quantity, term = as.character(term), value = sprintf("%.17g", as.numeric(value))
  )
}

finish <- function() {
  write.csv(do.call(rbind, results), args[2], row.names = FALSE)
}

words <- function(x) if (is.null(x) || is.na(x) || x == "") character(0) else strsplit(x, " ", fixed = TRUE)[[1]]

model_frame <- function(job) {
  # Complete cases on the model's columns; with scale = "yes" the outcome and continuous terms are
  # z-scored (scale(): mean 0, sd with n - 1) on that sample; categorical terms become factors whose
  # first (smallest) code is the reference level.
  data <- read.csv(job$data, check.names = FALSE)
  continuous <- words(job$continuous)
  categorical <- words(job$categorical)
  cluster <- words(job$cluster)
  columns <- c(job$outcome, continuous, categorical, cluster)
  frame <- data[complete.cases(data[columns]), columns, drop = FALSE]
  if (identical(job$scale, "yes")) {
    for (name in c(job$outcome, continuous)) frame[[name]] <- as.numeric(scale(frame[[name]]))
  }
  for (name in categorical) frame[[name]] <- factor(frame[[name]])
  rhs <- c(if (length(continuous) + length(categorical)) paste0("`", c(continuous, categorical), "`") else "1")
  list(frame = frame, rhs = paste(rhs, collapse = " + "), cluster = if (length(cluster)) frame[[cluster]])
}
