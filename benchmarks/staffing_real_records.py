"""Erlang C and Erlang A against what really happened at the "Anonymous Bank" call centre (1999).

From the per-call records (Technion SEE lab, ``shared/data/anonymous-bank-1999/raw_monthly``)
this rebuilds, per 30-minute interval (by the call's arrival to the agent queue): calls that
asked for an agent (offered), mean handle time of the served ones, the share answered within
20 s (abandoners count as misses), the share abandoned and the mean wait of all callers (ASA).

**Staff in the interval.** The records say when each agent was serving, not when they were
logged in, so staff has to be rebuilt. Three measures are compared:

``present`` (the main one)
    An agent's services on one line are grouped into work blocks: a gap of less than
    ``--bridge-minutes`` (30) between the end of one service and the start of the next is
    bridged (the agent is taken to be logged in and idle, or on a short break), a longer gap
    ends the block. The agent counts as present from the first service start to the last
    service exit of each block, and the staff of an interval is the present agent-seconds in
    it over 1,800 s (a fractional mean head count). Served calls without a named agent
    (``NO_SERVER``, about 2% of services) count as present only for their own service.
``busy``
    Busy agent-seconds in the interval (overlap of every ``[ser_start, ser_exit)`` with it)
    over 1,800 s: the load actually carried. ``busy / present`` is the observed occupancy.
``distinct`` (the first round's measure, for reference)
    Distinct agents with any service overlapping the interval; one call is enough to count
    fully, so it overstates staff.

The Erlang models take integer agents; at a fractional head count ``s`` the metric is
interpolated linearly between ``floor(s)`` and ``floor(s) + 1`` agents, as
:mod:`scheduler.staffing.evaluate` does for a schedule.

**Patience** is exponential with the censored maximum-likelihood mean (Brown et al. 2005):
every queued caller's wait counts as exposure (abandoners: their patience; served callers: a
lower bound on it), abandonments are the events, so ``mean patience = total wait of queued
callers / abandonments``. One value for the whole data set.

Compared intervals: at least ``--min-offered`` calls, an observed AHT and at least half an
agent present. Errors are weighted by calls offered; bias is predicted minus actual; load bands
are by offered load per agent present, ``rho = offered * AHT / (1800 * present)``.

Run (about half a minute)::

    .venv/bin/python benchmarks/staffing_real_records.py [--bridge-minutes 30] [--out F.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.staffing.erlang import QueueMetrics, queue_metrics

DATA = Path(__file__).resolve().parents[2] / "shared/data/anonymous-bank-1999/raw_monthly"
INTERVAL_S = 1800
TARGET_S = 20.0
DAY_S = 86400
BANDS = (0.0, 0.8, 0.9, 0.95, 1.0, 1.1, np.inf)


def _seconds(clock: pd.Series) -> np.ndarray:
    parts = clock.astype(str).str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def load_calls(data_dir: Path) -> pd.DataFrame:
    """Calls that asked for an agent: arrival to the agent queue, wait, outcome, service span.

    Times are absolute seconds from 1999-01-01 00:00 (``arrival_s``, ``ser_start``,
    ``ser_exit``), so spans that cross midnight need no special case downstream.
    """
    frames = []
    for path in sorted(data_dir.glob("*.txt")):
        raw = pd.read_csv(path, sep="\t", dtype=str)
        raw.columns = [c.strip() for c in raw.columns]
        frames.append(raw)
    calls = pd.concat(frames, ignore_index=True)
    outcome = calls["outcome"].str.strip()
    calls = calls[outcome.isin(["AGENT", "HANG"])].copy()
    day = (
        pd.to_datetime(calls["date"].str.strip(), format="%y%m%d") - pd.Timestamp("1999-01-01")
    ).dt.days.to_numpy() * DAY_S
    q_start = _seconds(calls["q_start"])
    ser_start = _seconds(calls["ser_start"])
    ser_exit = _seconds(calls["ser_exit"])
    served = calls["outcome"].str.strip().eq("AGENT").to_numpy()
    queued = q_start > 0
    # Served calls that skipped the queue reach the agent at service start; hang-ups that never
    # queued left in the voice-response unit and never asked for an agent.
    keep = queued | served
    arrival = np.where(queued, q_start, ser_start)
    # Clock times before the VRU entry of the same record are on the next day (after midnight).
    vru = _seconds(calls["vru_entry"])
    arrival = arrival + np.where(arrival < vru - 3600, DAY_S, 0)
    ser_start = ser_start + np.where(ser_start < vru - 3600, DAY_S, 0)
    ser_exit = ser_exit + (ser_start // DAY_S) * DAY_S
    ser_exit = ser_exit + np.where(ser_exit < ser_start, DAY_S, 0)
    out = pd.DataFrame(
        {
            "arrival_s": day + arrival,
            "wait_s": calls["q_time"].astype(float).to_numpy() * queued,
            "served": served,
            "ser_start": day + ser_start,
            "ser_exit": day + ser_exit,
            "ser_time": calls["ser_time"].astype(float).to_numpy(),
            "server": calls["server"].str.strip().to_numpy(),
        }
    )
    return out[keep].reset_index(drop=True)


def spread_over_slots(start: np.ndarray, end: np.ndarray) -> pd.Series:
    """Seconds of the spans ``[start, end)`` falling in each 30-minute slot (absolute index)."""
    ok = end > start
    start, end = start[ok], end[ok]
    first = start // INTERVAL_S
    last = (end - 1) // INTERVAL_S
    span = last - first + 1
    rows = np.repeat(np.arange(start.size), span)
    slot = first[rows] + (np.arange(rows.size) - np.repeat(np.cumsum(span) - span, span))
    lo = np.maximum(start[rows], slot * INTERVAL_S)
    hi = np.minimum(end[rows], (slot + 1) * INTERVAL_S)
    return pd.Series(hi - lo, index=slot).groupby(level=0).sum()


def work_blocks(calls: pd.DataFrame, bridge_s: float) -> pd.DataFrame:
    """Per named agent, contiguous work blocks: services with gaps below ``bridge_s`` joined."""
    svc = calls[calls["served"] & (calls["server"] != "NO_SERVER")]
    svc = svc.sort_values(["server", "ser_start"])
    start = svc["ser_start"].to_numpy()
    end = svc["ser_exit"].to_numpy()
    server = svc["server"].to_numpy()
    # Latest exit so far within the agent (services can overlap by a second or two in the data).
    reach = pd.Series(end).groupby(server).cummax().to_numpy()
    new_agent = np.concatenate(([True], server[1:] != server[:-1]))
    gap = start - np.concatenate(([0], reach[:-1]))
    new_block = new_agent | (gap >= bridge_s)
    block = np.cumsum(new_block)
    blocks = pd.DataFrame({"block": block, "start": start, "end": end, "server": server})
    return blocks.groupby("block").agg(
        server=("server", "first"), start=("start", "min"), end=("end", "max")
    )


def interval_table(calls: pd.DataFrame, bridge_s: float) -> pd.DataFrame:
    """Offered, AHT, outcomes and the three staff measures per 30-minute slot."""
    c = calls.assign(slot=calls["arrival_s"] // INTERVAL_S)
    c["in_target"] = c["served"] & (c["wait_s"] <= TARGET_S)
    c["abandoned"] = ~c["served"]
    c["handle"] = np.where(c["served"], c["ser_time"], np.nan)
    g = c.groupby("slot")
    table = pd.DataFrame(
        {
            "offered": g.size(),
            "aht_s": g["handle"].mean(),
            "in_target": g["in_target"].sum(),
            "abandoned": g["abandoned"].sum(),
            "asa_actual": g["wait_s"].mean(),
            "pwait_actual": g["wait_s"].apply(lambda x: float((x > 0).mean())),
        }
    )
    svc = calls[calls["served"]]
    busy = spread_over_slots(svc["ser_start"].to_numpy(), svc["ser_exit"].to_numpy())
    blocks = work_blocks(calls, bridge_s)
    unnamed = svc[svc["server"] == "NO_SERVER"]
    present = spread_over_slots(
        np.concatenate((blocks["start"].to_numpy(), unnamed["ser_start"].to_numpy())),
        np.concatenate((blocks["end"].to_numpy(), unnamed["ser_exit"].to_numpy())),
    )
    table["busy"] = (busy / INTERVAL_S).reindex(table.index).fillna(0.0)
    table["present"] = (present / INTERVAL_S).reindex(table.index).fillna(0.0)
    table["distinct"] = distinct_agents(calls).reindex(table.index).fillna(0.0)
    table["sl_actual"] = table["in_target"] / table["offered"]
    table["abandon_actual"] = table["abandoned"] / table["offered"]
    table["occ_actual"] = table["busy"] / table["present"].where(table["present"] > 0)
    return table


def distinct_agents(calls: pd.DataFrame) -> pd.Series:
    """Distinct named servers with a service overlapping each slot (the first round's measure)."""
    svc = calls[calls["served"] & (calls["ser_time"] > 0)]
    first = (svc["ser_start"] // INTERVAL_S).to_numpy()
    last = ((svc["ser_exit"] - 1) // INTERVAL_S).to_numpy()
    span = np.maximum(last - first, 0) + 1
    rows = np.repeat(np.arange(len(svc)), span)
    slot = first[rows] + (np.arange(rows.size) - np.repeat(np.cumsum(span) - span, span))
    frame = pd.DataFrame({"slot": slot, "server": svc["server"].to_numpy()[rows]})
    return frame.groupby("slot")["server"].nunique().astype(float)


def patience_mle(calls: pd.DataFrame) -> float:
    """Mean exponential patience: total queue exposure over abandonments (censored MLE)."""
    queued = calls[calls["wait_s"] > 0]
    abandons = int((~queued["served"]).sum())
    return float(queued["wait_s"].sum() / max(abandons, 1))


def metrics_at(
    staff: np.ndarray, lam: np.ndarray, aht: np.ndarray, patience: float | None
) -> dict[str, np.ndarray]:
    """Model metrics at fractional staff: linear between the neighbouring integer counts."""
    base = np.floor(staff)
    w = staff - base
    lo: QueueMetrics = queue_metrics(base, lam, aht, TARGET_S, patience)
    hi: QueueMetrics = queue_metrics(base + 1.0, lam, aht, TARGET_S, patience)
    out = {}
    for name in ("service_level", "asa_s", "p_abandon", "occupancy", "p_wait"):
        a, b = getattr(lo, name), getattr(hi, name)
        with np.errstate(invalid="ignore"):
            mixed = (1.0 - w) * a + w * b
        # An infinite ASA at floor(s) stays infinite only if s is an integer.
        out[name] = np.where(w > 0, np.where(np.isinf(a), b, mixed), a)
    return out


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _err(pred: np.ndarray, actual: np.ndarray, w: np.ndarray) -> tuple[float, float, int]:
    """Offered-weighted MAE and bias over finite predictions, and how many were infinite."""
    d = pred - actual
    ok = np.isfinite(d)
    mae = float(np.sum(np.abs(d[ok]) * w[ok]) / np.sum(w[ok]))
    bias = float(np.sum(d[ok] * w[ok]) / np.sum(w[ok]))
    return mae, bias, int((~ok).sum())


def _wavg(x: np.ndarray, w: np.ndarray) -> float:
    ok = np.isfinite(x)
    return float(np.sum(x[ok] * w[ok]) / np.sum(w[ok]))


def compare(
    busy: pd.DataFrame, staff_col: str, patience: float
) -> dict[str, dict[str, np.ndarray]]:
    """Erlang C and Erlang A predictions for every compared interval with one staff measure."""
    lam = busy["offered"].to_numpy(dtype=float) / INTERVAL_S
    aht = busy["aht_s"].to_numpy(dtype=float)
    staff = busy[staff_col].to_numpy(dtype=float)
    return {
        "Erlang C": metrics_at(staff, lam, aht, None),
        "Erlang A": metrics_at(staff, lam, aht, patience),
    }


def select(table: pd.DataFrame, min_offered: int) -> pd.DataFrame:
    """Intervals compared: enough calls, an observed AHT, at least half an agent present."""
    keep = (table["offered"] >= min_offered) & (table["present"] >= 0.5) & table["aht_s"].notna()
    return table[keep].copy()


def sensitivity_row(
    calls: pd.DataFrame, bridge_min: float, min_offered: int, patience: float
) -> str:
    """Pooled figures for one bridge length (how much the staff definition matters)."""
    sel = select(interval_table(calls, bridge_min * 60.0), min_offered)
    w = sel["offered"].to_numpy(dtype=float)
    preds = compare(sel, "present", patience)
    c, a = preds["Erlang C"], preds["Erlang A"]
    sl = sel["sl_actual"].to_numpy(dtype=float)
    asa = sel["asa_actual"].to_numpy(dtype=float)
    ab = sel["abandon_actual"].to_numpy(dtype=float)
    c_mae, c_bias, _ = _err(c["service_level"], sl, w)
    a_mae, a_bias, _ = _err(a["service_level"], sl, w)
    ab_mae, ab_bias, _ = _err(a["p_abandon"], ab, w)
    asa_c_mae, _, inf_c = _err(c["asa_s"], asa, w)
    asa_a_mae, _, _ = _err(a["asa_s"], asa, w)
    return (
        f"| {bridge_min:g} | {len(sel)} | {sel['present'].mean():.2f} | "
        f"{_wavg(sel['occ_actual'].to_numpy(dtype=float), w):.3f} | "
        f"{_wavg(sel['pwait_actual'].to_numpy(dtype=float), w):.3f} | "
        f"{_wavg(c['p_wait'], w):.3f} | {_wavg(a['p_wait'], w):.3f} | "
        f"{c_mae:.3f} ({c_bias:+.3f}) | {a_mae:.3f} ({a_bias:+.3f}) | "
        f"{ab_mae:.3f} ({ab_bias:+.3f}) | {asa_c_mae:.0f} ({inf_c} inf) | {asa_a_mae:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--min-offered", type=int, default=10)
    parser.add_argument("--bridge-minutes", type=float, default=30.0)
    parser.add_argument(
        "--out", type=Path, default=Path("benchmarks/results/staffing_real_records.md")
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    calls = load_calls(args.data)
    patience = patience_mle(calls)
    table = interval_table(calls, args.bridge_minutes * 60.0)
    sel = select(table, args.min_offered)
    t_build = time.perf_counter() - t0
    w = sel["offered"].to_numpy(dtype=float)
    sl_act = sel["sl_actual"].to_numpy(dtype=float)
    ab_act = sel["abandon_actual"].to_numpy(dtype=float)
    asa_act = sel["asa_actual"].to_numpy(dtype=float)
    occ_act = sel["occ_actual"].to_numpy(dtype=float)
    rho = (sel["offered"] * sel["aht_s"] / INTERVAL_S / sel["present"]).to_numpy(dtype=float)
    t1 = time.perf_counter()
    preds = {col: compare(sel, col, patience) for col in ("present", "distinct")}
    t_models = time.perf_counter() - t1

    def row(label: str, p: dict[str, np.ndarray], mask: np.ndarray) -> str:
        sl_mae, sl_bias, _ = _err(p["service_level"][mask], sl_act[mask], w[mask])
        asa_mae, asa_bias, inf = _err(p["asa_s"][mask], asa_act[mask], w[mask])
        if np.isnan(p["p_abandon"]).all():
            ab = "n/a | n/a"
        else:
            ab_mae, ab_bias, _ = _err(p["p_abandon"][mask], ab_act[mask], w[mask])
            ab = f"{ab_mae:.3f} | {ab_bias:+.3f}"
        return (
            f"| {label} | {_wavg(p['service_level'][mask], w[mask]):.3f} | {sl_mae:.3f} | "
            f"{sl_bias:+.3f} | {ab} | {asa_mae:.1f} | {asa_bias:+.1f} | {inf} |"
        )

    everything = np.ones(len(sel), dtype=bool)
    header = [
        "| model | predicted SL | SL MAE | SL bias | abandon MAE | abandon bias | ASA MAE (s) | "
        "ASA bias (s) | intervals with infinite ASA |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pooled = []
    for col, label in (("present", "agents present"), ("distinct", "distinct agents serving")):
        for model, p in preds[col].items():
            pooled.append(row(f"{model}, {label}", p, everything))
    band_rows = []
    band = np.digitize(rho, BANDS[1:-1])
    for b in range(len(BANDS) - 1):
        mask = band == b
        if not mask.any():
            continue
        lo, hi = BANDS[b], BANDS[b + 1]
        name = f"{lo:.2f}-{hi:.2f}" if np.isfinite(hi) else f">= {lo:.2f}"
        sums = []
        for model in ("Erlang C", "Erlang A"):
            p = preds["present"][model]
            sl_mae, _, _ = _err(p["service_level"][mask], sl_act[mask], w[mask])
            sums.append(f"{_wavg(p['service_level'][mask], w[mask]):.3f} | {sl_mae:.3f}")
        pa = preds["present"]["Erlang A"]
        ab_mae, _, _ = _err(pa["p_abandon"][mask], ab_act[mask], w[mask])
        pc = preds["present"]["Erlang C"]
        asa_c_mae, _, inf_c = _err(pc["asa_s"][mask], asa_act[mask], w[mask])
        asa_a_mae, _, _ = _err(pa["asa_s"][mask], asa_act[mask], w[mask])
        band_rows.append(
            f"| {name} | {int(mask.sum())} | {_wavg(occ_act[mask], w[mask]):.3f} | "
            f"{_wavg(sl_act[mask], w[mask]):.3f} | {sums[0]} | {sums[1]} | "
            f"{_wavg(ab_act[mask], w[mask]):.3f} | "
            f"{_wavg(pa['p_abandon'][mask], w[mask]):.3f} | {ab_mae:.3f} | "
            f"{_wavg(asa_act[mask], w[mask]):.0f} | {asa_c_mae:.0f} ({inf_c} inf) | "
            f"{asa_a_mae:.0f} |"
        )
    occ_pred_a = preds["present"]["Erlang A"]["occupancy"]
    occ_mae, occ_bias, _ = _err(occ_pred_a, occ_act, w)
    bridges = sorted({5.0, 10.0, 30.0, 60.0, float(args.bridge_minutes)})
    sensitivity = [sensitivity_row(calls, b, args.min_offered, patience) for b in bridges]
    ratio = sel["distinct"].sum() / sel["present"].sum()
    lines = [
        "# Staffing models vs the Anonymous Bank records (1999)",
        "",
        f"- date: {dt.date.today().isoformat()}; commit: {_git_commit()}; machine: "
        f"{platform.machine()} {platform.system()} {platform.release()}, Python "
        f"{platform.python_version()}",
        "- command: `.venv/bin/python benchmarks/staffing_real_records.py "
        f"--bridge-minutes {args.bridge_minutes:g} --min-offered {args.min_offered}`",
        f"- data: {len(calls):,} calls that asked for an agent (9 months), "
        f"{len(table):,} 30-min intervals with calls; {len(sel):,} intervals with >= "
        f"{args.min_offered} calls, an observed AHT and >= 0.5 agent present are compared",
        f"- estimated mean patience (exponential, censored MLE): **{patience:.0f} s**",
        f"- observed (offered-weighted): {_wavg(sl_act, w):.3f} answered within 20 s, "
        f"{_wavg(ab_act, w):.3f} abandoned, ASA {_wavg(asa_act, w):.0f} s, occupancy "
        f"(busy / present) {_wavg(occ_act, w):.3f}; {int((rho >= 1).sum())} intervals have "
        "offered load >= agents present",
        f"- staff: mean {sel['present'].mean():.2f} agents present per compared interval vs "
        f"{sel['distinct'].mean():.2f} distinct agents serving ({ratio:.2f}x); "
        f"work blocks bridge gaps < {args.bridge_minutes:g} min",
        f"- time: rebuild {t_build:.1f} s; both models, both measures, all intervals "
        f"{t_models * 1000:.0f} ms",
        "",
        "Definitions (details in the script's docstring): SL = answered within 20 s over all "
        "calls that asked for an agent (abandoners are misses); abandon = hung up in the queue; "
        "ASA = mean queue wait over all those calls; staff 'agents present' = agent-seconds "
        "inside work blocks (first to last service, gaps < bridge joined) / 1,800 s, models "
        "interpolated between integer counts. Weighted by calls offered; bias = predicted - "
        "actual.",
        "",
        "Pooled over all compared intervals:",
        "",
        *header,
        *pooled,
        "",
        f"Erlang A occupancy (served load / agents present) vs busy / present: MAE "
        f"{occ_mae:.3f}, bias {occ_bias:+.3f}.",
        "",
        "By offered load per agent present (rho = offered x AHT / 1,800 s / present); 'agents "
        "present' measure; SL columns are predicted SL | MAE:",
        "",
        "| rho | intervals | busy/present | actual SL | Erlang C SL, MAE | Erlang A SL, MAE | "
        "actual abandon | Erlang A abandon | abandon MAE | actual ASA (s) | Erlang C ASA MAE | "
        "Erlang A ASA MAE |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *band_rows,
        "",
        "How much the staff definition matters: the same comparison with other bridge "
        "lengths (gaps between an agent's services shorter than the bridge count as present). "
        "MAE (bias) pooled; P(wait) = share of callers who queued at all:",
        "",
        "| bridge (min) | intervals | mean present | busy/present | actual P(wait) | "
        "Erlang C P(wait) | Erlang A P(wait) | Erlang C SL | Erlang A SL | Erlang A abandon | "
        "Erlang C ASA MAE (s) | Erlang A ASA MAE (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *sensitivity,
        "",
        "Reading (for these records): Erlang A predicts abandonment and ASA far better than "
        "Erlang C under every staff definition (Erlang C has no abandonment, so overloaded "
        "intervals get an infinite or huge ASA and a service level near 0). For the share "
        "answered within 20 s the ranking depends on how presence is defined: with short bridges "
        "(5-10 min; observed occupancy 0.75-0.83 and Erlang A's P(wait) close to the observed "
        "one) Erlang A is unbiased or nearly so and beats Erlang C, as Brown et al. (2005) and "
        "Garnett, Mandelbaum and Reiman (2002) report; with 30-60 min bridges the staff count "
        "includes idle and off-phone time (occupancy 0.61-0.65, P(wait) under-predicted), every "
        "model is optimistic at light load, and Erlang C's lower pooled SL error comes from "
        "being too pessimistic under overload. The staff definition, not the queueing model, "
        "is the larger source of error in this comparison.",
        "",
        "Caveats: presence is inferred from services, so an agent logged in but idle before the "
        "first or after the last call of a block is missed, and idle or break gaps shorter than "
        "the bridge are counted as present; agents also did outbound and other work that the "
        "records do not show. Handle times are not exponential (roughly log-normal), patience "
        "is not exactly exponential, and the bank served some customers with priority, so the "
        "queue is not FCFS. One pooled patience is used for every interval.",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
