# Shared helpers for the reference scripts. Source from a script in this folder:
#   source("common.R")
# Every golden file records the R and survival versions it came from.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
Sys.setlocale("LC_COLLATE", "C")   # factor levels sort as the engine sorts them (ordinal)

here <- function() {
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 0) "." else dirname(normalizePath(f))
}

# Writes `x` (a list) as golden/NAME.json with full precision and provenance.
write_golden <- function(x, name) {
  x$provenance <- list(
    script = name,
    r_version = R.version.string,
    survival_version = as.character(packageVersion("survival")),
    generated_by = "tools/reference (see README.md there)"
  )
  dir.create(file.path(here(), "golden"), showWarnings = FALSE)
  path <- file.path(here(), "golden", paste0(name, ".json"))
  writeLines(toJSON(x, digits = NA, auto_unbox = TRUE, na = "string", null = "null", pretty = TRUE), path)
  message("wrote ", path)
}

# Reads a dataset exported by export-datasets.R.
read_data <- function(name) {
  read.csv(file.path(here(), "data", paste0(name, ".csv")), stringsAsFactors = FALSE)
}
