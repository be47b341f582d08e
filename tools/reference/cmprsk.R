# Golden values for competing risks (src/Sarcostat.Survival/CompetingRisks), from R's cmprsk package.
# Run: Rscript tools/reference/cmprsk.R
#   -> data/mgus2.csv, data/cmprsk_sim.csv (the inputs), golden/cmprsk_cuminc.json, golden/cmprsk_crr.json
#
# Datasets (exported here, not by export-datasets.R, so that this script is self-contained):
#   mgus2       survival::mgus2 plus the competing-risks outcome of survival's "compete" vignette:
#               etime = ptime if progression (pstat = 1) else futime;
#               event = 1 progression to plasma-cell malignancy (PCM), 2 death without PCM, 0 censored;
#               event_text = the same as text (pcm, death, censor); agegrp = "<70" / ">=70" (age < 70).
#   cmprsk_sim  the simulated example of cmprsk's help pages with a fixed seed (set.seed(2)):
#               time = rexp(100), group = sample(a, b, c), status = sample(0:2), strata = sample(1:2), x1..x3 normal.
#
# cuminc cases record, per cause (sorted, cencode excluded) and group (factor level order):
#   curve   cuminc()'s step-function vectors time, est, var (the corners of the step function, as cmprsk returns them)
#   at      timepoints(fit, at): est and var (NA beyond the group's last follow-up time)
#   ci      pointwise 95% CI at `at`, computed here by hand from est and var (cmprsk gives none):
#           log-log: est^exp(+-z * sqrt(var) / (est * log(est)))  (lower with +, i.e. est^exp(z*se/|est log est|))
#           plain:   est +- z * sqrt(var), clipped to [0, 1]
#   survfit the Aalen-Johansen estimate of survfit(Surv(time, factor(status)) ~ group) at `at` (pstate for the cause),
#           checked below to equal cuminc's estimate; its std.err is the infinitesimal-jackknife SE, a different
#           variance from cuminc's (recorded for the documentation, not compared)
#   tests   cuminc()$Tests: Gray's test per cause (stat, pv, df), stratified when strata is given
# crr cases record coef, se (sqrt(diag(var))), var, z, p, exp(coef) CI, loglik, loglik.null, converged, n, n.missing.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))
suppressPackageStartupMessages(library(cmprsk))

exact <- function(x) sprintf("%.17g", x)
out <- file.path(here(), "data")
dir.create(out, showWarnings = FALSE)

# ---------------------------------------------------------------- datasets
m <- survival::mgus2
m$sex <- as.character(m$sex)
m$etime <- ifelse(m$pstat == 0, m$futime, m$ptime)
m$event <- ifelse(m$pstat == 0, 2 * m$death, 1)
m$event_text <- c("censor", "pcm", "death")[m$event + 1]
m$agegrp <- ifelse(m$age < 70, "<70", ">=70")
write.csv(m, file.path(out, "mgus2.csv"), row.names = FALSE, na = "NA")

set.seed(2)
sim <- data.frame(time = rexp(100))
sim$group <- c("a", "b", "c")[sample(1:3, 100, replace = TRUE)]
sim$status <- sample(0:2, 100, replace = TRUE)
sim$strata <- sample(1:2, 100, replace = TRUE)
sim$x1 <- rnorm(100)
sim$x2 <- rnorm(100)
sim$x3 <- rnorm(100)
write.csv(sim, file.path(out, "cmprsk_sim.csv"), row.names = FALSE)
message("exported mgus2, cmprsk_sim to ", out)

mgus2 <- read_data("mgus2")
sim <- read_data("cmprsk_sim")

# ---------------------------------------------------------------- cumulative incidence
ci_loglog <- function(est, var, z) {
  se <- sqrt(var)
  ok <- !is.na(est) & est > 0 & est < 1 & se > 0
  lo <- hi <- est
  a <- ifelse(ok, z * se / abs(est * log(est)), NA)
  lo[ok] <- est[ok]^exp(a[ok])
  hi[ok] <- est[ok]^exp(-a[ok])
  list(lower = lo, upper = hi)
}
ci_plain <- function(est, var, z) {
  se <- sqrt(var)
  list(lower = pmax(0, est - z * se), upper = pmin(1, est + z * se))
}

cuminc_case <- function(name, call, time, status, group, strata, cencode, at, dataset = NULL, inline = FALSE, rho = 0) {
  args <- list(ftime = time, fstatus = status, cencode = cencode, rho = rho)
  if (!is.null(group)) args$group <- group
  if (!is.null(strata)) args$strata <- strata
  fit <- do.call(cuminc, args)
  tp <- timepoints(fit, at)
  z <- qnorm(0.975)
  gvec <- if (is.null(group)) rep("1", length(time)) else group
  keep <- !is.na(time) & !is.na(status) & !is.na(gvec) & (is.null(strata) | !is.na(if (is.null(strata)) 1 else strata))
  gf <- factor(gvec[keep])
  levs <- levels(gf)[table(gf) > 0]
  causes <- sort(unique(status[keep][status[keep] != cencode]))
  curves <- list()
  k <- 0
  for (cause in causes) {
    for (g in levs) {
      k <- k + 1
      nm <- paste(g, cause)
      cv <- fit[[nm]]
      est <- unname(tp$est[nm, ]); var <- unname(tp$var[nm, ])
      # survfit's multi-state Aalen-Johansen estimate of the same curve, at `at`
      sel <- keep & gvec == g
      st <- factor(ifelse(status[sel] == cencode, "0cens", paste0("c", status[sel])))
      sf <- survfit(Surv(time[sel], st) ~ 1)
      ss <- summary(sf, times = at[at <= max(time[sel])], extend = TRUE)
      col <- match(paste0("c", cause), sf$states)
      sf_est <- rep(NA_real_, length(at)); sf_se <- sf_est
      # a cause that never occurs in this group is no state of the fit: its incidence is 0
      sf_est[seq_along(ss$time)] <- if (is.na(col)) 0 else ss$pstate[, col]
      sf_se[seq_along(ss$time)] <- if (is.na(col)) 0 else ss$std.err[, col]
      stopifnot(isTRUE(all.equal(sf_est, est, tolerance = 1e-12)))
      curves[[k]] <- list(
        cause = as.character(cause), group = if (is.null(group)) NULL else g,
        curve = list(time = cv$time, est = cv$est, var = cv$var),
        at = list(time = at, est = est, var = var),
        ci_loglog = ci_loglog(est, var, z), ci_plain = ci_plain(est, var, z),
        survfit = list(est = sf_est, std_err_ij = sf_se))
    }
  }
  tests <- NULL
  if (!is.null(fit$Tests)) {
    tt <- fit$Tests
    tests <- lapply(seq_len(nrow(tt)), function(i) list(cause = rownames(tt)[i], stat = unname(tt[i, "stat"]),
                                                          pv = unname(tt[i, "pv"]), df = unname(tt[i, "df"])))
  }
  list(name = name, r_call = call, dataset = dataset,
       time = if (inline) exact(time) else NULL, status = if (inline) status else NULL,
       group = if (inline) group else NULL, strata = if (inline) strata else NULL,
       time_column = if (inline) NULL else "time", cencode = cencode, rho = rho, at = at, curves = curves, tests = tests)
}

cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x
mg_at <- c(12, 60, 120, 240, 360, 420)
add(cuminc_case("mgus2", "cuminc(etime, event)", mgus2$etime, mgus2$event, NULL, NULL, 0, mg_at, "mgus2"))
add(cuminc_case("mgus2_by_sex", "cuminc(etime, event, group = sex)", mgus2$etime, mgus2$event, mgus2$sex, NULL, 0, mg_at, "mgus2"))
add(cuminc_case("mgus2_by_sex_strata_agegrp", "cuminc(etime, event, group = sex, strata = agegrp)",
                mgus2$etime, mgus2$event, mgus2$sex, mgus2$agegrp, 0, mg_at, "mgus2"))
add(cuminc_case("mgus2_by_agegrp", "cuminc(etime, event, group = agegrp)", mgus2$etime, mgus2$event, mgus2$agegrp, NULL, 0, mg_at, "mgus2"))
sim_at <- c(0.1, 0.5, 1, 2, 3)
add(cuminc_case("sim_by_group", "cuminc(time, status, group)", sim$time, sim$status, sim$group, NULL, 0, sim_at, "cmprsk_sim"))
add(cuminc_case("sim_by_group_strata", "cuminc(time, status, group, strata)", sim$time, sim$status, sim$group,
                as.character(sim$strata), 0, sim_at, "cmprsk_sim"))
add(cuminc_case("sim_by_group_strata_rho1", "cuminc(time, status, group, strata, rho = 1)", sim$time, sim$status, sim$group,
                as.character(sim$strata), 0, sim_at, "cmprsk_sim", rho = 1))
add(cuminc_case("sim_cencode_2", "cuminc(time, status, group, cencode = 2)", sim$time, sim$status, sim$group, NULL, 2, sim_at, "cmprsk_sim"))

# Hand-made: ties between causes at one time, censorings at event times, an event at time 0, a group (c) in
# which cause 2 never occurs, a group whose follow-up ends early (b: NA beyond 7), causes coded 1, 2, 3.
e_time <- c(0, 2, 2, 2, 3, 3, 5, 5, 5, 8, 8, 10,   1, 2, 2, 4, 4, 7,   2, 3, 3, 3, 6, 6, 9, 12)
e_stat <- c(1, 1, 2, 0, 2, 0, 1, 1, 2, 0, 1, 3,    2, 1, 0, 2, 1, 0,   1, 1, 0, 3, 1, 0, 0, 1)
e_grp <- c(rep("a", 12), rep("b", 6), rep("c", 8))
e_at <- c(0, 1, 2, 3, 5, 7, 8, 10, 12)
add(cuminc_case("edge_ties", "cuminc(time, status, group)", e_time, e_stat, e_grp, NULL, 0, e_at, NULL, inline = TRUE))
add(cuminc_case("edge_ties_pooled", "cuminc(time, status)", e_time, e_stat, NULL, NULL, 0, e_at, NULL, inline = TRUE))
write_golden(list(cases = cases, cmprsk_version = as.character(packageVersion("cmprsk"))), "cmprsk_cuminc")

# ---------------------------------------------------------------- Fine-Gray regression
crr_case <- function(name, call, data, formula, time, status, failcode, cencode, covariates, factors, dataset = NULL, inline = NULL) {
  mf <- model.frame(formula, data, na.action = na.pass)
  x <- model.matrix(formula, mf)[, -1, drop = FALSE]
  fit <- crr(data[[time]], data[[status]], x, failcode = failcode, cencode = cencode)
  s <- summary(fit)
  se <- sqrt(diag(fit$var))
  list(name = name, r_call = call, dataset = dataset, inline = inline,
       time = time, status = status, failcode = failcode, cencode = cencode,
       covariates = covariates, factors = factors, terms = names(fit$coef),
       coef = unname(fit$coef), se = unname(se), var = unname(fit$var), z = unname(fit$coef / se),
       p = unname(2 * pnorm(-abs(fit$coef / se))),
       exp_coef = unname(exp(fit$coef)), lower = unname(s$conf.int[, 3]), upper = unname(s$conf.int[, 4]),
       loglik = fit$loglik, loglik_null = fit$loglik.null, logtest = unname(s$logtest["test"]),
       converged = fit$converged, n = fit$n, n_missing = fit$n.missing)
}

fits <- list()
addf <- function(x) fits[[length(fits) + 1]] <<- x
addf(crr_case("mgus2_pcm", "crr(etime, event, model.matrix(~ age + sex + mspike)[, -1], failcode = 1, cencode = 0)",
              mgus2, ~ age + sex + mspike, "etime", "event", 1, 0, c("age", "sex", "mspike"), c("sex"), "mgus2"))
addf(crr_case("mgus2_death", "crr(etime, event, model.matrix(~ age + sex + hgb)[, -1], failcode = 2, cencode = 0)",
              mgus2, ~ age + sex + hgb, "etime", "event", 2, 0, c("age", "sex", "hgb"), c("sex"), "mgus2"))
addf(crr_case("sim_x", "crr(time, status, cbind(x1, x2, x3), failcode = 1, cencode = 0)",
              sim, ~ x1 + x2 + x3, "time", "status", 1, 0, c("x1", "x2", "x3"), character(0), "cmprsk_sim"))
addf(crr_case("sim_group_cause2", "crr(time, status, model.matrix(~ group + x1)[, -1], failcode = 2, cencode = 0)",
              sim, ~ group + x1, "time", "status", 2, 0, c("group", "x1"), c("group"), "cmprsk_sim"))
e_x <- c(0.5, 1.2, -0.3, 0.8, 2.1, -1.0, 0.0, 1.5, 0.7, -0.6, 1.1, 0.3,  -0.2, 0.9, 1.4, -0.8, 0.6, 0.2,  1.3, -0.4, 0.1, 0.9, -1.2, 0.4, 1.8, -0.7)
edge <- data.frame(time = e_time, status = e_stat, g = e_grp, x = e_x)
addf(crr_case("edge_ties", "crr(time, status, model.matrix(~ x + g)[, -1], failcode = 1, cencode = 0)",
              edge, ~ x + g, "time", "status", 1, 0, c("x", "g"), c("g"), NULL,
              list(time = exact(e_time), status = e_stat, g = e_grp, x = exact(e_x))))
# Events, competing events and a censoring at time 0 (crr reads the censoring distribution at 0 as G(0), not G(0-)).
z_time <- c(0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10)
z_stat <- c(0, 2, 1, 1, 0, 2, 1, 0, 2, 1, 0, 1, 2, 0)
z_x <- c(0.3, 1.1, -0.5, 0.9, 0.2, -1.3, 0.4, 1.7, -0.2, 0.6, 0.8, -0.9, 1.2, 0.1)
addf(crr_case("edge_time_zero", "crr(time, status, x, failcode = 1, cencode = 0)",
              data.frame(time = z_time, status = z_stat, x = z_x), ~ x, "time", "status", 1, 0, c("x"), character(0), NULL,
              list(time = exact(z_time), status = z_stat, x = exact(z_x))))
# Monotone pseudo-likelihood: every event of cause 1 has x = 1 once the first failures are past; crr stops after
# maxiter = 10 Newton steps with converged = FALSE (the path, step halvings included, must be the same).
m_time <- 1:12
m_stat <- c(1, 2, 1, 0, 1, 2, 0, 1, 2, 0, 2, 0)
m_x <- c(1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1)
addf(crr_case("monotone_not_converged", "crr(time, status, x, failcode = 1, cencode = 0)",
              data.frame(time = m_time, status = m_stat, x = m_x), ~ x, "time", "status", 1, 0, c("x"), character(0), NULL,
              list(time = exact(m_time), status = m_stat, x = exact(m_x))))
write_golden(list(cases = fits, cmprsk_version = as.character(packageVersion("cmprsk"))), "cmprsk_crr")
