# Golden values for the Cox model checks (src/Sarcostat.Survival/Cox/CoxZph.cs, Concordance.cs).
# Run: Rscript tools/reference/zph.R   (writes golden/zph_cases.json)
#
# R: cox.zph(fit) (transform "km" by default, terms = TRUE) and the other transforms; concordance(fit);
#    the smooth plot(cox.zph(fit)) draws (natural spline, df = 4, nsmo = 40, with its +-2 SE band).
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

lung <- read_data("lung")
veteran <- read_data("veteran")
ovarian <- read_data("ovarian")
veteran$celltype <- factor(veteran$celltype)

# hand-made small case: ties of events and of censored times, a 0/1 and a numeric covariate
small <- data.frame(
  time = c(1, 2, 2, 3, 4, 4, 4, 5, 6, 7, 8, 8, 9, 10),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0),
  x = c(0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1),
  z = c(2.5, 1.2, 3.1, 0.4, 2.2, 1.9, 0.7, 3.3, 1.1, 2.8, 0.9, 1.5, 2.0, 0.3),
  # strata: w is constant (0) in stratum 1, so its scaled residuals there are NA in R
  g = c(1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2),
  w = c(0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0),
  # a three-level factor (df = 2 in the test)
  f = c("a", "b", "c", "a", "c", "b", "a", "b", "c", "c", "a", "b", "c", "a"),
  stringsAsFactors = FALSE)

# The smooth of survival:::plot.cox.zph (survival 3.5.3), its lines copied without the drawing: for each term i,
# the natural-spline least-squares fit of z$y[, i] on z$x at nsmo points and the +-2 SE band. The knots are the
# 1/3 and 2/3 quantiles of c(pred.x, z$x) (all events, also those where the residual is NA). The fit is on z$x as
# cox.zph returns it; for transform = "log" plot.cox.zph draws at exp(pred.x), the fit itself is the same.
zph_smooth <- function(z, df = 4, nsmo = 40) {
  xx <- z$x
  yy <- z$y
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  temp <- c(pred.x, xx)
  lmat <- splines::ns(temp, df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  xmat <- lmat[-(1:nsmo), ]
  lapply(seq_len(ncol(yy)), function(i) {
    y <- yy[, i]
    keep <- !is.na(y)
    if (!all(keep)) y <- y[keep]
    qmat <- qr(xmat[keep, ])
    if (qmat$rank < df) return(list(singular = TRUE, rank = qmat$rank))   # plot.cox.zph: warning, term skipped
    yhat <- pmat %*% qr.coef(qmat, y)
    bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
    xtx <- bk %*% t(bk)
    seval <- ((pmat %*% xtx) * pmat) %*% rep(1, df)
    temp <- 2 * sqrt(z$var[i, i] * seval)
    list(singular = FALSE, rank = qmat$rank, x = pred.x, yhat = drop(yhat), yup = drop(yhat + temp), ylow = drop(yhat - temp))
  })
}

# What plot.cox.zph itself draws: the (x, y) of every lines() call and its warnings, caught by tracing
# graphics::lines on a null device. Used only to check that zph_smooth() above is R's code.
zph_drawn <- function(z) {
  rec <- new.env()
  rec$lines <- list()
  rec$warnings <- character(0)
  suppressMessages(trace(graphics::lines, print = FALSE, where = asNamespace("graphics"),
                         tracer = bquote(assign("lines", c(.(rec)$lines, list(list(x = x, y = drop(..1)))), envir = .(rec)))))
  on.exit(suppressMessages(untrace(graphics::lines, where = asNamespace("graphics"))))
  pdf(NULL)
  withCallingHandlers(plot(z), warning = function(w) {
    rec$warnings <- c(rec$warnings, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  dev.off()
  list(lines = rec$lines, warnings = rec$warnings)
}

# Stops unless zph_smooth(z) is exactly what plot(z) draws (solid smooth, then the upper and lower band).
check_smooth <- function(z, smooth) {
  drawn <- zph_drawn(z)
  k <- 0
  for (i in seq_along(smooth)) {
    s <- smooth[[i]]
    if (s$singular) {
      stopifnot(any(grepl(paste0("variable ", i, " skipped"), drawn$warnings, fixed = TRUE)))
      next
    }
    px <- if (z$transform == "log") exp(s$x) else s$x
    for (line in list(s$yhat, s$yup, s$ylow)) {
      k <- k + 1
      stopifnot(identical(drawn$lines[[k]]$x, px), identical(drawn$lines[[k]]$y, line))
    }
  }
  stopifnot(k == length(drawn$lines))
}

zph_out <- function(fit, transform) {
  z <- cox.zph(fit, transform = transform)
  smooth <- zph_smooth(z)
  check_smooth(z, smooth)
  list(transform = transform,
       terms = rownames(z$table),
       chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]), p = unname(z$table[, "p"]),
       x = unname(z$x), time = unname(z$time),
       y = unname(z$y),    # rows = events, columns = terms (NA when not used)
       var = unname(z$var),  # solve(vmean): events x the inverse information per term (rows = columns = terms)
       smooth = smooth)    # per term: zph_smooth(z)
}

case <- function(name, call, data, spec, ties = "efron") {
  fit <- eval(call)
  cc <- concordance(fit)
  cnt <- cc$count
  if (is.matrix(cnt)) cnt <- colSums(cnt)   # stratified: R keeps one row per stratum; the engine reports the sums
  list(name = name, r_call = paste(deparse(call, width.cutoff = 500L), collapse = " "), spec = spec,
       coef = unname(coef(fit)),
       zph = lapply(c("km", "identity", "rank", "log"), function(tr) zph_out(fit, tr)),
       concordance = list(c = unname(cc$concordance), se = sqrt(unname(cc$var)),
                          count = as.list(cnt)))
}

cases <- list(
  case("lung", quote(coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung)), lung,
       list(data = "lung", time = "time", status = "status", numeric = c("age", "sex", "ph.ecog"))),
  case("veteran", quote(coxph(Surv(time, status) ~ trt + celltype + karno, data = veteran)), veteran,
       list(data = "veteran", time = "time", status = "status", numeric = c("trt"), factor = "celltype", numeric2 = "karno")),
  case("ovarian", quote(coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, data = ovarian)), ovarian,
       list(data = "ovarian", time = "futime", status = "fustat", numeric = c("age", "ecog.ps", "rx"))),
  case("lung_strata", quote(coxph(Surv(time, status) ~ age + ph.ecog + strata(sex), data = lung)), lung,
       list(data = "lung", time = "time", status = "status", numeric = c("age", "ph.ecog"), strata = "sex")),
  case("small_breslow", quote(coxph(Surv(time, status) ~ x + z, data = small, ties = "breslow")), small,
       list(data = "inline", time = "time", status = "status", numeric = c("x", "z"), ties = "breslow")),
  case("small", quote(coxph(Surv(time, status) ~ x + z, data = small)), small,
       list(data = "inline", time = "time", status = "status", numeric = c("x", "z"))),
  case("small_strata", quote(coxph(Surv(time, status) ~ w + z + strata(g), data = small)), small,
       list(data = "inline", time = "time", status = "status", numeric = c("w", "z"), strata = "g")),
  case("small_factor", quote(coxph(Surv(time, status) ~ f + z, data = small)), small,
       list(data = "inline", time = "time", status = "status", numeric = character(0), factor = "f", numeric2 = "z")))

# A spline fit that is singular: events at only three distinct times, so z$x takes three values and the four
# natural-spline columns have rank 3 < df; plot.cox.zph warns "spline fit is singular, variable 1 skipped".
few <- data.frame(
  time = c(1, 1, 2, 2, 3, 3, 4, 5, 6, 7),
  status = c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0),
  x = c(0, 1, 1, 0, 1, 0, 1, 0, 1, 0))
few_call <- quote(coxph(Surv(time, status) ~ x, data = few))
few_z <- cox.zph(eval(few_call))
few_smooth <- zph_smooth(few_z)
check_smooth(few_z, few_smooth)
singular <- list(r_call = paste(deparse(few_call), collapse = " "), data = as.list(few),
                 x = unname(few_z$x), smooth = few_smooth, warnings = I(zph_drawn(few_z)$warnings))

# A repeated interior knot: 60 of 100 deaths at time 25, so with the identity and rank transforms both interior knots
# of ns() are the same value (the spline is only once differentiable there); km for comparison.
tied_i <- 1:110
tied <- data.frame(
  time = c(1:20, rep(25, 60), 31:50, 60:69),
  status = c(rep(1, 100), rep(0, 10)),
  x = (tied_i * 7) %% 5,
  z = tied_i %% 2)
tied_call <- quote(coxph(Surv(time, status) ~ x + z, data = tied))
tied_fit <- eval(tied_call)
repeated_knot <- list(r_call = paste(deparse(tied_call), collapse = " "), data = as.list(tied), coef = unname(coef(tied_fit)),
                      zph = lapply(c("identity", "rank", "km"), function(tr) {
                        z <- cox.zph(tied_fit, transform = tr)
                        pred.x <- seq(from = min(z$x), to = max(z$x), length = 40)
                        knots <- unname(attr(splines::ns(c(pred.x, z$x), df = 4, intercept = TRUE), "knots"))
                        smooth <- zph_smooth(z)
                        check_smooth(z, smooth)
                        list(transform = tr, knots = knots, var = unname(z$var), smooth = smooth)
                      }))

write_golden(list(small = as.list(small), cases = cases, singular = singular, repeated_knot = repeated_knot), "zph_cases")
