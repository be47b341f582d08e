# Golden values for the Cox model checks (src/Sarcostat.Survival/Cox/CoxZph.cs, Concordance.cs).
# Run: Rscript tools/reference/zph.R   (writes golden/zph_cases.json)
#
# R: cox.zph(fit) (transform "km" by default, terms = TRUE) and the other transforms; concordance(fit).
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

zph_out <- function(fit, transform) {
  z <- cox.zph(fit, transform = transform)
  list(transform = transform,
       terms = rownames(z$table),
       chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]), p = unname(z$table[, "p"]),
       x = unname(z$x), time = unname(z$time),
       y = unname(z$y))    # rows = events, columns = terms (NA when not used)
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

write_golden(list(small = as.list(small), cases = cases), "zph_cases")
