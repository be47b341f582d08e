# Golden values for the log-rank family (Sarcostat.Survival.LogRank) from R's survdiff.
# Run: Rscript tools/reference/logrank.R   ->  golden/logrank_datasets.json, golden/logrank_edge.json
#
# Every case records what print.survdiff shows: per group N, Observed, Expected, (O-E)^2/E, (O-E)^2/V
# (observed and expected summed over strata), the variance matrix $var, the chi-square, its degrees of
# freedom (sum(E > 0) - 1, as survdiff) and the p-value. Hand-made cases carry their input.
# Also O - E per group, and with strata the stratum names (r$strata, "var=" prefix removed), the rows per stratum
# and the observed / expected events per stratum (the columns of survdiff's obs and exp matrices, one list per
# stratum, groups in level order); null without strata.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

# One survdiff result as a list. `levels` are the group levels without R's "var=" prefix.
survdiff_case <- function(r, call) {
  otmp <- if (is.matrix(r$obs)) rowSums(r$obs) else r$obs
  etmp <- if (is.matrix(r$exp)) rowSums(r$exp) else r$exp
  list(
    call = call,
    levels = sub("^[^=]*=", "", names(r$n)),
    n = as.integer(r$n),
    observed = otmp,
    expected = etmp,
    o_minus_e = otmp - etmp,
    o_minus_e_sq_over_e = (otmp - etmp)^2 / etmp,
    o_minus_e_sq_over_v = (otmp - etmp)^2 / diag(r$var),
    var = unname(lapply(seq_len(nrow(r$var)), function(i) r$var[i, ])),
    chisq = r$chisq,
    df = sum(etmp > 0) - 1,
    pvalue = r$pvalue,
    n_dropped = if (is.null(r$na.action)) 0L else length(r$na.action),
    strata = if (is.null(r$strata)) NULL else sub("^[^=]*=", "", names(r$strata)),
    strata_n = if (is.null(r$strata)) NULL else as.integer(r$strata),
    obs_by_stratum = if (is.matrix(r$obs)) unname(lapply(seq_len(ncol(r$obs)), function(j) r$obs[, j])) else NULL,
    exp_by_stratum = if (is.matrix(r$exp)) unname(lapply(seq_len(ncol(r$exp)), function(j) r$exp[, j])) else NULL
  )
}

run <- function(expr_text, data) {
  r <- eval(parse(text = expr_text), list(data = data))
  survdiff_case(r, expr_text)
}

lung <- read_data("lung")
veteran <- read_data("veteran")
ovarian <- read_data("ovarian")

datasets <- list(
  lung_sex = run("survdiff(Surv(time, status) ~ sex, data = data)", lung),
  lung_sex_rho1 = run("survdiff(Surv(time, status) ~ sex, data = data, rho = 1)", lung),
  lung_sex_rho_half = run("survdiff(Surv(time, status) ~ sex, data = data, rho = 0.5)", lung),
  veteran_celltype = run("survdiff(Surv(time, status) ~ celltype, data = data)", veteran),
  veteran_celltype_rho1 = run("survdiff(Surv(time, status) ~ celltype, data = data, rho = 1)", veteran),
  ovarian_rx_strata_ecog = run("survdiff(Surv(futime, fustat) ~ rx + strata(ecog.ps), data = data)", ovarian),
  lung_sex_strata_ecog = run("survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = data)", lung),
  lung_sex_strata_ecog_rho1 = run("survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = data, rho = 1)", lung),
  lung_ecog = run("survdiff(Surv(time, status) ~ ph.ecog, data = data)", lung),
  lung_ecog_strata_sex = run("survdiff(Surv(time, status) ~ ph.ecog + strata(sex), data = data)", lung)
)

# Identity: without tied event times the log-rank statistic is the Cox score test at beta = 0 with Breslow
# ties. The times are made distinct by adding (row - 1) / 1000 (the data have whole-day times); the untied
# times are stored. With ties the two differ (the log-rank variance carries the hypergeometric factor
# (n - d) / (n - 1)); the tied scores are stored too, for the record.
untie <- function(d) d$time + (seq_len(nrow(d)) - 1) / 1000
lung_u <- transform(lung, time = untie(lung))
veteran_u <- transform(veteran, time = untie(veteran))
stopifnot(!anyDuplicated(lung_u$time), !anyDuplicated(veteran_u$time))
datasets$cox_score_lung_sex_untied <- list(
  call = "coxph(Surv(time + (row - 1) / 1000, status) ~ factor(sex), data = lung, ties = 'breslow')$score",
  time = lung_u$time,
  score = coxph(Surv(time, status) ~ factor(sex), data = lung_u, ties = "breslow")$score,
  survdiff_chisq = survdiff(Surv(time, status) ~ sex, data = lung_u)$chisq)
datasets$cox_score_veteran_celltype_untied <- list(
  call = "coxph(Surv(time + (row - 1) / 1000, status) ~ factor(celltype), data = veteran, ties = 'breslow')$score",
  time = veteran_u$time,
  score = coxph(Surv(time, status) ~ factor(celltype), data = veteran_u, ties = "breslow")$score,
  survdiff_chisq = survdiff(Surv(time, status) ~ celltype, data = veteran_u)$chisq)
datasets$cox_score_lung_sex_tied <- list(
  call = "coxph(Surv(time, status) ~ factor(sex), data = lung, ties = 'breslow')$score",
  score = coxph(Surv(time, status) ~ factor(sex), data = lung, ties = "breslow")$score)
write_golden(datasets, "logrank_datasets")

# Hand-made edge cases. Input is stored in the case; group and strata as strings, "NA" for missing.
edge_case <- function(time, status, group, strata = NULL, rho = 0, timefix = TRUE) {
  d <- data.frame(time = time, status = status, group = group)
  if (!timefix) {
    # survival 3.5.3's survdiff() fails when timefix is passed at all ("variable lengths differ (found for
    # '(timefix)')": match.call() hands it to model.frame). Do what survdiff does without aeqSurv instead.
    stopifnot(is.null(strata))
    keep <- !is.na(group)
    fit <- survival:::survdiff.fit(Surv(time, status)[keep], strata(group[keep]), rep(1, sum(keep)), rho)
    use <- fit$expected > 0
    b <- ((fit$observed - fit$expected)[use])[-1]
    chi <- sum(solve(fit$var[use, use][-1, -1, drop = FALSE], b) * b)
    r <- list(n = table(strata(group[keep])), obs = fit$observed, exp = fit$expected, var = fit$var,
              chisq = chi, pvalue = pchisq(chi, sum(use) - 1, lower.tail = FALSE))
    call <- sprintf("survdiff.fit(Surv(time, status), strata(group), rep(1, n), rho = %s) + survdiff's chi-square (timefix = FALSE)", rho)
  } else if (is.null(strata)) {
    r <- survdiff(Surv(time, status) ~ group, data = d, rho = rho)
    call <- sprintf("survdiff(Surv(time, status) ~ group, rho = %s)", rho)
  } else {
    d$strata <- strata
    r <- survdiff(Surv(time, status) ~ group + strata(strata), data = d, rho = rho)
    call <- sprintf("survdiff(Surv(time, status) ~ group + strata(strata), rho = %s)", rho)
  }
  x <- survdiff_case(r, call)
  # Times also as 17-significant-digit text: jsonlite writes numbers with 15, which would blur near-ties.
  x$input <- list(time = time, time_text = sprintf("%.17g", time), status = status, group = as.character(group),
                  strata = if (is.null(strata)) NULL else as.character(strata),
                  rho = rho, timefix = timefix)
  x
}

set.seed(20261122)
heavy_t <- sample(1:6, 60, replace = TRUE)
heavy_s <- rbinom(60, 1, 0.6)
heavy_g <- sample(c("a", "b", "c"), 60, replace = TRUE)

edge <- list(
  # Group "c" has no events but is at risk at every event time: O = 0, E > 0, it counts in df.
  group_without_events = edge_case(
    c(2, 3, 5, 7, 11, 13, 4, 6, 8, 10, 12, 14, 15, 16, 17),
    c(1, 1, 0, 1, 1,  0, 1, 0, 1, 1,  0,  1,  0,  0,  0),
    c("a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "c")),
  group_without_events_rho1 = edge_case(
    c(2, 3, 5, 7, 11, 13, 4, 6, 8, 10, 12, 14, 15, 16, 17),
    c(1, 1, 0, 1, 1,  0, 1, 0, 1, 1,  0,  1,  0,  0,  0),
    c("a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "c", "c", "c"), rho = 1),
  # Group "c" is censored before the first event: E = 0, it is left out of the test and of df.
  group_not_at_risk = edge_case(
    c(1, 2, 3, 4, 5, 6, 0.5, 0.6),
    c(1, 1, 0, 1, 1, 0, 0, 0),
    c("1", "1", "1", "2", "2", "2", "3", "3")),
  # Only one group has anyone at risk at an event time: chi-square 0 on 0 df, p = 1.
  one_group_at_risk = edge_case(
    c(5, 6, 7, 1, 2),
    c(1, 1, 0, 0, 0),
    c("a", "a", "a", "b", "b")),
  # Heavy ties: 60 subjects on 6 distinct times, 3 groups.
  heavy_ties = edge_case(heavy_t, heavy_s, heavy_g),
  heavy_ties_rho1 = edge_case(heavy_t, heavy_s, heavy_g, rho = 1),
  # Events and censorings at the same times (a censoring at t is still at risk at t).
  tied_event_and_censoring = edge_case(
    c(3, 3, 3, 3, 5, 5, 5, 8, 8, 8, 8, 10),
    c(1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1),
    c("x", "y", "y", "x", "x", "y", "x", "y", "x", "x", "y", "y")),
  # Smallest sensible input: three subjects.
  n3 = edge_case(c(1, 2, 3), c(1, 1, 0), c("a", "b", "a")),
  n3_rho1 = edge_case(c(1, 2, 3), c(1, 1, 0), c("a", "b", "a"), rho = 1),
  # Missing group and missing stratum are dropped (counted in n_dropped).
  missing_values = edge_case(
    c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    c(1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0),
    c("a", "b", NA, "a", "b", "a", "b", NA, "a", "b", "a", "b"),
    strata = c("s", "s", "s", NA, "t", "t", "s", "t", "t", "s", "t", "t")),
  # Near-ties: durations in months that differ only by round-off merge under timefix = TRUE.
  near_ties_timefix = edge_case(
    c(30, 61, 91, 122, 152, 183, 30, 61, 91, 122, 152, 183) / 30.4375 * c(1, 1, 1, 1, 1, 1, 1 + 1e-12, 1, 1 - 1e-12, 1, 1 + 2e-13, 1),
    c(1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0),
    c("a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b")),
  near_ties_exact = edge_case(
    c(30, 61, 91, 122, 152, 183, 30, 61, 91, 122, 152, 183) / 30.4375 * c(1, 1, 1, 1, 1, 1, 1 + 1e-12, 1, 1 - 1e-12, 1, 1 + 2e-13, 1),
    c(1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0),
    c("a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"), timefix = FALSE),
  # Stratified, several strata, a stratum holding one group only, rho = 1.
  strata_one_group_rho1 = edge_case(
    c(4, 8, 1, 9, 3, 6, 2, 7, 5, 10, 12, 11),
    c(1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1),
    c("a", "b", "a", "b", "a", "b", "a", "b", "a", "a", "a", "a"),
    strata = c("s", "s", "s", "s", "t", "t", "t", "t", "u", "u", "u", "u"), rho = 1)
)
write_golden(edge, "logrank_edge")
