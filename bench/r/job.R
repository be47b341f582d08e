# One benchmark job in R, as bench/run.sh runs it (one whole process per run):
#   Rscript bench/r/job.R JOB FILE READER CHECK_OUT
# JOB: cox | coxzph | km | logrank | coxfit; READER: base (read.csv) | fread (data.table::fread).
# Prints what a user would look at (summary table, cox.zph table, concordance, survfit medians, survdiff), writes the
# numbers to compare at full precision to CHECK_OUT ("key value" lines) and the computation's own time
# ("compute_ms N", everything after the file is read) to standard error.
# coxfit: the fit alone on the design already in memory (survival's coxph.fit, as CoxRegression.FitMatrix), median of 5.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
job <- args[1]; file <- args[2]; reader <- args[3]; check <- args[4]
Sys.setlocale("LC_COLLATE", "C")

d <- if (reader == "fread") {
  suppressPackageStartupMessages(library(data.table))
  as.data.frame(fread(file, select = c("time", "status", "group", "b1", "b2", "b3", "b4", "f1", "f2", "c1", "c2", "c3", "c4")))
} else {
  read.csv(file)
}
t0 <- proc.time()[["elapsed"]]
out <- character()
put <- function(key, value) out <<- c(out, sprintf("%s %.17g", key, value))
form <- Surv(time, status) ~ b1 + b2 + b3 + b4 + f1 + f2 + c1 + c2 + c3 + c4

if (job %in% c("cox", "coxzph")) {
  fit <- coxph(form, data = d, ties = "efron")
  print(summary(fit))
  b <- coef(fit)
  for (k in names(b)) put(paste0("coef.", k), b[[k]])
  put("loglik", fit$loglik[2])
  if (job == "coxzph") {
    z <- cox.zph(fit)
    print(z)
    tab <- z$table
    for (k in rownames(tab)) put(paste0("zph.", k), tab[k, "chisq"])
    cc <- concordance(fit)
    print(cc)
    put("concordance", cc$concordance)
    put("concordance.se", sqrt(cc$var))
  }
} else if (job == "km") {
  fit <- survfit(Surv(time, status) ~ group, data = d)
  print(fit)
  tab <- summary(fit)$table
  for (k in rownames(tab)) put(paste0("median.", sub("group=", "", k)), tab[k, "median"])
} else if (job == "logrank") {
  sd <- survdiff(Surv(time, status) ~ group, data = d)
  print(sd)
  put("chisq", sd$chisq)
} else if (job == "coxfit") {
  X <- model.matrix(form, data = d)[, -1]
  y <- Surv(d$time, d$status)
  times <- numeric(5)
  for (r in 0:5) {
    s <- proc.time()[["elapsed"]]
    f <- coxph.fit(X, y, strata = NULL, init = NULL, control = coxph.control(), method = "efron", rownames = NULL, resid = FALSE)
    if (r > 0) times[r] <- (proc.time()[["elapsed"]] - s) * 1000
  }
  b <- f$coefficients
  for (k in seq_along(b)) put(paste0("coef.", colnames(X)[k]), b[[k]])
  cat(sprintf("fit_ms %.1f\n", median(times)), file = stderr())
}
cat(sprintf("compute_ms %.1f\n", (proc.time()[["elapsed"]] - t0) * 1000), file = stderr())
writeLines(out, check)
