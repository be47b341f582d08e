# Golden values for group comparisons and descriptive statistics (R's stats package).
# Run: Rscript tools/reference/compare.R  -> tools/reference/golden/compare_*.json
# Every hand-made input is written into the JSON so the C# tests read the same data.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

lung <- read_data("lung")

# Evaluates expr, collecting warnings instead of printing them.
with_warnings <- function(expr) {
  w <- character()
  value <- withCallingHandlers(expr, warning = function(cnd) {
    w <<- c(w, conditionMessage(cnd))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = w)
}

# A table as a plain integer matrix (rows x columns), so toJSON writes an array of rows.
as_counts <- function(t) {
  m <- matrix(as.integer(t), nrow = nrow(t), ncol = ncol(t))
  m
}

# ---------------------------------------------------------------------------------------------------------------
# Fisher's exact test and chi-squared test on tables
# ---------------------------------------------------------------------------------------------------------------
set.seed(20240607)
tables <- list(
  two_by_two_zero_cell   = matrix(c(3L, 2L, 0L, 7L), 2),            # [[3,0],[2,7]]
  two_by_two_moderate    = matrix(c(10L, 3L, 5L, 12L), 2),          # [[10,5],[3,12]]
  two_by_two_tea         = matrix(c(1L, 11L, 9L, 3L), 2),           # [[1,9],[11,3]]
  two_by_two_balanced    = matrix(c(5L, 5L, 5L, 5L), 2),            # OR exactly 1
  two_by_two_large       = matrix(c(45L, 30L, 25L, 50L), 2),
  two_by_two_larger      = matrix(c(200L, 120L, 150L, 180L), 2),
  two_by_two_inverse     = matrix(c(2L, 8L, 7L, 2L), 2),
  two_by_two_opposite    = matrix(c(0L, 5L, 5L, 0L), 2),            # x = lo: OR 0
  two_by_two_strong      = matrix(c(12L, 1L, 1L, 12L), 2),
  two_by_two_zero_row    = matrix(c(0L, 3L, 0L, 5L), 2),            # [[0,0],[3,5]]: zero margin
  two_by_three           = matrix(c(3L, 2L, 1L, 6L, 4L, 1L), 2),    # [[3,1,4],[2,6,1]]
  three_by_three         = matrix(c(2L, 4L, 0L, 3L, 1L, 3L, 1L, 5L, 6L), 3),
  two_by_five_small      = matrix(c(1L, 3L, 0L, 4L, 3L, 0L, 2L, 1L, 4L, 1L), 2),
  three_by_two           = matrix(c(7L, 2L, 5L, 1L, 8L, 3L), 3),
  three_by_four          = matrix(c(5L, 1L, 4L, 2L, 7L, 4L, 8L, 3L, 2L, 3L, 6L, 9L), 3),
  four_by_four_sparse    = matrix(c(3L, 0L, 1L, 0L, 0L, 2L, 0L, 1L, 1L, 0L, 4L, 0L, 0L, 1L, 0L, 3L), 4),
  zero_column            = matrix(c(0L, 0L, 3L, 5L, 2L, 4L), 2),    # [[0,3,2],[0,5,4]]
  lung_ecog_by_sex       = as_counts(table(lung$ph.ecog, lung$sex)),
  two_by_ten             = matrix(rpois(20, 15), 2),
  five_by_five_small     = matrix(rpois(25, 2), 5),
  five_by_five_moderate  = matrix(rpois(25, 3), 5)
)
# No table may be all zeros; storage as integer for fisher.test.
tables <- lapply(tables, function(m) { storage.mode(m) <- "integer"; m })

fisher_cases <- lapply(names(tables), function(nm) {
  m <- tables[[nm]]
  ft <- fisher.test(m, workspace = 2e8)
  is22 <- all(dim(m) == 2)
  list(
    name = nm,
    table = m,
    call = sprintf("fisher.test(%s)", nm),
    p = ft$p.value,
    odds_ratio = if (is22) unname(ft$estimate) else NA,
    lower = if (is22) ft$conf.int[1] else NA,
    upper = if (is22) ft$conf.int[2] else NA
  )
})

chisq_cases <- list()
for (nm in names(tables)) {
  m <- tables[[nm]]
  for (correct in c(TRUE, FALSE)) {
    r <- with_warnings(chisq.test(m, correct = correct))
    ct <- r$value
    chisq_cases[[length(chisq_cases) + 1]] <- list(
      name = nm,
      table = m,
      correct = correct,
      statistic = unname(ct$statistic),
      df = unname(ct$parameter),
      p = ct$p.value,
      expected = unname(ct$expected),
      yates_applied = grepl("Yates", ct$method),
      approximation_warning = any(grepl("approximation may be incorrect", r$warnings))
    )
  }
}

write_golden(list(fisher = fisher_cases, chisq = chisq_cases), "compare_tables")

# ---------------------------------------------------------------------------------------------------------------
# t-tests and Wilcoxon rank-sum tests
# ---------------------------------------------------------------------------------------------------------------
age_m <- lung$age[lung$sex == 1]
age_f <- lung$age[lung$sex == 2]
wt_m <- lung$wt.loss[lung$sex == 1]
wt_f <- lung$wt.loss[lung$sex == 2]
set.seed(20240608)
norm_a <- round(rnorm(60, 10, 2), 6)
norm_b <- round(rnorm(55, 11, 3), 6)
stopifnot(length(unique(c(norm_a, norm_b))) == 115)

samples <- list(
  lung_age_by_sex     = list(x = age_m, y = age_f),
  lung_wtloss_by_sex  = list(x = wt_m, y = wt_f),                   # contains NA
  small_no_ties       = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
                             y = c(0.878, 0.647, 0.598, 2.05, 1.07, 1.29, 1.06, 3.14, 1.28, 0.72)),
  small_with_ties     = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
                             y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  sizes_3_and_4       = list(x = c(1.1, 2.3, 5.2), y = c(0.4, 3.3, 6.1, 7.4)),
  sizes_3_and_4_apart = list(x = c(10, 11, 12), y = c(1, 2, 3, 4)),
  unequal_variances   = list(x = c(1, 2, 3, 4, 5), y = c(10, 30, -20, 50, 0, 25, 41)),
  with_missing        = list(x = c(1, NA, 3, 4, 2.5), y = c(2, 5, NA, 7, 8, NA)),
  center_statistic    = list(x = c(1, 4), y = c(2, 3)),
  normal_large        = list(x = norm_a, y = norm_b),
  integer_ties        = list(x = c(3, 5, 5, 7, 2, 9, 4, 5), y = c(6, 8, 5, 9, 9, 7, 10))
)

ttest_cases <- list()
for (nm in names(samples)) {
  s <- samples[[nm]]
  for (var_equal in c(TRUE, FALSE)) {
    if (nm == "center_statistic") next
    tt <- t.test(s$x, s$y, var.equal = var_equal)
    ttest_cases[[length(ttest_cases) + 1]] <- list(
      name = nm, x = s$x, y = s$y, var_equal = var_equal,
      call = sprintf("t.test(x, y, var.equal = %s)", var_equal),
      t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value,
      mean_x = unname(tt$estimate[1]), mean_y = unname(tt$estimate[2]),
      lower = tt$conf.int[1], upper = tt$conf.int[2], stderr = tt$stderr
    )
  }
}
# Student with a single x observation (R allows it when nx + ny >= 3).
tt <- t.test(5, c(1, 2, 4, 7), var.equal = TRUE)
ttest_cases[[length(ttest_cases) + 1]] <- list(
  name = "student_single_x", x = list(5), y = c(1, 2, 4, 7), var_equal = TRUE,
  call = "t.test(5, c(1, 2, 4, 7), var.equal = TRUE)",
  t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value,
  mean_x = unname(tt$estimate[1]), mean_y = unname(tt$estimate[2]),
  lower = tt$conf.int[1], upper = tt$conf.int[2], stderr = tt$stderr
)

# The normal approximation's pieces as stats:::wilcox.test.default computes them (its source, R 4.x): the tie-corrected
# SIGMA and the continuity-corrected z. wilcox.test does not return them, so they are recomputed here from its formula.
wilcox_normal <- function(x, y) {
  x <- x[is.finite(x)]; y <- y[is.finite(y)]   # wilcox.test drops missing values first
  r <- rank(c(x, y)); n.x <- length(x); n.y <- length(y)
  STATISTIC <- sum(r[seq_along(x)]) - n.x * (n.x + 1) / 2
  NTIES <- table(r)
  z <- STATISTIC - n.x * n.y / 2
  SIGMA <- sqrt((n.x * n.y / 12) * ((n.x + n.y + 1) - sum(NTIES^3 - NTIES) / ((n.x + n.y) * (n.x + n.y - 1))))
  CORRECTION <- sign(z) * 0.5
  list(sigma = SIGMA, z = (z - CORRECTION) / SIGMA)
}

wilcox_cases <- list()
for (nm in names(samples)) {
  s <- samples[[nm]]
  for (exact in list(NULL, TRUE, FALSE)) {
    r <- with_warnings(wilcox.test(s$x, s$y, exact = exact))
    wt <- r$value
    wilcox_cases[[length(wilcox_cases) + 1]] <- list(
      name = nm, x = s$x, y = s$y,
      exact = if (is.null(exact)) "auto" else if (exact) "exact" else "normal",
      call = sprintf("wilcox.test(x, y, exact = %s)", if (is.null(exact)) "NULL" else exact),
      W = unname(wt$statistic), p = wt$p.value,
      method_exact = grepl("exact", wt$method),
      ties_warning = any(grepl("ties", r$warnings)),
      sigma = wilcox_normal(s$x, s$y)$sigma,
      z = wilcox_normal(s$x, s$y)$z
    )
  }
}

write_golden(list(ttest = ttest_cases, wilcox = wilcox_cases), "compare_tests")

# ---------------------------------------------------------------------------------------------------------------
# Descriptive statistics
# ---------------------------------------------------------------------------------------------------------------
numeric_summary <- function(name, x) {
  y <- x[!is.na(x)]
  n <- length(y)
  q <- if (n > 0) quantile(y, c(0.25, 0.75), type = 7, names = FALSE) else c(NA, NA)
  list(
    name = name, values = x, n = n, missing = sum(is.na(x)),
    mean = if (n > 0) mean(y) else NA,
    sd = if (n > 1) sd(y) else NA,
    median = if (n > 0) median(y) else NA,
    q1 = q[1], q3 = q[2],
    min = if (n > 0) min(y) else NA,
    max = if (n > 0) max(y) else NA
  )
}

numeric_cases <- list(
  numeric_summary("hand_with_missing", c(3.2, NA, 1.5, 7.7, 2.2, NA, 5.0, 4.4, 2.2)),
  numeric_summary("even_count", c(10, 2, 8, 4)),
  numeric_summary("single_value", c(NA, 42.5)),
  numeric_summary("all_missing", c(NA_real_, NA_real_)),
  numeric_summary("lung_age", lung$age),
  numeric_summary("lung_wt_loss", lung$wt.loss),
  numeric_summary("lung_meal_cal", lung$meal.cal),
  numeric_summary("lung_time", lung$time / 30.4375)
)

ecog <- lung$ph.ecog
counts <- table(factor(ecog))
categorical_case <- list(
  name = "ph.ecog",
  levels = names(counts),
  counts = as.integer(counts),
  percent = as.numeric(100 * prop.table(counts)),
  percent_of_all = as.numeric(100 * (counts / length(ecog))),
  n = sum(!is.na(ecog)),
  missing = sum(is.na(ecog))
)

# Group comparison building blocks on lung: categorical ph.ecog by sex, numeric age and wt.loss by sex.
t_ecog <- table(lung$ph.ecog, lung$sex)
group_categorical <- list(
  by = "sex", variable = "ph.ecog",
  row_levels = rownames(t_ecog), column_levels = colnames(t_ecog),
  counts = as_counts(t_ecog),
  column_percent = unname(matrix(100 * prop.table(t_ecog, 2), nrow(t_ecog))),
  missing_by_group = as.integer(tapply(is.na(lung$ph.ecog), lung$sex, sum)),
  fisher_p = fisher.test(t_ecog)$p.value,
  chisq_statistic = unname(suppressWarnings(chisq.test(t_ecog))$statistic),
  chisq_p = suppressWarnings(chisq.test(t_ecog))$p.value,
  chisq_uncorrected_p = suppressWarnings(chisq.test(t_ecog, correct = FALSE))$p.value
)

group_numeric <- lapply(c("age", "wt.loss"), function(v) {
  x <- lung[[v]][lung$sex == 1]
  y <- lung[[v]][lung$sex == 2]
  st <- t.test(lung[[v]] ~ lung$sex, var.equal = TRUE)
  we <- t.test(lung[[v]] ~ lung$sex)
  mw <- suppressWarnings(wilcox.test(lung[[v]] ~ lung$sex))
  list(
    variable = v,
    groups = list(numeric_summary("1", x), numeric_summary("2", y)),
    student_t = unname(st$statistic), student_p = st$p.value,
    welch_t = unname(we$statistic), welch_df = unname(we$parameter), welch_p = we$p.value,
    wilcox_W = unname(mw$statistic), wilcox_p = mw$p.value
  )
})

write_golden(list(
  numeric = numeric_cases,
  categorical = categorical_case,
  group_categorical = group_categorical,
  group_numeric = group_numeric
), "compare_descriptives")
