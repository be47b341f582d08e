# Golden values for the restricted mean survival time (src/Sarcostat.Survival/Rmst).
# Run: Rscript tools/reference/rmst.R   -> writes golden/rmst_cases.json
#
# Per group: R's restricted mean and its standard error, summary(fit, rmean = tau)$table[, c("rmean", "se(rmean)")]
# (survival:::survmean; print(fit, rmean = tau) shows the same numbers), with the end time survmean used
# ($end.time). tau = "common" is survmean's rmean = "common": one end time for every group, the largest observed
# time of all groups (what print.rmean = TRUE gives).
#
# Two groups: the difference and the ratio of the two restricted means by survRM2's method (Uno et al. 2014,
# survRM2::rmst2). survRM2 is not installed here (not packaged in Debian), so its formulas are written out below by
# hand from survfit's rmean and se(rmean), second level minus (over) the first:
#   difference  d = m2 - m1, se = sqrt(se1^2 + se2^2), CI d -+ z se, p = 2 pnorm(-|d| / se)
#   ratio       log r = log m2 - log m1, se = sqrt(se1^2 / m1^2 + se2^2 / m2^2) (delta method),
#               CI exp(log r -+ z se), p = 2 pnorm(-|log r| / se)
# Per group survRM2 also gives the normal interval m -+ z se, written here too.
# A second, independent computation of rmean and its variance (survRM2's rmst1 written out: areas under the step
# function up to tau; var = sum over times <= tau of (area from t_j to tau)^2 * d_j / (n_j (n_j - d_j)), 0 when
# n_j = d_j) must agree with survmean to 1e-12, or the script stops.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

exact <- function(x) sprintf("%.17g", x)

# survRM2's rmst1 by hand (one curve), for the cross-check.
rmst1_by_hand <- function(f, tau) {
  idx <- f$time <= tau
  wk.time <- sort(c(f$time[idx], tau))
  wk.surv <- f$surv[idx]
  wk.n.risk <- f$n.risk[idx]
  wk.n.event <- f$n.event[idx]
  areas <- diff(c(0, wk.time)) * c(1, wk.surv)
  wk.var <- ifelse((wk.n.risk - wk.n.event) == 0, 0, wk.n.event / (wk.n.risk * (wk.n.risk - wk.n.event)))
  wk.var <- c(wk.var, 0)
  list(rmst = sum(areas), var = sum(cumsum(rev(areas[-1]))^2 * rev(wk.var)[-1]))
}

rmst_case <- function(name, call, fit, tau, input, conf.int = 0.95) {
  rmean <- if (identical(tau, "common")) "common" else tau
  sm <- summary(fit, rmean = rmean)
  tab <- sm$table
  if (!is.matrix(tab)) tab <- matrix(tab, nrow = 1, dimnames = list(NULL, names(tab)))
  end_time <- survival:::survmean(fit, rmean = rmean)$end.time
  k <- nrow(tab)
  z <- qnorm(1 - (1 - conf.int) / 2)
  groups <- lapply(seq_len(k), function(i) {
    f <- if (is.null(fit$strata)) fit else fit[i]
    m <- unname(tab[i, "rmean"]); se <- unname(tab[i, "se(rmean)"])
    hand <- rmst1_by_hand(f, end_time[i])
    stopifnot(abs(hand$rmst - m) <= 1e-12 * abs(m), abs(sqrt(hand$var) - se) <= 1e-12 * max(se, 1e-300))
    list(group = if (is.null(fit$strata)) NULL else sub("^[^=]*=", "", names(fit$strata)[i]),
         tau = end_time[i], rmean = m, se = se, lower = m - z * se, upper = m + z * se,
         last_time = max(f$time))
  })
  contrast <- NULL
  if (k == 2) {
    m1 <- groups[[1]]$rmean; m2 <- groups[[2]]$rmean; s1 <- groups[[1]]$se; s2 <- groups[[2]]$se
    d <- m2 - m1; dse <- sqrt(s1^2 + s2^2)
    lr <- log(m2) - log(m1); lse <- sqrt(s1^2 / m1 / m1 + s2^2 / m2 / m2)
    contrast <- list(
      reference = groups[[1]]$group, other = groups[[2]]$group,
      difference = d, difference_se = dse, difference_lower = d - z * dse, difference_upper = d + z * dse,
      difference_p = pnorm(-abs(d) / dse) * 2,
      ratio = exp(lr), log_ratio_se = lse, ratio_lower = exp(lr - z * lse), ratio_upper = exp(lr + z * lse),
      ratio_p = pnorm(-abs(lr) / lse) * 2)
  }
  list(name = name, r_call = call, tau = tau, conf_int = conf.int, input = input, groups = groups, contrast = contrast)
}

lung <- read_data("lung")
veteran <- read_data("veteran")
ovarian <- read_data("ovarian")
ds <- function(dataset, time, status, group) list(dataset = dataset, time = time, status = status, group = group)

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x
lung_sex <- survfit(Surv(time, status) ~ sex, data = lung)
for (tau in list(365, 730, "common")) {
  add(rmst_case(paste0("lung_by_sex_", tau), sprintf('summary(survfit(Surv(time, status) ~ sex, data = lung), rmean = %s)$table',
                                                    if (is.character(tau)) '"common"' else tau),
                lung_sex, tau, ds("lung", "time", "status", "sex")))
}
lung_all <- survfit(Surv(time, status) ~ 1, data = lung)
add(rmst_case("lung_500", 'summary(survfit(Surv(time, status) ~ 1, data = lung), rmean = 500)$table',
              lung_all, 500, ds("lung", "time", "status", NULL)))
add(rmst_case("lung_common", 'summary(survfit(Surv(time, status) ~ 1, data = lung), rmean = "common")$table',
              lung_all, "common", ds("lung", "time", "status", NULL)))
add(rmst_case("veteran_by_celltype_200", 'summary(survfit(Surv(time, status) ~ celltype, data = veteran), rmean = 200)$table',
              survfit(Surv(time, status) ~ celltype, data = veteran), 200, ds("veteran", "time", "status", "celltype")))
add(rmst_case("ovarian_by_rx_1000", 'summary(survfit(Surv(futime, fustat) ~ rx, data = ovarian), rmean = 1000)$table',
              survfit(Surv(futime, fustat) ~ rx, data = ovarian), 1000, ds("ovarian", "futime", "fustat", "rx")))

# Hand-made: ties, an event and a censoring tied, group "a" ends with events that empty its risk set (S = 0,
# n = d: survmean's variance term is 0 there), group "b" ends censored before the common end time (its curve is
# carried forward to tau); tau on a step time (4) and between step times (4.5); tau beyond every time (9).
e_time <- c(1, 1, 2, 2, 2, 4, 4, 1, 2, 3, 3, 3, 5, 6)
e_status <- c(1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0)
e_group <- c("a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "b")
edat <- data.frame(time = e_time, status = e_status, g = e_group)
efit <- survfit(Surv(time, status) ~ g, data = edat)
for (tau in list(4, 4.5, 9, "common")) {
  add(rmst_case(paste0("ties_last_event_", tau), sprintf('summary(survfit(Surv(time, status) ~ g), rmean = %s)$table',
                                                          if (is.character(tau)) '"common"' else tau),
                efit, tau, list(time = exact(e_time), status = e_status, group = e_group)))
}
write_golden(list(cases = cases), "rmst_cases")
