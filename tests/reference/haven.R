# SPSS .sav files written by haven::write_sav and read back by haven::read_sav, for the compendium's reader.
# jobs: id, data (CSV of codes; resp_id text), labels (CSV: variable, code, label, missing = yes/no, and the
# variable label as code "" ), sav (file to write). Adds a long string (> 255 bytes, non-ASCII) and a date.
# Writes per variable the values as R reads them (user_na = FALSE: user-missing codes become NA; user_na = TRUE:
# the codes kept) and the value labels, user-missing codes and variable labels read back.
script <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
source(file.path(dirname(script), "common.R"))
suppressPackageStartupMessages(library(haven))

text_rows <- list()
for (i in seq_len(nrow(jobs))) {
  job <- jobs[i, ]
  data <- read.csv(job$data, check.names = FALSE, colClasses = c(resp_id = "character"))
  labels <- read.csv(job$labels, colClasses = "character", na.strings = character(0))
  for (name in setdiff(names(data), "resp_id")) {
    mine <- labels[labels$variable == name & labels$code != "", ]
    codes <- setNames(as.numeric(mine$code), mine$label)
    missing <- as.numeric(mine$code[mine$missing == "yes"])
    label <- labels$label[labels$variable == name & labels$code == ""]
    if (length(codes)) {
      data[[name]] <- labelled_spss(as.numeric(data[[name]]), labels = codes,
                                    na_values = if (length(missing)) missing else NULL, label = label)
    } else {
      attr(data[[name]], "label") <- label
    }
  }
  n <- nrow(data)
  data$lange_tekst <- vapply(seq_len(n), function(r) paste0("Toelichting ", r, ": ",
    strrep("loopbaanleren ë é ", 20)), "")  # about 370 bytes in UTF-8
  data$datum <- as.Date("2024-03-01") + (seq_len(n) - 1) * 17
  write_sav(data, job$sav)

  plain <- read_sav(job$sav)
  kept <- read_sav(job$sav, user_na = TRUE)
  for (name in names(plain)) {
    values <- plain[[name]]
    if (inherits(values, "Date")) {
      text_rows[[length(text_rows) + 1]] <- data.frame(id = job$id, variable = name, row = seq_along(values),
                                                       text = format(values, "%Y-%m-%d"))
    } else if (is.character(values)) {
      text_rows[[length(text_rows) + 1]] <- data.frame(id = job$id, variable = name, row = seq_along(values),
                                                       text = values)
    } else {
      emit(job$id, paste0("value:", name), as.numeric(zap_labels(zap_missing(values))))
      emit(job$id, paste0("kept:", name), as.numeric(zap_labels(kept[[name]], user_na = TRUE)))
      lab <- attr(kept[[name]], "labels")
      if (length(lab)) emit(job$id, paste0("labels:", name), as.numeric(lab), names(lab))
      na <- attr(kept[[name]], "na_values")
      if (length(na)) emit(job$id, paste0("na_values:", name), na)
    }
    variable_label <- attr(plain[[name]], "label")
    if (!is.null(variable_label)) {
      text_rows[[length(text_rows) + 1]] <- data.frame(id = job$id, variable = name, row = 0, text = variable_label)
    }
  }
}
finish()
write.csv(do.call(rbind, text_rows), sub("\\.csv$", "-text.csv", args[2]), row.names = FALSE, fileEncoding = "UTF-8")
