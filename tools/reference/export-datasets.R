# Exports R survival's public datasets as CSV into data/, the exact input of both the golden
# scripts and the C# tests. Run from anywhere: Rscript tools/reference/export-datasets.R
#
# Changes from the R objects, so that the files suit a CLI that expects 0/1 events:
#   lung:    status recoded 1 = censored, 2 = dead  ->  0 = censored, 1 = dead
#   veteran, ovarian: unchanged (already 0/1)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "common.R"))

out <- file.path(here(), "data")
dir.create(out, showWarnings = FALSE)

lung <- survival::lung
lung$status <- lung$status - 1L
write.csv(lung, file.path(out, "lung.csv"), row.names = FALSE, na = "NA")

veteran <- survival::veteran
veteran$celltype <- as.character(veteran$celltype)
write.csv(veteran, file.path(out, "veteran.csv"), row.names = FALSE, na = "NA")

ovarian <- survival::ovarian
write.csv(ovarian, file.path(out, "ovarian.csv"), row.names = FALSE, na = "NA")
message("exported lung, veteran, ovarian to ", out)
