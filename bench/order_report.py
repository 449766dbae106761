"""The order benchmark's printout: the figures table, real/bare, the oversell checks and the verdict."""
import statistics

TARGET = 0.40  # the real endpoint must reach 40% of the bare endpoint's orders/s in both cases
CASES = {"uncontended": "uncontended", "hot": "hot item"}


def _table(results, placed_in_db) -> list[str]:
    lines = [f"{'case':<12} {'endpoint':<9} {'requests':>8} {'placed':>7} {'refused':>7} {'errors':>6} "
             f"{'in DB':>6} {'orders/s':>9} {'p95 ms':>8} {'p50 ms':>7} {'real/bare':>9}"]
    for case, label in CASES.items():
        for endpoint in ("real", "bare"):
            r = results[(case, endpoint)]
            ratio = ""
            if endpoint == "bare":
                bare = r.per_second()
                ratio = f"{results[(case, 'real')].per_second() / bare:.0%}" if bare else "n/a"
            failed = r.count("error") + r.count("cut") + r.unfinished
            lines.append(f"{label:<12} {endpoint:<9} {len(r.samples) + r.unfinished:>8} {r.count('ok'):>7} "
                         f"{r.count('short'):>7} {failed:>6} {placed_in_db[(case, endpoint)]:>6} "
                         f"{r.per_second():>9.1f} {r.percentile_ms(95):>8.1f} {r.percentile_ms(50):>7.1f} {ratio:>9}")
    return lines


def report(results, placed_in_db, hot_checks, problems, round_ratios) -> int:
    """Print everything; returns the exit status (0 only when the target is met and everything adds up)."""
    print()
    print("\n".join(_table(results, placed_in_db)))
    print("orders/s = placed orders / wall time of the runs; p95 and p50 over the requests that placed an order")
    for case, ratios in round_ratios.items():
        print(f"  real/bare per round, {CASES[case]}: {', '.join(f'{r:.0%}' for r in ratios)} "
              f"(median {statistics.median(ratios):.0%})")
    for (case, endpoint), r in results.items():
        if r.count("short"):
            print(f"  {case} {endpoint}: {r.count('short')} refused for lack of stock, "
                  f"p95 {r.percentile_ms(95, 'short'):.1f} ms")
        for error in r.errors[:3]:
            print(f"  {case} {endpoint}: {error}")
    print("\nhot item, per run:")
    for label, figures in hot_checks:
        detail = ", ".join(f"{k} {v}" for k, v in figures.items() if k != "ok")
        print(f"  {label}: {detail} -> {'OK, no oversell' if figures['ok'] else 'WRONG'}")
    print("\nledgers over the whole database (rows that break each invariant):")
    for label, count in problems.items():
        print(f"  {count:>5}  {label}")
    clean = (all(f["ok"] for _, f in hot_checks) and not any(problems.values())
             and all(r.count("error") + r.count("cut") + r.unfinished == 0 and not r.errors for r in results.values())
             and all(placed_in_db[key] == results[key].count("ok") for key in placed_in_db))
    ratios = {case: results[(case, "real")].per_second() / max(results[(case, "bare")].per_second(), 1e-9)
              for case in CASES}
    met = all(ratio >= TARGET for ratio in ratios.values())
    print(f"\nzero oversells and ledgers add up: {'yes' if clean else 'NO'}")
    print(f"target real >= {TARGET:.0%} of bare in both cases: {'met' if met else 'NOT met'} "
          f"({', '.join(f'{CASES[c]} {r:.0%}' for c, r in ratios.items())})")
    return 0 if clean and met else 1
