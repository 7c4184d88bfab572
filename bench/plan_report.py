"""Writes bench/work/plan.tsv as the "Planning books" section of BENCHMARKS.md, replacing the
section when it is there and appending it otherwise."""
import sys

import section

tsv, path = sys.argv[1], sys.argv[2]
rows = [line.rstrip("\n").split("\t") for line in open(tsv) if line.strip()]
out = ["## Planning books\n"]
limit = rows[0][8] if rows else "10"
out.append(
    "`bash bench/plan.sh`: `plan` on generated books where a fifth of the advisors are listed at a "
    f"level their book was not built for (`generate --misfits 0.2`), `--time-limit {limit}`, one run "
    "each. The wall time includes scoring the inputs. Goal (issue 28): at 100k `plan` returns within "
    "twice the time limit.\n"
)
out.append(
    "| accounts | advisors | books fitting before → after | still below: proven unable to fit | "
    "still below: not ruled out | hand-overs | proven optimal | wall | peak memory | goal |"
)
out.append("|---:|---:|---|---:|---:|---:|---|---:|---:|---|")
for n, wall, peak, advisors, before, after, moves, proven, limit, unable, still_open in rows:
    goal = ("met" if float(wall) <= 2 * float(limit) else "missed") if int(n) == 100_000 else "–"
    out.append(
        f"| {int(n):,} | {int(advisors):,} | {before} → {after} | {unable} | {still_open} | {int(moves):,} | {proven} "
        f"| {float(wall):.2f} s | {float(peak) / 1024:.0f} MB | {goal} |"
    )
out.append(
    "\nHow the plan is found (`src/pipeline/plan/`): teams are solved apart, side by side on both "
    "cores, each with its share of the time left when it starts; the unassigned accounts, which any "
    "team may take, are then offered team by team to the teams with a book still below (when the "
    "whole company is small enough to prove, it is one problem instead). Within a team, a book that "
    "cannot fit is set aside first: too little primary ARR in reach for its smallest allowed book, "
    "or no solution of the program by tier with that book required to fit (accounts split into "
    "amounts, so this only ever allows more than whole accounts do). Then the program by tier (a few "
    "hundred amounts and a binary per book, whatever the number of accounts) is solved and rounded "
    "to whole accounts, diving (the larger half of the moving accounts fixed, then solved again) and "
    "mending any book a rounding breaks; the simple search (single moves, then swaps) finishes it. "
    "For a team of at most 20,000 account–receiver pairs the exact program over single accounts "
    "then runs, one aim at a time, started from the best plan found. A plan is proven optimal only "
    "when every aim is proven for every team and no unassigned account was offered after the teams."
    "\n\n\"Proven unable to fit\" counts the books still below that no plan can fit: nothing of a primary "
    "tier in reach, too little of it, all of it pinned or renewing, ruled out by the program, or "
    "below in a plan proven optimal. \"Not ruled out\" counts the rest: a longer search may fit them."
)
section.put(path, out)
