# Reference outputs for dualtrack.prediction.methods, from the R implementations.
#
#     cd dualtrack/prediction/tests/reference && Rscript make_reference.R
#
# Needs R with EpiEstim and surveillance (Debian: r-base-core r-cran-epiestim r-cran-surveillance;
# written against EpiEstim 2.2-4 and surveillance 1.20.3). Reads the inputs in inputs/ (copies of
# the shared reference data) and the upstream EpiEstim test snapshots in epiestim_upstream/, and
# writes the CSV files beside this script. The tests never run R: they read these files.
#
# Every number is written with 17 significant digits ("%.17g"), enough to give back the double R
# computed exactly; NA is written as an empty field.

suppressPackageStartupMessages({
  library(EpiEstim)
  library(surveillance)
})

out <- function(df, name) {
  cols <- lapply(df, function(col) {
    if (is.numeric(col)) ifelse(is.na(col), "", sprintf("%.17g", col))
    else if (is.logical(col)) ifelse(is.na(col), "", ifelse(col, "TRUE", "FALSE"))
    else as.character(col)
  })
  cols <- as.data.frame(cols, stringsAsFactors = FALSE, check.names = FALSE)
  write.csv(cols, name, row.names = FALSE, quote = FALSE, na = "")
  cat("wrote", name, "\n")
}

versions <- data.frame(
  package = c("R", "EpiEstim", "surveillance"),
  version = c(paste(R.version$major, R.version$minor, sep = "."),
              as.character(packageVersion("EpiEstim")),
              as.character(packageVersion("surveillance")))
)
write.csv(versions, "versions.csv", row.names = FALSE, quote = FALSE)

# The committed inputs are the packages' own data sets: stop if they ever drift apart.
data(Flu2009)
data(SARS2003)
data(salmNewport)
flu <- read.csv("inputs/flu2009_incidence.csv")
flu_si <- read.csv("inputs/flu2009_si_distr.csv")
sars <- read.csv("inputs/sars2003_incidence.csv")
sars_si <- read.csv("inputs/sars2003_si_distr.csv")
newport <- read.csv("inputs/salmnewport_de_weekly.csv")
newport_de <- aggregate(salmNewport, by = "unit")
stopifnot(isTRUE(all.equal(flu$I, Flu2009$incidence$I, tolerance = 0)))
stopifnot(isTRUE(all.equal(flu_si$w, Flu2009$si_distr, tolerance = 0)))
stopifnot(isTRUE(all.equal(sars$I, SARS2003$incidence, tolerance = 0)))
stopifnot(isTRUE(all.equal(sars_si$w, SARS2003$si_distr, tolerance = 0)))
stopifnot(isTRUE(all.equal(newport$count, as.numeric(observed(newport_de)), tolerance = 0)))

# --- Serial interval: Cori et al. 2013, Web Appendix 11 (EpiEstim::discr_si) -------------------
k <- 0:60
out(data.frame(
  k = k,
  si_4.7_2.9 = discr_si(k, 4.7, 2.9),   # COVID-19, Nishiura et al. 2020 (the platform default)
  si_2.6_1.5 = discr_si(k, 2.6, 1.5),   # influenza, Ferguson et al. 2005 (EpiEstim's Flu2009 example)
  si_8.4_3.8 = discr_si(k, 8.4, 3.8),   # SARS, Lipsitch et al. 2003
  si_2_1 = discr_si(k, 2, 1)            # a = b = 1: the hand-computed case in the tests
), "discr_si.csv")

# --- Rt: EpiEstim::estimate_R, default weekly sliding windows -----------------------------------
rt_out <- function(res, name) {
  r <- res$R
  out(data.frame(
    t_start = r$t_start, t_end = r$t_end,
    mean = r[["Mean(R)"]], sd = r[["Std(R)"]],
    q0.025 = r[["Quantile.0.025(R)"]], q0.05 = r[["Quantile.0.05(R)"]],
    q0.25 = r[["Quantile.0.25(R)"]], median = r[["Median(R)"]],
    q0.75 = r[["Quantile.0.75(R)"]], q0.95 = r[["Quantile.0.95(R)"]],
    q0.975 = r[["Quantile.0.975(R)"]]
  ), name)
}
quiet <- function(expr) suppressWarnings(suppressMessages(expr))

rt_out(quiet(estimate_R(Flu2009$incidence, method = "parametric_si",
                        config = make_config(list(mean_si = 2.6, std_si = 1.5)))),
       "flu2009_parametric.csv")
rt_out(quiet(estimate_R(Flu2009$incidence, method = "non_parametric_si",
                        config = make_config(list(si_distr = Flu2009$si_distr)))),
       "flu2009_non_parametric.csv")
rt_out(quiet(estimate_R(SARS2003$incidence, method = "non_parametric_si",
                        config = make_config(list(si_distr = SARS2003$si_distr)))),
       "sars2003_non_parametric.csv")
rt_out(quiet(estimate_R(SARS2003$incidence, method = "parametric_si",
                        config = make_config(list(mean_si = 8.4, std_si = 3.8)))),
       "sars2003_parametric.csv")
# The platform's default serial interval on the SARS series, with a stricter posterior CV.
rt_out(quiet(estimate_R(SARS2003$incidence, method = "parametric_si",
                        config = make_config(list(mean_si = 4.7, std_si = 2.9,
                                                  cv_posterior = 0.1)))),
       "sars2003_parametric_4.7_2.9.csv")

# EpiEstim's own test snapshots (tests/expected_output/Example{1,2,3}.rds of mrc-ide/EpiEstim,
# commit c4e289c153ffc8993725018deb4c704026d1d93d): their R tables and, for example 2, the local
# and imported series they were computed from.
for (i in 1:3) {
  snap <- readRDS(sprintf("epiestim_upstream/Example%d.rds", i))
  rt_out(snap, sprintf("epiestim_snapshot_example%d.csv", i))
}
snap2 <- readRDS("epiestim_upstream/Example2.rds")
out(data.frame(local = snap2$I_local, imported = snap2$I_imported),
    "epiestim_snapshot_example2_input.csv")

# --- EARS: surveillance::earsC ------------------------------------------------------------------
ears_run <- function(counts, method, minSigma = 0, alpha = NULL, range = NULL) {
  s <- sts(observed = matrix(counts, ncol = 1), epoch = seq_along(counts))
  control <- list(method = method, baseline = 7, minSigma = minSigma)
  if (!is.null(alpha)) control$alpha <- alpha
  if (!is.null(range)) control$range <- range
  res <- earsC(s, control = control)
  n <- length(counts)
  ub <- rep(NA_real_, n)
  al <- rep(NA, n)
  idx <- res@control$range
  ub[idx] <- as.numeric(upperbound(res))
  al[idx] <- as.logical(alarms(res))
  list(upperbound = ub, alarm = al)
}
ears_table <- function(counts, minSigma = 0) {
  c1 <- ears_run(counts, "C1", minSigma)
  c2 <- ears_run(counts, "C2", minSigma)
  c3 <- ears_run(counts, "C3", minSigma)
  data.frame(t = seq_along(counts), count = counts,
             c1_upperbound = c1$upperbound, c1_alarm = c1$alarm,
             c2_upperbound = c2$upperbound, c2_alarm = c2$alarm,
             c3_upperbound = c3$upperbound, c3_alarm = c3$alarm)
}

# The weekly S. Newport series, default settings (alpha 0.001 for C1/C2, 0.025 for C3, baseline 7,
# minSigma 0, the default ranges).
out(ears_table(newport$count), "earsc_newport.csv")
# The surveillance package's own test: 2011, C1, alpha 0.05.
in2011 <- which(isoWeekYear(epoch(salmNewport))$ISOYear == 2011)
c1_2011 <- ears_run(newport$count, "C1", alpha = 0.05, range = in2011)
out(data.frame(t = in2011, upperbound = c1_2011$upperbound[in2011],
               alarm = c1_2011$alarm[in2011]), "earsc_newport_2011_c1_alpha0.05.csv")

# A sparse daily series with long runs of equal counts (zero baseline SD), quiet then an outbreak.
set.seed(14)
sparse <- c(rpois(60, 0.3), rep(2, 12), rpois(40, 1), rpois(20, seq(1, 12, length.out = 20)),
            rep(0, 10), rpois(20, 2))
out(data.frame(t = seq_along(sparse), count = sparse), "ears_sparse_input.csv")
out(ears_table(sparse, minSigma = 0), "earsc_sparse_minsigma0.csv")
out(ears_table(sparse, minSigma = 0.5), "earsc_sparse_minsigma0.5.csv")
