# Golden values for Firth-penalised Cox regression (src/Sarcostat.Survival/Cox/CoxFirth.cs).
# Run: Rscript tools/reference/firth.R   (writes golden/firth_*.json)
#
# coxphf is not installed, so this script computes the Firth estimate by hand from the published formulas
# (Heinze & Schemper 2001, Statistics in Medicine 21:2409), independently of the C# engine:
#   penalised log partial likelihood  l*(b) = l(b) + 1/2 log det I(b)   (Breslow ties, as coxphf)
# with l(b) and I(b) taken from survival::coxph evaluated at b without iterating
# (coxph(..., ties = "breslow", init = b, control = coxph.control(iter.max = 0)): $loglik[2] and solve($var)).
# The score of l comes from the score residuals at b (colSums(residuals(fit, "score"))); the gradient of the penalty
# 1/2 log det I(b) by central differences. The estimate solves U*(b) = 0 (Newton with the information as the
# Hessian, as coxphf, polished to |U*| < 1e-11); profile-penalised-likelihood confidence limits solve
# 2 [l*(b_hat) - max_{others} l*(b_r = x)] = qchisq(0.95, 1) with uniroot (tol 1e-12), the inner maximisation the same
# Newton on the other coefficients. Also the penalised likelihood-ratio test 2 [l*(b_hat) - l*(0)] and the
# per-coefficient penalised LR p-values (coxphf's "prob"), and the ordinary ML fit for comparison.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

STRATA <- NULL   # stratum per row for the current case (NULL: none)
eval_at <- function(b, X, time, status) {
  fit <- if (is.null(STRATA)) {
    coxph(Surv(time, status) ~ X, ties = "breslow", init = b, control = coxph.control(iter.max = 0))
  } else {
    s <- STRATA
    coxph(Surv(time, status) ~ X + strata(s), ties = "breslow", init = b, control = coxph.control(iter.max = 0))
  }
  list(loglik = fit$loglik[2], info = solve(fit$var),
       score = unname(colSums(as.matrix(residuals(fit, type = "score")))))
}

pen_loglik <- function(b, X, time, status) {
  e <- eval_at(b, X, time, status)
  e$loglik + 0.5 * as.numeric(determinant(e$info, logarithm = TRUE)$modulus)
}

half_logdet <- function(b, X, time, status) {
  0.5 * as.numeric(determinant(eval_at(b, X, time, status)$info, logarithm = TRUE)$modulus)
}

# Modified score U*(b) = U(b) + d/db 1/2 log det I(b) (central differences, h = 1e-5) and the information.
pen_score <- function(b, X, time, status, h = 1e-5) {
  e <- eval_at(b, X, time, status)
  g <- sapply(seq_along(b), function(r) {
    bp <- b; bm <- b; bp[r] <- bp[r] + h; bm[r] <- bm[r] - h
    (half_logdet(bp, X, time, status) - half_logdet(bm, X, time, status)) / (2 * h)
  })
  list(score = e$score + g, info = e$info)
}

# Maximises l* over the free coefficients (fixed ones held at their values): Newton with step-halving on l*.
maximise <- function(b, free, X, time, status) {
  cur <- pen_loglik(b, X, time, status)
  for (it in 1:200) {
    s <- pen_score(b, X, time, status)
    u <- s$score[free]
    if (max(abs(u)) < 1e-11) break
    step <- solve(s$info[free, free, drop = FALSE], u)
    for (k in 0:30) {
      nb <- b; nb[free] <- b[free] + step / 2^k
      nl <- pen_loglik(nb, X, time, status)
      if (is.finite(nl) && nl >= cur - 1e-13 * abs(cur)) break
    }
    b <- nb; cur <- nl
  }
  list(beta = b, pl = cur, score = u)
}

firth_case <- function(time, status, X, names, extra = list()) {
  X <- as.matrix(X)
  p <- ncol(X)
  fit <- maximise(rep(0, p), seq_len(p), X, time, status)
  bhat <- fit$beta
  plmax <- fit$pl
  info <- eval_at(bhat, X, time, status)$info
  v <- solve(info)
  q <- qchisq(0.95, 1)
  profile <- function(r, x, start) {
    b <- start; b[r] <- x
    if (p == 1) return(pen_loglik(b, X, time, status))
    maximise(b, setdiff(seq_len(p), r), X, time, status)$pl
  }
  lower <- upper <- prob <- numeric(p)
  for (r in seq_len(p)) {
    se <- sqrt(v[r, r])
    f <- function(x) 2 * (plmax - profile(r, x, bhat)) - q
    lo <- bhat[r] - se; while (f(lo) < 0) lo <- lo - se
    hi <- bhat[r] + se; while (f(hi) < 0) hi <- hi + se
    lower[r] <- uniroot(f, c(lo, bhat[r]), tol = 1e-12)$root
    upper[r] <- uniroot(f, c(bhat[r], hi), tol = 1e-12)$root
    prob[r] <- pchisq(2 * (plmax - profile(r, 0, bhat)), 1, lower.tail = FALSE)
  }
  pl0 <- pen_loglik(rep(0, p), X, time, status)
  s <- if (is.null(STRATA)) rep(1, length(time)) else STRATA
  ml <- suppressWarnings(coxph(Surv(time, status) ~ X + strata(s), ties = "breslow"))
  ml_warn <- tryCatch({ coxph(Surv(time, status) ~ X + strata(s), ties = "breslow"); "" }, warning = function(w) conditionMessage(w))
  c(extra, list(
    terms = names,
    coef = bhat,
    se = sqrt(diag(v)),
    var = unname(v),
    lower = lower, upper = upper,               # profile penalised-likelihood limits for beta
    hr_lower = exp(lower), hr_upper = exp(upper),
    prob = prob,                                # penalised LR test of beta_r = 0 (coxphf "prob")
    pen_loglik = c(pl0, plmax),                 # penalised log likelihood at 0 and at the estimate
    loglik = c(eval_at(rep(0, p), X, time, status)$loglik, eval_at(bhat, X, time, status)$loglik),
    lr_test = c(2 * (plmax - pl0), p, pchisq(2 * (plmax - pl0), p, lower.tail = FALSE)),
    final_score = fit$score,
    ml_coef = unname(coef(ml)),
    ml_warning = ml_warn))
}

# --- case 1 and 2: monotone likelihood (hand-made: every event is in group g = 0, none in g = 1) ----------------
set.seed(20260511)
n <- 40
g <- rep(c(0, 1), c(30, 10))
time <- round(c(rexp(30, 1 / 400), rexp(10, 1 / 600))) + 1
status <- c(rbinom(30, 1, 0.7), rep(0, 10))
x <- round(rnorm(n, 60, 10), 1)
mono <- list(time = time, status = status, g = g, x = x)
write_golden(firth_case(time, status, cbind(g), "g",
  extra = list(r_call = "Firth: time, status, g (inline); l*(b) from coxph(Surv(time, status) ~ g, ties = 'breslow', init = b, iter.max = 0)",
               data = mono, covariates = list("g"))), "firth_monotone")
write_golden(firth_case(time, status, cbind(g, x), c("g", "x"),
  extra = list(r_call = "Firth: time, status, g + x (inline); l*(b) from coxph(Surv(time, status) ~ g + x, ties = 'breslow', init = b, iter.max = 0)",
               data = mono, covariates = list("g", "x"))), "firth_monotone_x")

# --- case 3: regular (lung age + sex): Firth close to ML ------------------------------------------------------------
lung <- read_data("lung")
write_golden(firth_case(lung$time, lung$status, cbind(age = lung$age, sex = lung$sex), c("age", "sex"),
  extra = list(r_call = "Firth: lung, Surv(time, status) ~ age + sex, ties = 'breslow'",
               dataset = "lung", covariates = list("age", "sex"))), "firth_lung")

# --- case 4: the monotone case with g + x and two strata (separate risk sets, common beta) ---------------------------
STRATA <- rep(c(1, 2), length.out = length(mono$time))
write_golden(firth_case(mono$time, mono$status, cbind(g = mono$g, x = mono$x), c("g", "x"),
  extra = list(r_call = "Firth: time, status, g + x + strata(s) (inline); l*(b) from coxph(Surv(time, status) ~ g + x + strata(s), ties = 'breslow', init = b, iter.max = 0)",
               data = c(mono, list(s = STRATA)), covariates = list("g", "x"), strata = "s")), "firth_strata")
STRATA <- NULL
