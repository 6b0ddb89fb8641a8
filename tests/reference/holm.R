# Holm step-down adjusted p-values (stats::p.adjust) within each family; job$p holds the raw p-values.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))

for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  emit(job$id, "holm", p.adjust(as.numeric(words(job$p)), method = "holm"))
}
finish()
