# Golden values for a Cox model with time-dependent exposures built from a cohort-like table
# (src/Sarcostat.Study/Analysis/TimeDependentCoxAnalysis.cs): survival::tmerge with tdc() splits each patient's
# follow-up at the exposure times, then coxph(Surv(tstart, tstop, event) ~ baseline + exposure) with the model-based
# variance (no cluster), as a protocol's multivariate table with `time_dependent` runs it.
# Run: Rscript tools/reference/tdcox.R   (writes data/tdcox.csv and golden/tdcox_cases.json)
#
# data/tdcox.csv is synthetic (set.seed(20261203)), one row per patient: id, time (months from time zero), status
# (1 = event), stage (factor I/II/III, some missing), age (numeric, some missing), rec and rpm (the times of two
# exposures, NA = never). Some exposures fall after the end of follow-up, some at time 0, some before it (negative:
# exposed from time zero, tmerge's rule), some exactly at the end of follow-up (no split); one patient has time 0 (no
# (start, stop] row is possible: left out, as the analysis step counts it).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

set.seed(20261203)
n <- 80
d <- data.frame(id = sprintf("P%03d", seq_len(n)))
d$age <- round(rnorm(n, 58, 12))
d$stage <- sample(c("I", "II", "III"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
d$rec <- round(rexp(n, 1 / 20), 1)
d$rec[sample(n, 25)] <- NA
lp <- 0.02 * (d$age - 58) + ifelse(d$stage == "II", 0.4, ifelse(d$stage == "III", 0.9, 0))
d$time <- round(rexp(n, exp(lp) / 40), 1) + 0.1
cens <- round(runif(n, 10, 90), 1)
d$status <- as.integer(d$time <= cens)
d$time <- pmin(d$time, cens)
d$rpm <- ifelse(runif(n) < 0.35, round(runif(n, 0, 1) * d$time * 1.3, 1), NA)
# the corners the splitter and tmerge must agree on
d$rec[1:4] <- c(0, -2.5, NA, NA)                  # exposed from time zero (at 0, before 0)
d$rec[5] <- d$time[5]                              # at the end of follow-up: no split, unexposed
d$rec[6] <- d$time[6] + 12                         # after the end of follow-up: unexposed
d$rpm[7] <- 0
d$rpm[8] <- d$time[8]
d$time[9] <- 0                                     # no (start, stop] row possible
d$status[9] <- 1
d$age[c(10, 11)] <- NA                             # incomplete baseline: left out of every model
d$stage[12] <- NA
write.csv(d[, c("id", "time", "status", "stage", "age", "rec", "rpm")], file.path(here(), "data", "tdcox.csv"),
          row.names = FALSE, na = "")

cases <- list()
base <- subset(read_data("tdcox"), time > 0 & !is.na(age) & stage != "")  # read back: R and the tests see the same file
base$stage <- factor(base$stage, levels = c("I", "II", "III"))
split <- function(exposures) {
  td <- tmerge(base[, c("id", "age", "stage")], base, id = id, event = event(time, status))
  for (e in exposures) td <- do.call(tmerge, c(list(td, base, id = quote(id)), setNames(list(call("tdc", as.name(e))), e)))
  td
}

record <- function(fit, name, ties, exposures, td) {
  s <- summary(fit)
  cf <- s$coefficients
  list(
    name = name, ties = ties, exposures = I(exposures),
    terms = rownames(cf),
    coef = unname(cf[, "coef"]), hr = unname(cf[, "exp(coef)"]), se = unname(cf[, "se(coef)"]),
    z = unname(cf[, "z"]), p = unname(cf[, "Pr(>|z|)"]),
    lower = unname(s$conf.int[, "lower .95"]), upper = unname(s$conf.int[, "upper .95"]),
    loglik = fit$loglik, n = fit$n, nevent = fit$nevent, logtest = unname(s$logtest),
    patients = length(unique(td$id)),
    exposed = I(unname(sapply(exposures, function(e) length(unique(td$id[td[[e]] == 1]))))))
}

for (ties in c("efron", "breslow")) {
  td <- split("rec")
  fit <- coxph(Surv(tstart, tstop, event) ~ age + stage + rec, data = td, ties = ties)
  cases[[length(cases) + 1]] <- record(fit, paste0("tdcox_rec_", ties), ties, "rec", td)
}
td <- split(c("rec", "rpm"))
fit <- coxph(Surv(tstart, tstop, event) ~ age + stage + rec + rpm, data = td)
cases[[length(cases) + 1]] <- record(fit, "tdcox_rec_rpm_efron", "efron", c("rec", "rpm"), td)

write_golden(list(cases = cases, unsplit = sum(read_data("tdcox")$time <= 0),
                  incomplete = sum(with(read_data("tdcox"), time > 0 & (is.na(age) | stage == "")))), "tdcox_cases")
