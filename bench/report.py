"""The bench's verdict: the table of runs, the targets met or missed, and the JSON
file of the whole report."""

import json

from .environment import ROOT, VAR

# Targets at the highest concurrency level (see README, "## Benchmarks").
TARGETS = {
    "search": {"ceiling_fraction": 0.25, "p95_ms": 150},
    "doctor_page": {"ceiling_fraction": 0.25, "p95_ms": 150},
    "book": {"rps": 100},
}


def print_table(results, ceilings):
    header = (
        f"{'page':<12} {'users':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>7} {'of ceiling':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ceiling = ceilings.get(r["users"])
        share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
        print(
            f"{r['scenario']:<12} {r['users']:>5} {r['rps']:>8.1f} {r['p50_ms']:>7.0f} "
            f"{r['p95_ms']:>7.0f} {r['p99_ms']:>7.0f} {r['errors']:>7} {share:>10}"
        )


def evaluate(results, ceilings, top):
    verdicts = {}
    for r in results:
        target = TARGETS.get(r["scenario"])
        if not target or r["users"] != top:
            continue
        ok, notes = r["errors"] == 0, []
        if "ceiling_fraction" in target and ceilings.get(top):
            share = r["rps"] / ceilings[top]
            ok &= share >= target["ceiling_fraction"]
            notes.append(f"{share:.0%} of ceiling (target {target['ceiling_fraction']:.0%})")
        if "p95_ms" in target:
            ok &= r["p95_ms"] < target["p95_ms"]
            notes.append(f"p95 {r['p95_ms']:.0f} ms (target < {target['p95_ms']})")
        if "rps" in target:
            ok &= r["rps"] >= target["rps"]
            notes.append(f"{r['rps']:.0f}/s (target >= {target['rps']})")
        notes.append(f"{r['errors']} errors")
        verdicts[r["scenario"]] = {"met": bool(ok), "notes": "; ".join(notes)}
    return verdicts


def print_report(report, results, args, stamp):
    """The heading, the table, the verdicts and the checks; then the JSON file."""
    print()
    print(
        f"MedConnect bench {stamp}: {report['data']['appointments']:,} appointments, "
        f"{report['data']['doctors']:,} doctors; gunicorn {args.workers} {args.worker_class} "
        f"workers; {args.duration}s per run; load average before "
        f"{', '.join(f'{x:.2f}' for x in report['machine']['load_average_before'])}"
    )
    print_table(results, report["ceilings"])
    print()
    for name, verdict in report["verdicts"].items():
        print(f"{'MET ' if verdict['met'] else 'MISS'} {name}: {verdict['notes']}")
    print(f"database: {report['database_checks']}")
    if "restart" in report:
        restart = {k: v for k, v in report["restart"].items() if k != "load"}
        print(f"restart: {restart}")
    out = VAR / f"{stamp}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"written {out.relative_to(ROOT)}")
