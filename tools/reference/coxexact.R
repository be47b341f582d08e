# Golden values for Cox regression with the exact partial likelihood (ties = "exact"; src/Sarcostat.Survival/Cox/
# CoxExactLikelihood.cs). Run: Rscript tools/reference/coxexact.R   (writes data/coxexact_ties.csv and
# golden/coxexact_cases.json)
#
# Same case layout as cox.R (cox_cases.json), so the C# CoxGoldenCase reads both. R fits right-censored data with
# ties = "exact" by survival:::coxexact.fit (C routine coxexact): x scaled by scale() (mean, sd) except columns in
# {-1, 0, 1}; Newton-Raphson whose step halving is plain halving, that never stops while halving, and that reports
# iter = iter.max when it runs out.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

lung <- read_data("lung")
ovarian <- read_data("ovarian")

num <- function(name, column = name) list(name = name, column = column, type = "numeric")
fac <- function(name, column = name, reference = NULL) {
  x <- list(name = name, column = column, type = "factor")
  if (!is.null(reference)) x$reference <- reference
  x
}

fit_case <- function(call, data, covs, spec, ties = "exact", strata = NULL, iter.max = 20, timefix = TRUE,
                     conf.int = 0.95, extra = list()) {
  warnings <- character(0)
  fit <- withCallingHandlers(
    eval(call),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  stopifnot(fit$method == ties)
  s <- summary(fit, conf.int = conf.int)
  nd <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
  ed <- if (nd == 0) 0L else sum(data[[spec$status]][fit$na.action] == 1, na.rm = TRUE)
  c(spec, list(
    r_call = paste(deparse(call, width.cutoff = 500L), collapse = " "),
    covariates = covs, ties = ties, strata = strata, iter_max = iter.max, timefix = timefix, conf_int = conf.int,
    terms = names(coef(fit)),
    coef = unname(coef(fit)),
    hr = unname(exp(coef(fit))),
    se = unname(sqrt(diag(fit$var))),
    z = unname(s$coefficients[, "z"]),
    p = unname(s$coefficients[, "Pr(>|z|)"]),
    lower = unname(s$conf.int[, 3]),
    upper = unname(s$conf.int[, 4]),
    var = unname(fit$var),
    means = unname(fit$means),
    loglik = fit$loglik,
    iter = fit$iter,
    score_test = unname(s$sctest),
    wald_test = c(unname(fit$wald.test), unname(s$waldtest[2:3])),
    lr_test = unname(s$logtest),
    n = fit$n, nevent = fit$nevent, n_dropped = nd, events_dropped = ed,
    warnings = warnings
  ), extra)
}

cases <- list()
add <- function(name, x) {
  x$name <- name
  cases[[name]] <<- x
}

# --- a hand-made dataset with heavily tied times: 60 rows, 5 distinct times, up to ~10 deaths at one time, ---------
# a numeric covariate, a 3-level text factor and two centres (strata). Written to data/ for the CLI test too.
set.seed(20261203)
tied <- data.frame(
  time = sample(c(3, 6, 9, 12, 15), 60, replace = TRUE, prob = c(0.3, 0.25, 0.2, 0.15, 0.1)),
  status = rbinom(60, 1, 0.75),
  x = round(rnorm(60, 50, 10), 1),
  grp = sample(c("a", "b", "c"), 60, replace = TRUE),
  centre = sample(c("north", "south"), 60, replace = TRUE))
write.csv(tied, file.path(here(), "data", "coxexact_ties.csv"), row.names = FALSE, quote = FALSE)
tied <- read_data("coxexact_ties")
tspec <- list(dataset = "coxexact_ties", time = "time", status = "status")
tcov <- list(num("x"), fac("grp"))
add("ties_exact", fit_case(
  quote(coxph(Surv(time, status) ~ x + grp, data = tied, ties = "exact")), tied, tcov, tspec))
add("ties_exact_strata", fit_case(
  quote(coxph(Surv(time, status) ~ x + grp + strata(centre), data = tied, ties = "exact")),
  tied, tcov, tspec, strata = "centre"))
add("ties_exact_grp_c", fit_case(
  quote(coxph(Surv(time, status) ~ grp, data = transform(tied, grp = relevel(factor(grp), ref = "c")), ties = "exact")),
  tied, list(fac("grp", reference = "c")), tspec))
# the same data with Efron: the exact estimate differs (a check that the test can tell them apart)
add("ties_efron", fit_case(
  quote(coxph(Surv(time, status) ~ x + grp, data = tied, ties = "efron")), tied, tcov, tspec, ties = "efron"))

# --- lung with times rounded up to months (heavy ties: 228 rows, ~30 distinct months) ---------------------------
lung_m <- lung
lung_m$month <- ceiling(lung_m$time / 30.4375)
lmspec <- list(dataset = "lung", time = "time", status = "status", time_transform = "ceiling_divide", divisor = 30.4375)
lcov <- list(num("age"), num("sex"), num("ph.ecog"))
add("lung_months_exact", fit_case(
  quote(coxph(Surv(month, status) ~ age + sex + ph.ecog, data = lung_m, ties = "exact")), lung_m, lcov, lmspec))
add("lung_months_exact_strata_sex", fit_case(
  quote(coxph(Surv(month, status) ~ age + ph.ecog + strata(sex), data = lung_m, ties = "exact")),
  lung_m, list(num("age"), num("ph.ecog")), lmspec, strata = "sex"))
# quarters: up to 39 deaths at one time
lung_q <- lung
lung_q$quarter <- ceiling(lung_q$time / 91.3125)
add("lung_quarters_exact", fit_case(
  quote(coxph(Surv(quarter, status) ~ age + sex + ph.ecog, data = lung_q, ties = "exact")), lung_q, lcov,
  list(dataset = "lung", time = "time", status = "status", time_transform = "ceiling_divide", divisor = 91.3125)))
# running out of iterations: R's coxexact reports iter = iter.max (coxfit6 reports iter.max + 1)
add("lung_months_exact_iter_max_2", fit_case(
  quote(coxph(Surv(month, status) ~ age + sex + ph.ecog, data = lung_m, ties = "exact", iter.max = 2)),
  lung_m, lcov, lmspec, iter.max = 2))

# cox.zph of an exact fit: R's zph kernel treats "exact" as Breslow (method == "efron" is FALSE); lung in days
add("lung_exact_zph", fit_case(
  quote(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "exact")), lung, lcov,
  list(dataset = "lung", time = "time", status = "status"),
  extra = local({
    z <- cox.zph(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = "exact"))
    list(zph_terms = rownames(z$table), zph_chisq = unname(z$table[, "chisq"]), zph_df = unname(z$table[, "df"]),
         zph_p = unname(z$table[, "p"]))
  })))

# --- no tied deaths: exact = Efron = Breslow ---------------------------------------------------------------------
ospec <- list(dataset = "ovarian", time = "futime", status = "fustat")
add("ovarian_exact", fit_case(
  quote(coxph(Surv(futime, fustat) ~ rx + age + ecog.ps, data = ovarian, ties = "exact")),
  ovarian, list(num("rx"), num("age"), num("ecog.ps")), ospec))

names(cases) <- NULL
write_golden(list(cases = cases), "coxexact_cases")
