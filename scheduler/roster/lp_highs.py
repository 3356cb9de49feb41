"""Solve one LP with HiGHS in a child process (``python -m scheduler.roster.lp_highs``).

OR-Tools bundles its own build of HiGHS under the same shared-library name as highspy's, so the
two cannot be loaded into one process (whichever loads second fails on missing symbols). The roster
engine imports OR-Tools, so :mod:`scheduler.roster.bounds` hands its LP to this module in a fresh
interpreter that imports only numpy and highspy; the search goes on in the parent meanwhile.

The LP is ``min c x + offset`` subject to ``row_lower <= A x <= row_upper`` and
``lower <= x <= upper``. HiGHS runs its interior point method without crossover and stops at a
relative primal-dual gap of ``ipm_tolerance``. The primal objective of such a point is not a lower
bound (the point is only nearly feasible and nearly optimal), so the answer is the *Lagrangian
dual value* of HiGHS's row duals ``y`` instead, recomputed here in exact terms of the LP: for every
``x`` in the column box with ``r = A x`` in the row box,

    c x = (c - A^T y) x + y r >= sum_j min(z_j lower_j, z_j upper_j) + sum_i min(y_i row_lower_i,
    y_i row_upper_i),    z = c - A^T y,

so the right-hand side (plus ``offset``) is below the LP optimum for *any* ``y``: no tolerance of
HiGHS enters the bound, only how good ``y`` is (close to optimal at a small gap) and floating-point
rounding. ``y_i`` is first clipped to the sign its row allows (``y_i <= 0`` where ``row_lower_i``
is infinite, ``>= 0`` where ``row_upper_i`` is), which keeps the row terms finite; the column
terms are finite because :mod:`scheduler.roster.bounds` gives every column finite bounds implied
by the roster model. If HiGHS stops at its time limit with a dual solution, the same value is
still a valid (weaker) bound.

Input: the path of an ``.npz`` archive (first argument) with the columns (``cost, lower,
upper``), rows (``row_lower, row_upper``), the column-wise matrix (``start, index, value``),
``offset``, ``time_limit`` and ``ipm_tolerance``. Output on stdout: one JSON object with ``status``
(HiGHS model status), ``bound`` (the Lagrangian dual value above, null when HiGHS has no dual
solution or the value is not finite), ``objective`` (HiGHS's primal objective, for reference
only), ``seconds`` and ``iterations``.
"""

from __future__ import annotations

import json
import math
import sys

import numpy as np

DEFAULT_TOLERANCE = 1e-6
"""IPM relative gap at which HiGHS stops (its default is 1e-8)."""


def lagrangian_bound(arrays: dict[str, np.ndarray], row_dual: np.ndarray) -> float:
    """The Lagrangian dual value of ``row_dual`` (a lower bound on the LP optimum; see above).

    Parameters
    ----------
    arrays
        The LP (keys as in the module docstring).
    row_dual
        Any vector with one value per row.

    Returns
    -------
    float
        The bound, ``-inf`` when a column with an infinite bound has a reduced cost of the sign
        that makes the minimum unbounded.
    """
    row_lower, row_upper = arrays["row_lower"], arrays["row_upper"]
    y = np.asarray(row_dual, dtype=np.float64).copy()
    y[np.isinf(row_lower) & (y > 0)] = 0.0
    y[np.isinf(row_upper) & (y < 0)] = 0.0
    n_col = len(arrays["cost"])
    start = arrays["start"].astype(np.int64)
    counts = np.diff(start)
    cols = np.repeat(np.arange(n_col), counts)
    # z = c - A^T y, column by column.
    z = arrays["cost"] - np.bincount(
        cols, weights=arrays["value"] * y[arrays["index"]], minlength=n_col
    )
    total = float(arrays["offset"])
    for values, low, high in ((z, arrays["lower"], arrays["upper"]), (y, row_lower, row_upper)):
        positive, negative = values > 0, values < 0
        if np.isinf(low[positive]).any() or np.isinf(high[negative]).any():
            return -math.inf
        # math.fsum: hundreds of thousands of terms of mixed signs, summed without loss.
        total += math.fsum(values[positive] * low[positive])
        total += math.fsum(values[negative] * high[negative])
    return total


def solve_arrays(arrays: dict[str, np.ndarray]) -> dict[str, object]:
    """Solve the LP described by ``arrays`` (keys as in the module docstring)."""
    # Imported here, not at the top: :func:`lagrangian_bound` is also used (and tested) in
    # processes that have loaded OR-Tools, where highspy must never be imported.
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = len(arrays["cost"])
    lp.num_row_ = len(arrays["row_lower"])
    lp.col_cost_ = arrays["cost"]
    lp.col_lower_ = arrays["lower"]
    lp.col_upper_ = arrays["upper"]
    lp.row_lower_ = arrays["row_lower"]
    lp.row_upper_ = arrays["row_upper"]
    lp.offset_ = float(arrays["offset"])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = arrays["start"].astype(np.int32)
    lp.a_matrix_.index_ = arrays["index"].astype(np.int32)
    lp.a_matrix_.value_ = arrays["value"]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(arrays["time_limit"]))
    h.setOptionValue("threads", 1)
    # The interior point method without crossover: on these LPs (long chains of running sums,
    # many degenerate vertices) it is several times faster than dual simplex, and only a good
    # dual solution is needed (the bound is recomputed from it, see the module docstring).
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    tolerance = float(arrays["ipm_tolerance"]) if "ipm_tolerance" in arrays else DEFAULT_TOLERANCE
    h.setOptionValue("ipm_optimality_tolerance", tolerance)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    solution = h.getSolution()
    bound = None
    label = h.modelStatusToString(status)
    if solution.dual_valid:
        value = lagrangian_bound(arrays, np.asarray(solution.row_dual))
        bound = value if math.isfinite(value) else None
        if bound is None:
            label += ", but a column without finite bounds leaves the Lagrangian value infinite"
    info = h.getInfo()
    return {
        "status": label,
        "bound": bound,
        "objective": float(info.objective_function_value) if solution.value_valid else None,
        "seconds": h.getRunTime(),
        "iterations": int(info.ipm_iteration_count),
    }


def main() -> None:
    """Read the archive named on the command line, write the JSON answer to stdout."""
    with np.load(sys.argv[1]) as archive:
        arrays = {k: archive[k] for k in archive.files}
    json.dump(solve_arrays(arrays), sys.stdout)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
