# Golden values for Kaplan-Meier estimation (src/Sarcostat.Survival/KaplanMeier).
# Run: Rscript tools/reference/km.R   -> writes golden/km_datasets.json, golden/km_edge.json, golden/km_followup.json
#
# Every case records, per stratum (level order = factor level order):
#   steps   summary(fit, censored = TRUE): time, n.risk, n.event, n.censor, surv, std.err (of S), lower, upper,
#           plus fit$std.err (Greenwood se of -log S, "std_err_log"), and the Nelson-Aalen cumulative hazard
#           fit$cumhaz with its standard error fit$std.chaz (survfit's default ctype = 1: sum d/n, sqrt(sum d/n^2))
#   median  summary(fit)$table median / LCL / UCL (what print(fit) shows: survmean's rule)
#   quant   quantile(fit, 0.5) (findq's rule; differs from print only when S sits at 0.5 up to the last time)
#   spss    median +- z * SE(median), SE by Collett's formula computed by hand below (no R function exists)
#   at      summary(fit, times = at, extend = TRUE), with its cumhaz and std.chaz
# Hand-made inputs are written into the JSON; times as "%.17g" strings so that they round-trip exactly
# (jsonlite's digits = NA keeps only 15 significant digits).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

tol <- sqrt(.Machine$double.eps)
exact <- function(x) sprintf("%.17g", x)

# SPSS median interval (Collett 2003, sec. 2.4; SPSS KM): SE(t50) = se{S(t50)} / f,
#   f = (S(u) - S(l)) / (l - u), u = max{t_j : S(t_j) >= 0.55}, l = min{t_j : S(t_j) <= 0.45},
#   t_j the distinct event times; S(0) = 1 stands in for u when no event time has S >= 0.55.
#   se{S(t50)} = Greenwood se of S (summary's std.err) at the median, S read as a right-continuous step function.
#   Comparisons with 0.55 / 0.45 allow the same tolerance as R's median (sqrt(eps)).
spss_median <- function(time, n.event, surv, se_s, med, conf.int) {
  z <- qnorm(1 - (1 - conf.int) / 2)
  if (is.na(med)) return(list(estimate = NA, se = NA, lower = NA, upper = NA))
  ev <- n.event > 0
  tj <- c(0, time[ev]); sj <- c(1, surv[ev])
  u_ok <- which(sj >= 0.55 - tol)
  l_ok <- which(sj <= 0.45 + tol)
  if (length(l_ok) == 0) return(list(estimate = med, se = NA, lower = NA, upper = NA))
  u <- tj[max(u_ok)]; su <- sj[max(u_ok)]
  l <- tj[min(l_ok)]; sl <- sj[min(l_ok)]
  f <- (su - sl) / (l - u)
  k <- max(which(time <= med))
  se <- se_s[k] / f
  list(estimate = med, se = se, lower = med - z * se, upper = med + z * se)
}

# One stratum's numbers from a fitted survfit object.
stratum <- function(fit, i, table, at, conf.int) {
  f <- if (is.null(fit$strata)) fit else fit[i]
  s <- summary(f, censored = TRUE)
  tab <- if (is.matrix(table)) table[i, ] else table
  lcl <- paste0(conf.int, "LCL"); ucl <- paste0(conf.int, "UCL")
  q <- quantile(f, 0.5)
  se_s <- f$std.err * f$surv
  sp <- spss_median(f$time, f$n.event, f$surv, se_s, unname(tab["median"]), conf.int)
  a <- summary(f, times = at, extend = TRUE)
  list(
    group = if (is.null(fit$strata)) NULL else sub("^[^=]*=", "", names(fit$strata)[i]),
    n = f$n, events = sum(f$n.event), censored = sum(f$n.censor),
    steps = list(time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
                 surv = s$surv, std_err = s$std.err, std_err_log = f$std.err, lower = s$lower, upper = s$upper,
                 cumhaz = f$cumhaz, std_chaz = f$std.chaz),
    median = list(estimate = unname(tab["median"]), lower = unname(tab[lcl]), upper = unname(tab[ucl])),
    quant = list(estimate = unname(q$quantile), lower = unname(q$lower), upper = unname(q$upper)),
    spss = sp,
    at = list(time = a$time, n_risk = a$n.risk, n_event = a$n.event, n_censor = a$n.censor,
              surv = a$surv, std_err = a$std.err, lower = a$lower, upper = a$upper,
              cumhaz = a$cumhaz, std_chaz = a$std.chaz)
  )
}

fit_case <- function(fit, at, conf.int = 0.95) {
  table <- summary(fit)$table
  k <- if (is.null(fit$strata)) 1 else length(fit$strata)
  lapply(seq_len(k), function(i) stratum(fit, i, table, at, conf.int))
}

# ---------------------------------------------------------------- datasets
lung <- read_data("lung")
veteran <- read_data("veteran")
ovarian <- read_data("ovarian")
lung_at <- c(90, 180, 365, 730, 1100)

datasets <- list()
add_ds <- function(name, call, data, time, status, group, conf.type, conf.int, at, fit) {
  datasets[[length(datasets) + 1]] <<- list(
    name = name, r_call = call, dataset = data, time = time, status = status, group = group,
    conf_type = conf.type, conf_int = conf.int, at = at, strata = fit_case(fit, at, conf.int))
}
for (ct in c("log", "log-log", "plain")) {
  add_ds(paste0("lung_", ct), sprintf('survfit(Surv(time, status) ~ 1, data = lung, conf.type = "%s")', ct),
         "lung", "time", "status", NULL, ct, 0.95, lung_at,
         survfit(Surv(time, status) ~ 1, data = lung, conf.type = ct))
}
add_ds("lung_log_90", 'survfit(Surv(time, status) ~ 1, data = lung, conf.int = 0.90)',
       "lung", "time", "status", NULL, "log", 0.90, lung_at,
       survfit(Surv(time, status) ~ 1, data = lung, conf.int = 0.90))
add_ds("lung_by_sex", 'survfit(Surv(time, status) ~ sex, data = lung)',
       "lung", "time", "status", "sex", "log", 0.95, lung_at,
       survfit(Surv(time, status) ~ sex, data = lung))
add_ds("lung_by_sex_loglog", 'survfit(Surv(time, status) ~ sex, data = lung, conf.type = "log-log")',
       "lung", "time", "status", "sex", "log-log", 0.95, lung_at,
       survfit(Surv(time, status) ~ sex, data = lung, conf.type = "log-log"))
add_ds("veteran_by_celltype", 'survfit(Surv(time, status) ~ celltype, data = veteran)',
       "veteran", "time", "status", "celltype", "log", 0.95, c(30, 90, 180, 365, 1000),
       survfit(Surv(time, status) ~ celltype, data = veteran))
add_ds("ovarian_by_rx", 'survfit(Surv(futime, fustat) ~ rx, data = ovarian)',
       "ovarian", "futime", "fustat", "rx", "log", 0.95, c(180, 365, 730, 1500),
       survfit(Surv(futime, fustat) ~ rx, data = ovarian))
add_ds("ovarian_plain", 'survfit(Surv(futime, fustat) ~ 1, data = ovarian, conf.type = "plain")',
       "ovarian", "futime", "fustat", NULL, "plain", 0.95, c(180, 365, 730, 1500),
       survfit(Surv(futime, fustat) ~ 1, data = ovarian, conf.type = "plain"))
write_golden(list(cases = datasets), "km_datasets")

# ---------------------------------------------------------------- hand-made edge cases
# Times in months computed two ways from the same day counts: d / 30.4375 and d / 365.25 * 12 differ in the
# last bit for some d (7, 14, 17, 23, ...): near-ties that R's timefix merges.
d <- c(7, 7, 14, 14, 17, 17, 23, 23, 28, 30, 34, 34, 46, 47, 49, 56, 60, 75)
way <- c(1, 2, 1, 2, 1, 2, 2, 1, 1, 1, 1, 2, 2, 1, 2, 1, 1, 2)
near_time <- ifelse(way == 1, d / 30.4375, d / 365.25 * 12)
near_status <- c(1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1)
stopifnot(length(unique(near_time)) > length(unique(d)))

edge_inputs <- list(
  all_censored = list(time = c(3, 5, 8, 12, 20), status = c(0, 0, 0, 0, 0), at = c(0, 4, 12, 30)),
  single_event = list(time = c(2, 4, 6, 8, 10), status = c(0, 0, 1, 0, 0), at = c(1, 6, 7, 10, 11)),
  n3 = list(time = c(5, 1, 3), status = c(1, 1, 0), at = c(0, 1, 2, 3, 5, 6)),
  heavy_ties = list(time = c(rep(1, 6), rep(2, 7), rep(3, 5), rep(4, 4), 5, 5),
                    status = c(1, 1, 1, 0, 1, 0,  1, 0, 1, 1, 0, 1, 1,  1, 1, 0, 1, 0,  0, 1, 1, 0,  1, 0),
                    at = c(1, 2, 3, 4, 5)),
  tied_event_censor = list(time = c(2, 2, 2, 4, 4, 6, 6, 6, 9, 9),
                           status = c(1, 0, 0, 1, 0, 1, 1, 0, 1, 0), at = c(2, 4, 6, 9)),
  last_is_event = list(time = c(1, 2, 2, 4, 5, 7), status = c(1, 0, 1, 1, 0, 1), at = c(0, 3, 7, 8)),
  flat_half_middle = list(time = c(1, 2, 3, 4, 5, 6), status = c(1, 1, 1, 1, 1, 1), at = c(3, 3.5)),
  flat_half_to_end = list(time = c(1, 2, 3, 4), status = c(1, 1, 0, 0), at = c(2, 3, 4, 5)),
  events_at_zero = list(time = c(0, 0, 1, 2, 5, 8, 9), status = c(1, 0, 1, 0, 1, 1, 0), at = c(0, 1, 4, 9, 10)),
  late_entry_censor_first = list(time = c(1, 2, 3, 4, 5, 6, 7, 8), status = c(0, 0, 1, 1, 1, 1, 1, 0),
                                 at = c(0.5, 1, 1.5, 2.5, 3)),
  # Ties at every time, an event and a censoring tied, and two events emptying the risk set at the last time
  # (S = 0, se(-log S) = Inf, the Nelson-Aalen increment 2/2).
  ties_last_event = list(time = c(1, 1, 1, 2, 2, 3, 3, 3, 5, 5), status = c(1, 1, 0, 1, 0, 1, 1, 0, 1, 1),
                         at = c(1, 3, 5, 6)),
  near_ties = list(time = near_time, status = near_status, at = c(0.5, 1, 1.5, 2, 2.5)),
  long_curve = list(time = c(12, 15, 20, 22, 25, 30, 31, 33, 38, 41, 45, 50, 52, 60, 62, 70, 71, 80, 90, 95),
                    status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0),
                    at = c(12, 36, 60, 120))
)

edges <- list()
for (nm in names(edge_inputs)) {
  x <- edge_inputs[[nm]]
  dat <- data.frame(time = x$time, status = x$status)
  for (ct in c("log", "log-log", "plain")) {
    for (tf in if (nm == "near_ties") c(TRUE, FALSE) else TRUE) {
      fit <- survfit(Surv(time, status) ~ 1, data = dat, conf.type = ct, timefix = tf)
      edges[[length(edges) + 1]] <- list(
        name = nm, r_call = sprintf('survfit(Surv(time, status) ~ 1, conf.type = "%s", timefix = %s)', ct, tf),
        time = exact(x$time), status = x$status, group = NULL, levels = NULL,
        conf_type = ct, conf_int = 0.95, timefix = tf, at = x$at,
        strata = fit_case(fit, x$at))
    }
  }
}

# By group: level "b" has no events; a missing group value (NA) is dropped by R (na.action); the level order
# is the factor's ("c" before "a" here, as a Factor built with that order).
g_time <- c(3, 5, 7, 9, 11, 4, 6, 8, 10, 2, 4, 6, 12)
g_status <- c(1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1)
g_group <- c("a", "a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", NA)
g_levels <- c("c", "a", "b")
gdat <- data.frame(time = g_time, status = g_status, g = factor(g_group, levels = g_levels))
for (ct in c("log", "log-log", "plain")) {
  fit <- survfit(Surv(time, status) ~ g, data = gdat, conf.type = ct)
  edges[[length(edges) + 1]] <- list(
    name = "group_without_events",
    r_call = sprintf('survfit(Surv(time, status) ~ g, conf.type = "%s")  # g has levels c, a, b; one NA', ct),
    time = exact(g_time), status = g_status, group = g_group, levels = g_levels,
    conf_type = ct, conf_int = 0.95, timefix = TRUE, at = c(3, 6, 12),
    strata = fit_case(fit, c(3, 6, 12)))
}
write_golden(list(cases = edges), "km_edge")

# ---------------------------------------------------------------- median follow-up (reverse Kaplan-Meier)
follow <- list()
add_fu <- function(name, data, time, status, ct = "log", times_exact = NULL) {
  tt <- data[[time]]; st <- data[[status]]
  fit <- survfit(Surv(tt, 1 - st) ~ 1, conf.type = ct)
  tab <- summary(fit)$table
  follow[[length(follow) + 1]] <<- list(
    name = name, r_call = sprintf('survfit(Surv(%s, 1 - %s) ~ 1, conf.type = "%s"); median(%s); range(%s)',
                                  time, status, ct, time, time),
    dataset = if (is.null(times_exact)) name else NULL, time_column = time, status_column = status,
    time = times_exact, status = if (is.null(times_exact)) NULL else st, conf_type = ct,
    median = unname(tab["median"]), lower = unname(tab["0.95LCL"]), upper = unname(tab["0.95UCL"]),
    observed_median = median(tt), min = min(tt), max = max(tt), n = length(tt))
}
add_fu("lung", lung, "time", "status")
add_fu("ovarian", ovarian, "futime", "fustat")
add_fu("veteran", veteran, "time", "status", "log-log")
fu_small <- data.frame(time = c(1, 4, 6, 9, 12, 15, 20, 28), status = c(1, 0, 1, 0, 0, 1, 0, 0))
add_fu("small", fu_small, "time", "status", "log", exact(fu_small$time))
write_golden(list(cases = follow), "km_followup")
