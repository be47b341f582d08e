# Golden values for the counting-process Cox model (src/Sarcostat.Survival/CountingProcess):
# coxph(Surv(start, stop, event) ~ x + strata(s) + cluster(id), weights = w, ties = ...), summary() of it.
# Run: Rscript tools/reference/coxcp.R   (writes data/heart.csv and golden/coxcp_cases.json)
#
# data/heart.csv is survival's `heart` (the Stanford heart transplant data in counting-process form, jasa1) written
# unchanged except that the factor `transplant` is written as its level (0/1). Hand-made cases are written into the
# JSON itself. Every case records coef, exp(coef), naive se, robust se (when robust), z, p, CI, the variance matrices,
# loglik, iter, the likelihood-ratio, Wald and score tests and R's robust score test (rscore).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

h <- survival::heart
h$transplant <- as.integer(as.character(h$transplant))
write.csv(h, file.path(here(), "data", "heart.csv"), row.names = FALSE)
heart <- read_data("heart")

record <- function(fit, name, ties) {
  # R's default: robust when there is a cluster() term or a non-integer case weight (each row its own cluster then)
  robust <- !is.null(fit$naive.var)
  s <- summary(fit)
  cf <- s$coefficients
  se_col <- if (robust) "robust se" else "se(coef)"
  list(
    name = name, ties = ties, robust = robust,
    terms = rownames(cf),
    coef = unname(cf[, "coef"]), hr = unname(cf[, "exp(coef)"]),
    se = unname(cf[, "se(coef)"]),
    robust_se = if (robust) unname(cf[, "robust se"]) else NULL,
    z = unname(cf[, "z"]), p = unname(cf[, "Pr(>|z|)"]),
    lower = unname(s$conf.int[, "lower .95"]), upper = unname(s$conf.int[, "upper .95"]),
    var = unname(fit$var),
    naive_var = if (robust) unname(fit$naive.var) else NULL,
    loglik = fit$loglik, iter = fit$iter, n = fit$n, nevent = fit$nevent,
    logtest = unname(s$logtest), waldtest = unname(fit$wald.test), sctest = unname(s$sctest),
    rscore = if (robust) unname(fit$rscore) else NULL,
    means = unname(fit$means))
}

cases <- list()

# Stanford heart transplant, clustered on patient (the issue's example), Efron and Breslow.
for (ties in c("efron", "breslow")) {
  fit <- coxph(Surv(start, stop, event) ~ age + transplant + surgery + cluster(id), data = heart, ties = ties)
  cases[[length(cases) + 1]] <- c(record(fit, paste0("heart_cluster_", ties), ties),
                                   list(dataset = "heart", start = "start", stop = "stop", event = "event",
                                        covariates = c("age", "transplant", "surgery"), cluster = "id"))
}
# heart without cluster: the model-based variance only
fit <- coxph(Surv(start, stop, event) ~ age + transplant + surgery, data = heart)
cases[[length(cases) + 1]] <- c(record(fit, "heart_naive_efron", "efron"),
                                list(dataset = "heart", start = "start", stop = "stop", event = "event",
                                     covariates = c("age", "transplant", "surgery")))

# Hand-made: tied event times (also tied with start times), case weights, two strata, clusters spanning rows.
small <- data.frame(
  id    = c(1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 12, 12, 13, 14, 15),
  start = c(0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 0, 2, 0, 0, 0),
  stop  = c(2, 6, 5, 3, 6, 6, 4, 9, 3, 8, 5, 7, 6, 4, 9, 2, 6, 3, 6, 7),
  event = c(0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0),
  x     = c(1.2, 1.5, -0.3, 0.4, 0.9, 2.1, -1.0, -0.5, 0.0, 1.1, 0.3, 0.8, -0.7, 1.9, -1.4, 0.6, 0.2, -0.2, 1.3, 0.5),
  g     = c(0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1),
  w     = c(1, 1, 2, 0.5, 0.5, 1.5, 1, 1, 3, 1, 2, 2, 0.7, 1, 1, 2.5, 2.5, 1, 1.2, 0.8),
  s     = c(1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 1, 1, 2, 1, 2, 2, 2, 1, 2, 1))
for (ties in c("efron", "breslow")) {
  fit <- coxph(Surv(start, stop, event) ~ x + g + strata(s) + cluster(id), data = small, weights = w, ties = ties)
  cases[[length(cases) + 1]] <- c(record(fit, paste0("small_weights_strata_", ties), ties),
                                  list(data = small, start = "start", stop = "stop", event = "event",
                                       covariates = c("x", "g"), strata = "s", cluster = "id", weights = "w"))
  fit <- coxph(Surv(start, stop, event) ~ x + g, data = small, weights = w, ties = ties)
  cases[[length(cases) + 1]] <- c(record(fit, paste0("small_weights_", ties), ties),
                                  list(data = small, start = "start", stop = "stop", event = "event",
                                       covariates = c("x", "g"), weights = "w"))
}
# every row its own cluster (the engine's robust variance without a cluster column)
small$row <- seq_len(nrow(small))
fit <- coxph(Surv(start, stop, event) ~ x + g + cluster(row), data = small)
cases[[length(cases) + 1]] <- c(record(fit, "small_robust_rows", "efron"),
                                list(data = small, start = "start", stop = "stop", event = "event",
                                     covariates = c("x", "g"), robust_rows = TRUE))

write_golden(list(cases = cases), "coxcp_cases")
