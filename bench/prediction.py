"""Benchmark of the early-warning methods (issue 14) against R in the same run.

    .venv/bin/python bench/prediction.py [--areas 500] [--days 365] [--repeat 3]
        [--simulations 1000] [--no-r]

EARS C1–C3, Rt (EpiEstim's parametric-SI estimate, weekly windows) and the 14-day projection for
``--areas`` × ``--days`` of synthetic daily counts held in memory (the stored-counts part comes
with the app), timed in dualtrack.prediction.methods (best of ``--repeat``), and then the same
series through ``Rscript``: ``surveillance::earsC`` (C1, C2, C3), ``EpiEstim::estimate_R`` and a
base-R renewal projection written as ``projections::project`` does it (that package is not in
Debian), one area at a time as a health office would run them. R's results are compared with ours
on the way (the largest differences are printed) and the ratio of the times is the figure.

Without ``Rscript`` (or without its EpiEstim and surveillance packages) the R baseline is skipped,
said so plainly, and only dualtrack's times are printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _machine  # noqa: E402  (bench/run.py, not edited)

from dualtrack.prediction.methods.ears import ears, upper_bound  # noqa: E402
from dualtrack.prediction.methods.projection import project  # noqa: E402
from dualtrack.prediction.methods.rt import estimate_rt  # noqa: E402
from dualtrack.prediction.methods.serial_interval import discretise_serial_interval  # noqa: E402

SI_MEAN, SI_SD = 4.7, 2.9
HORIZON = 14

R_SCRIPT = r"""
suppressPackageStartupMessages({library(EpiEstim); library(surveillance)})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n_sim <- as.integer(args[2]); horizon <- as.integer(args[3])
y <- as.matrix(read.csv(file.path(dir, "counts.csv"), header = FALSE))
areas <- nrow(y); days <- ncol(y)
elapsed <- function() proc.time()[["elapsed"]]

t0 <- elapsed()
ub <- list()
for (m in c("C1", "C2", "C3")) {
  ub[[m]] <- matrix(NA_real_, areas, days)
  for (a in seq_len(areas)) {
    s <- sts(observed = matrix(y[a, ], ncol = 1), epoch = seq_len(days))
    res <- earsC(s, control = list(method = m))
    ub[[m]][a, res@control$range] <- as.numeric(upperbound(res))
  }
}
t_ears <- elapsed() - t0

t0 <- elapsed()
rt_mean <- matrix(NA_real_, areas, days); rt_lo <- rt_mean; rt_hi <- rt_mean; rt_sd <- rt_mean
for (a in seq_len(areas)) {
  r <- suppressWarnings(suppressMessages(estimate_R(y[a, ], method = "parametric_si",
         config = make_config(list(mean_si = MEAN_SI, std_si = STD_SI)))))$R
  rt_mean[a, r$t_end] <- r[["Mean(R)"]]; rt_sd[a, r$t_end] <- r[["Std(R)"]]
  rt_lo[a, r$t_end] <- r[["Quantile.0.025(R)"]]; rt_hi[a, r$t_end] <- r[["Quantile.0.975(R)"]]
}
t_rt <- elapsed() - t0

# The renewal projection as projections::project (Poisson, R drawn for every simulation and day
# from the last window's Gamma posterior), over the discretised serial interval.
t0 <- elapsed()
w <- discr_si(seq(0, days + horizon), MEAN_SI, STD_SI)
proj_median <- matrix(NA_real_, areas, horizon)
for (a in seq_len(areas)) {
  m <- rt_mean[a, days]; s <- rt_sd[a, days]
  shape <- (m / s)^2; scale <- s^2 / m
  sims <- matrix(y[a, ], nrow = days, ncol = n_sim)
  sims <- rbind(sims, matrix(0, nrow = horizon, ncol = n_sim))
  for (h in seq_len(horizon)) {
    t <- days + h
    lambda <- as.vector(rev(w[2:t]) %*% sims[1:(t - 1), , drop = FALSE])
    sims[t, ] <- rpois(n_sim, rgamma(n_sim, shape = shape, scale = scale) * lambda)
  }
  proj_median[a, ] <- apply(sims[(days + 1):(days + horizon), , drop = FALSE], 1, median)
}
t_proj <- elapsed() - t0

write.table(rbind(c(t_ears, t_rt, t_proj)), file.path(dir, "times.csv"), sep = ",",
            row.names = FALSE, col.names = FALSE)
for (name in c("C1", "C2", "C3")) {
  write.table(ub[[name]], file.path(dir, paste0(name, ".csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, na = "NaN")
}
for (name in c("rt_mean", "rt_lo", "rt_hi", "proj_median")) {
  write.table(get(name), file.path(dir, paste0(name, ".csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, na = "NaN")
}
"""


def synthetic_counts(areas: int, days: int, seed: int = 14) -> np.ndarray:
    """Daily counts: a third sparse (village fevers), a third drifting, a third outbreaks."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    rates = np.empty((areas, days))
    for a in range(areas):
        kind = a % 3
        if kind == 0:
            rates[a] = rng.uniform(0.05, 1.5)
        elif kind == 1:
            drift = np.cumsum(rng.normal(0, 0.04, days))
            rates[a] = rng.uniform(3, 40) * np.exp(drift - drift.mean())
        else:
            peak, width = rng.uniform(60, days - 30), rng.uniform(10, 40)
            rates[a] = 0.5 + rng.uniform(20, 200) * np.exp(-0.5 * ((t - peak) / width) ** 2)
    return rng.poisson(rates).astype(np.float64)


CPU: dict[str, float] = {}  # the process's CPU seconds of the best run, by function name


def _best(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, CPU[fn.__name__] = elapsed, time.process_time() - cpu
    return best, result


def _r_baseline(counts: np.ndarray, simulations: int) -> dict[str, Any] | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("R baseline SKIPPED: Rscript is not installed (Debian: r-base-core r-cran-epiestim")
        print("r-cran-surveillance); only dualtrack's times are shown, no ratio.")
        return None
    with tempfile.TemporaryDirectory(prefix="bench_prediction_") as tmp:
        folder = Path(tmp)
        np.savetxt(folder / "counts.csv", counts, fmt="%d", delimiter=",")
        script = R_SCRIPT.replace("MEAN_SI", repr(SI_MEAN)).replace("STD_SI", repr(SI_SD))
        (folder / "bench.R").write_text(script)
        print(f"Running R on the same {counts.shape[0]} series (one area at a time)…", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [rscript, str(folder / "bench.R"), str(folder), str(simulations), str(HORIZON)],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            print("R baseline SKIPPED: Rscript failed (are EpiEstim and surveillance installed?):")
            print("  " + done.stderr.strip().replace("\n", "\n  ")[-800:])
            return None

        def read(name: str) -> np.ndarray:
            return np.loadtxt(folder / f"{name}.csv", delimiter=",", ndmin=2)

        times = read("times")[0]
        return {
            "ears": times[0],
            "rt": times[1],
            "projection": times[2],
            "wall": wall,
            **{name: read(name) for name in ("C1", "C2", "C3", "rt_mean", "rt_lo", "rt_hi")},
            "proj_median": read("proj_median"),
        }


def _max_diff(ours: np.ndarray, theirs: np.ndarray, *, relative: bool) -> str:
    both = np.isfinite(ours) & np.isfinite(theirs)
    same_gaps = np.array_equal(np.isnan(ours), np.isnan(theirs))
    diff = np.abs(ours[both] - theirs[both])
    if relative:
        diff = diff / np.abs(theirs[both])
    kind = "rel" if relative else "abs"
    gaps = "same NaN days" if same_gaps else "NaN days DIFFER"
    return f"max {kind} diff {float(diff.max(initial=0)):.2e} over {int(both.sum())} values, {gaps}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--areas", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--simulations", type=int, default=1000)
    parser.add_argument("--no-r", action="store_true", help="skip the R baseline")
    parser.add_argument(
        "--database", help="the database for the stored part (default: a temporary SQLite file)"
    )
    args = parser.parse_args()

    print(f"machine: {_machine()}")
    counts = synthetic_counts(args.areas, args.days)
    print(f"series: {args.areas} areas × {args.days} days, {int(counts.sum()):,} counts in all")
    si = discretise_serial_interval(SI_MEAN, SI_SD, args.days + HORIZON)

    t_ears, result = _best(args.repeat, lambda: ears(counts))
    t_rt, rt = _best(args.repeat, lambda: estimate_rt(counts, si_mean=SI_MEAN, si_sd=SI_SD))

    def run_projection() -> Any:
        return project(
            counts,
            si,
            r_mean=rt.mean[:, -1],
            r_sd=rt.sd[:, -1],
            horizon=HORIZON,
            simulations=args.simulations,
            seed=1,
        )

    t_proj, projection = _best(args.repeat, run_projection)
    ours = {"ears": t_ears, "rt": t_rt, "projection": t_proj}

    def one_more_day() -> Any:
        """What a daily update computes for every area: the newest day's C1-C3 (its last 12 days
        suffice), the newest Rt window, and the projection from it."""
        days = counts.shape[-1]
        newest = ears(counts[:, -12:])
        window = estimate_rt(counts, si_mean=SI_MEAN, si_sd=SI_SD, from_day=days - 1)
        assert np.array_equal(newest.c3[:, -1], result.c3[:, -1], equal_nan=True)
        assert np.array_equal(window.mean[:, -1], rt.mean[:, -1], equal_nan=True)
        return project(
            counts,
            si,
            r_mean=window.mean[:, -1],
            r_sd=window.sd[:, -1],
            horizon=HORIZON,
            simulations=args.simulations,
            seed=1,
        )

    t_day, _ = _best(args.repeat, one_more_day)
    signals = int(result.c1_signal.sum() + result.c2_signal.sum() + result.c3_signal.sum())
    print(f"dualtrack: {signals:,} EARS signals, {int(np.isfinite(rt.mean).sum()):,} Rt windows")

    theirs = None if args.no_r else _r_baseline(counts, args.simulations)
    if args.no_r:
        print("R baseline SKIPPED (--no-r): only dualtrack's times are shown, no ratio.")
    if theirs is not None:
        z = 3.090232306167813  # earsC's default for C1/C2: qnorm(1 - 0.001)
        print("agreement with R on these series:")
        for name, base in (("C1", result.c1_baseline), ("C2", result.c2_baseline)):
            line = _max_diff(upper_bound(base, z), theirs[name], relative=False)
            print(f"  earsC {name} upper bound: {line}")
        for name, mine in (("rt_mean", rt.mean), ("rt_lo", rt.lower), ("rt_hi", rt.upper)):
            print(f"  estimate_R {name}: {_max_diff(mine, theirs[name], relative=True)}")
        gap = np.abs(projection.median - theirs["proj_median"]) / np.maximum(
            theirs["proj_median"], 1
        )
        print(f"  projection median (random, not equal): median rel gap {np.median(gap):.3f}")

    print()
    print(f"{'part':<40}{'dualtrack s':>12}{'R s':>10}{'ratio':>9}")
    labels = {
        "ears": "EARS C1+C2+C3 (earsC × 3)",
        "rt": "Rt, weekly windows (estimate_R)",
        "projection": f"projection {HORIZON} d × {args.simulations} sims",
    }
    for part, label in labels.items():
        if theirs is None:
            print(f"{label:<40}{ours[part]:>12.3f}{'skipped':>10}{'':>9}")
        else:
            ratio = theirs[part] / ours[part]
            print(f"{label:<40}{ours[part]:>12.3f}{theirs[part]:>10.2f}{ratio:>8.0f}×")
    total = sum(ours.values())
    _print_daily(t_day, t_proj)
    _print_stored(counts, args.database, theirs)
    if theirs is None:
        print(f"{'all three':<40}{total:>12.3f}{'skipped':>10}")
        return
    r_total = theirs["ears"] + theirs["rt"] + theirs["projection"]
    ratio = r_total / total
    verdict = "met" if ratio >= 10 else "NOT met"
    print(
        f"{'all three':<40}{total:>12.3f}{r_total:>10.2f}{ratio:>8.0f}×  (target ≥ 10×: {verdict})"
    )
    print(f"(R's wall time including start-up and file I/O: {theirs['wall']:.1f} s)")


def _print_daily(t_day: float, t_proj: float) -> None:
    verdict = "met" if t_day < 1 else "NOT met"
    print(
        "one more day, all areas (newest EARS, newest Rt window, projection): "
        f"{t_day:.3f} s ({CPU['one_more_day']:.3f} s of CPU)"
    )
    print(f"  of which the projection about {t_proj:.3f} s; target < 1 s: {verdict}")


def _print_stored(counts: np.ndarray, database: str | None, theirs: dict[str, Any] | None) -> None:
    """From stored daily counts to stored results, through the app (bench/prediction_stored.py)."""
    from prediction_stored import run

    print("stored counts → stored results, through the app's recomputation…", flush=True)
    figures = run(counts, database)
    print(
        f"  full year, all areas: {figures['full']:.2f} s ({figures['ears_rows']:,} EARS rows, "
        f"{figures['rt_rows']:,} Rt rows, {figures['signals']:,} signals stored)"
    )
    if theirs is not None:
        r_total = theirs["ears"] + theirs["rt"] + theirs["projection"]
        ratio = r_total / figures["full"]
        verdict = "met" if ratio >= 10 else "NOT met"
        print(f"  against R's computation alone ({r_total:.1f} s): {ratio:.0f}× (≥ 10×: {verdict})")
    verdict = "met" if figures["day"] < 1 else "NOT met"
    print(f"  one day's update, all areas, stored: {figures['day']:.3f} s (< 1 s: {verdict})")


if __name__ == "__main__":
    main()
