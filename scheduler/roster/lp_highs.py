"""Solve one LP with HiGHS in a child process (``python -m scheduler.roster.lp_highs``).

OR-Tools bundles its own build of HiGHS under the same shared-library name as highspy's, so the
two cannot be loaded into one process (whichever loads second fails on missing symbols). The roster
engine imports OR-Tools, so :mod:`scheduler.roster.bounds` hands its LP to this module in a fresh
interpreter that imports only numpy and highspy; the search goes on in the parent meanwhile.

Input: the path of an ``.npz`` archive (first argument) with the columns (``cost, lower,
upper``), rows (``row_lower, row_upper``), the column-wise matrix (``start, index, value``),
``offset`` and ``time_limit``. Output on stdout: one JSON object with ``status`` (HiGHS model
status), ``objective`` (null unless optimal) and ``seconds``.
"""

from __future__ import annotations

import json
import sys

import highspy
import numpy as np


def solve_arrays(arrays: dict[str, np.ndarray]) -> dict[str, object]:
    """Solve the LP described by ``arrays`` (keys as in the module docstring)."""
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
    # many degenerate vertices) it is several times faster than dual simplex, and only the
    # optimal value is needed.
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    optimal = status == highspy.HighsModelStatus.kOptimal
    return {
        "status": h.modelStatusToString(status),
        "objective": float(h.getInfo().objective_function_value) if optimal else None,
        "seconds": h.getRunTime(),
    }


def main() -> None:
    """Read the archive named on the command line, write the JSON answer to stdout."""
    with np.load(sys.argv[1]) as archive:
        arrays = {k: archive[k] for k in archive.files}
    json.dump(solve_arrays(arrays), sys.stdout)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
