# Golden values for Cox proportional hazards regression (src/Sarcostat.Survival/Cox).
# Run: Rscript tools/reference/cox.R   (writes golden/cox_*.json)
#
# Each case records how the C# test rebuilds its input (dataset + columns + time transform, or inline data written
# into the JSON), the R call, and every field of the fit: coef, se, HR, CI, z, p, var, loglik, iter, the three tests,
# n, nevent, dropped rows, means, R's warnings.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

lung <- read_data("lung")
veteran <- read_data("veteran")
ovarian <- read_data("ovarian")

# --- helpers -------------------------------------------------------------------------------------------------------

# covariate spec for the C# side: list(name=, column=, type="numeric"|"factor", reference=NULL)
num <- function(name, column = name) list(name = name, column = column, type = "numeric")
fac <- function(name, column = name, reference = NULL) {
  x <- list(name = name, column = column, type = "factor")
  if (!is.null(reference)) x$reference <- reference
  x
}

# Each covariate as a whole (CoxCovariateTests): refit on the full model's complete cases without the covariate
# (drop1's likelihood-ratio test) and the Wald test of its block of coefficients (coxph.wtest, as for the global test).
covariate_tests <- function(fit, data, covs, spec, strata) {
  vars <- c(spec$time, spec$status, vapply(covs, function(x) x$column, ""), strata)
  cc <- data[complete.cases(data[, vars]), ]
  full <- update(fit, data = cc)
  stopifnot(isTRUE(all.equal(full$loglik, fit$loglik)))
  labels <- grep("^strata\\(", names(full$assign), value = TRUE, invert = TRUE)
  tests <- lapply(labels, function(term) {
    reduced <- update(full, as.formula(paste(". ~ . -", term)))
    ll <- reduced$loglik[length(reduced$loglik)]
    idx <- full$assign[[term]]
    lr <- 2 * (full$loglik[2] - ll)
    w <- as.vector(survival:::coxph.wtest(full$var[idx, idx, drop = FALSE], coef(full)[idx])$test)
    list(covariate = term, df = length(idx), lr = lr, lr_p = pchisq(lr, length(idx), lower.tail = FALSE),
         wald = w, wald_p = pchisq(w, length(idx), lower.tail = FALSE), reduced_loglik = ll)
  })
  if (is.null(strata)) {
    # the same likelihood-ratio statistics as R's own drop1()
    d1 <- drop1(full, test = "Chisq")
    stopifnot(isTRUE(all.equal(unname(d1$LRT[-1]), vapply(tests, function(t) t$lr, 0))))
  }
  tests
}

fit_case <- function(call, data, covs, spec, ties = "efron", strata = NULL, iter.max = 20, timefix = TRUE,
                     conf.int = 0.95, extra = list(), by_covariate = FALSE) {
  warnings <- character(0)
  fit <- withCallingHandlers(
    eval(call),
    warning = function(w) {
      warnings <<- c(warnings, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  s <- summary(fit, conf.int = conf.int)
  nd <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
  ed <- if (nd == 0) 0L else {
    st <- data[[spec$status]][fit$na.action]
    sum(st == 1, na.rm = TRUE)
  }
  out <- c(spec, list(
    r_call = paste(deparse(call, width.cutoff = 500L), collapse = " "),
    covariates = covs,
    ties = ties,
    strata = strata,
    iter_max = iter.max,
    timefix = timefix,
    conf_int = conf.int,
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
    score_test = unname(s$sctest),      # test, df, pvalue
    wald_test = c(unname(fit$wald.test), unname(s$waldtest[2:3])),
    lr_test = unname(s$logtest),
    n = fit$n,
    nevent = fit$nevent,
    n_dropped = nd,
    events_dropped = ed,
    warnings = warnings
  ), extra)
  if (by_covariate) out$covariate_tests <- covariate_tests(fit, data, covs, spec, strata)
  out
}

cases <- list()
add <- function(name, x) {
  x$name <- name
  cases[[name]] <<- x
}

# --- datasets ----------------------------------------------------------------------------------------------------

lspec <- list(dataset = "lung", time = "time", status = "status")
lcov <- list(num("age"), num("sex"), num("ph.ecog"))
for (ties in c("efron", "breslow")) {
  add(paste0("lung_", ties), fit_case(
    bquote(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = .(ties))),
    lung, lcov, lspec, ties = ties, by_covariate = TRUE))
}

# strata(inst): inst has one NA -> dropped together with the NA of ph.ecog
add("lung_strata_inst", fit_case(
  quote(coxph(Surv(time, status) ~ age + sex + ph.ecog + strata(inst), data = lung)),
  lung, lcov, lspec, strata = "inst"))
add("lung_strata_sex_breslow", fit_case(
  quote(coxph(Surv(time, status) ~ age + ph.ecog + wt.loss + strata(sex), data = lung, ties = "breslow")),
  lung, list(num("age"), num("ph.ecog"), num("wt.loss")), lspec, ties = "breslow", strata = "sex", by_covariate = TRUE))

# one binary covariate, Breslow
add("lung_sex_breslow", fit_case(
  quote(coxph(Surv(time, status) ~ sex, data = lung, ties = "breslow")),
  lung, list(num("sex")), lspec, ties = "breslow"))

# ph.ecog as a factor (levels 0..3 numeric order; level 3 has one patient)
lung_f <- lung
lung_f$ph.ecog <- factor(lung_f$ph.ecog)
add("lung_ecog_factor", fit_case(
  quote(coxph(Surv(time, status) ~ age + ph.ecog, data = lung_f)),
  lung_f, list(num("age"), fac("ph.ecog")), lspec, by_covariate = TRUE))
# ph.ecog alone (4 levels, level 3 has one patient): the univariate model of `sarcostat univariate`, with its log-rank test
add("lung_ecog_factor_alone", fit_case(
  quote(coxph(Surv(time, status) ~ ph.ecog, data = lung_f)),
  lung_f, list(fac("ph.ecog")), lspec, by_covariate = TRUE,
  extra = list(logrank = local({
    sd <- survdiff(Surv(time, status) ~ ph.ecog, data = lung_f)
    list(chisq = sd$chisq, df = length(sd$n) - 1L, p = pchisq(sd$chisq, length(sd$n) - 1L, lower.tail = FALSE),
         n = unname(as.vector(sd$n)), observed = unname(as.vector(sd$obs)))
  }))))

vspec <- list(dataset = "veteran", time = "time", status = "status")
veteran$celltype <- factor(veteran$celltype)   # levels in C-locale order: adeno, large, smallcell, squamous
vcov <- list(fac("celltype"), num("karno"), num("trt"))
for (ties in c("efron", "breslow")) {
  add(paste0("veteran_", ties), fit_case(
    bquote(coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran, ties = .(ties))),
    veteran, vcov, vspec, ties = ties, by_covariate = TRUE))
}
veteran_sq <- veteran
veteran_sq$celltype <- relevel(veteran_sq$celltype, ref = "squamous")
add("veteran_relevel_squamous", fit_case(
  quote(coxph(Surv(time, status) ~ celltype + karno + trt, data = veteran_sq)),
  veteran_sq, list(fac("celltype", reference = "squamous"), num("karno"), num("trt")), vspec, by_covariate = TRUE))

ospec <- list(dataset = "ovarian", time = "futime", status = "fustat")
for (ties in c("efron", "breslow")) {
  add(paste0("ovarian_", ties), fit_case(
    bquote(coxph(Surv(futime, fustat) ~ rx + age + ecog.ps, data = ovarian, ties = .(ties))),
    ovarian, list(num("rx"), num("age"), num("ecog.ps")), ospec, ties = ties))
}

# one binary covariate, Breslow, no tied event times: the score test is the log-rank test
add("ovarian_rx_breslow", fit_case(
  quote(coxph(Surv(futime, fustat) ~ rx, data = ovarian, ties = "breslow")),
  ovarian, list(num("rx")), ospec, ties = "breslow", by_covariate = TRUE,
  extra = list(logrank_chisq = survdiff(Surv(futime, fustat) ~ rx, data = ovarian)$chisq)))

# --- near ties: months computed from dates (entry + time)/30.4375 - entry/30.4375 -------------------------------
# equal durations give times differing in the last bits; timefix = TRUE merges them as aeqSurv.
lung_m <- lung
lung_m$entry <- (seq_len(nrow(lung)) * 37) %% 1000
lung_m$months <- (lung_m$entry + lung_m$time) / 30.4375 - lung_m$entry / 30.4375
mspec <- list(dataset = "lung", time = "time", status = "status",
              time_transform = "months_from_dates", entry_multiplier = 37, entry_modulus = 1000, days_per_month = 30.4375)
for (tf in c(TRUE, FALSE)) {
  add(paste0("lung_months_timefix_", tolower(tf)), fit_case(
    bquote(coxph(Surv(months, status) ~ age + sex, data = lung_m, timefix = .(tf))),
    lung_m, list(num("age"), num("sex")), mspec, timefix = tf))
}
# days -> years: hazard ratios unchanged (identity), fitted in R too
lung_y <- lung
lung_y$years <- lung_y$time / 365.25
add("lung_years", fit_case(
  quote(coxph(Surv(years, status) ~ age + sex + ph.ecog, data = lung_y)),
  lung_y, lcov, c(lspec, list(time_transform = "divide", divisor = 365.25))))

# heavy ties: time in quarters, ceiling(time / 91.3125)
lung_q <- lung
lung_q$quarter <- ceiling(lung_q$time / 91.3125)
for (ties in c("efron", "breslow")) {
  add(paste0("lung_quarters_", ties), fit_case(
    bquote(coxph(Surv(quarter, status) ~ age + sex + ph.ecog, data = lung_q, ties = .(ties))),
    lung_q, lcov, c(lspec, list(time_transform = "ceiling_divide", divisor = 91.3125)), ties = ties))
}

# --- not converged -------------------------------------------------------------------------------------------------
for (it in c(1L, 2L)) {
  add(paste0("lung_iter_max_", it), fit_case(
    bquote(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, iter.max = .(it))),
    lung, lcov, lspec, iter.max = it))
}

# --- inline data ---------------------------------------------------------------------------------------------------
inline <- function(df) list(dataset = NULL, data = as.list(df), time = "time", status = "status")

# Therneau & Grambsch appendix "test data 1", unsorted, one missing covariate (book1.R / book2.R)
test1 <- data.frame(time = c(9, 3, 1, 1, 6, 6, 8), status = c(1, 1, 1, 0, 1, 1, 0), x = c(0, NA, 1, 1, 1, 0, 0))
for (ties in c("efron", "breslow")) {
  add(paste0("test1_", ties), fit_case(
    bquote(coxph(Surv(time, status) ~ x, data = test1, ties = .(ties))),
    test1, list(num("x")), inline(test1), ties = ties))
}

# monotone likelihood: every event has x = 1
mono <- data.frame(
  time = c(5, 8, 12, 3, 9, 15, 20, 7, 11, 14, 2, 18, 6, 10, 16),
  status = c(1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0),
  x = c(1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1),
  z = c(0.5, 1.2, -0.3, 0.8, 2.1, 0.0, -1.1, 0.4, 1.7, -0.6, 0.9, 1.3, -0.2, 0.6, -0.9))
add("monotone", fit_case(
  quote(coxph(Surv(time, status) ~ x + z, data = mono)),
  mono, list(num("x"), num("z")), inline(mono)))

# a single event (its x lies inside the risk set's range, so the estimate is finite)
single <- data.frame(time = c(2, 4, 5, 7, 9, 11), status = c(0, 1, 0, 0, 0, 0), x = c(1.5, 1.2, 2.5, 3.1, 0.7, 1.9))
add("single_event", fit_case(
  quote(coxph(Surv(time, status) ~ x, data = single)),
  single, list(num("x")), inline(single)))

# n = 3
three <- data.frame(time = c(3, 1, 2), status = c(1, 1, 0), x = c(0.3, 0.9, 1.4))
add("n3", fit_case(quote(coxph(Surv(time, status) ~ x, data = three)), three, list(num("x")), inline(three)))

# heavy ties inline: 3 distinct times, many deaths at each, two covariates; Efron and Breslow
set.seed(20261122)
heavy <- data.frame(time = sample(1:3, 40, replace = TRUE), status = rbinom(40, 1, 0.7),
                    x = round(rnorm(40), 2), g = sample(0:1, 40, replace = TRUE))
for (ties in c("efron", "breslow")) {
  add(paste0("heavy_ties_", ties), fit_case(
    bquote(coxph(Surv(time, status) ~ x + g, data = heavy, ties = .(ties))),
    heavy, list(num("x"), num("g")), inline(heavy), ties = ties))
}

names(cases) <- NULL
write_golden(list(cases = cases), "cox_cases")
