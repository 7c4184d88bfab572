#!/usr/bin/env python3
"""Regenerates the bundled sample exports (accounts.csv, arr.csv, advisors.csv; health.csv and
ownership.csv are kept by hand).

Deterministic: `python3 samples/generate.py` rewrites the same files. The data tell a story for
2026-Q3: some advisors meet their level, some are near, one is below, one is ready for the next
level. For the quarter ahead (2026-Q4), Priya Shah is on track, Aisha Khan is already safe and
Lena Fischer's chance hinges on two named renewals. It includes new logos, expansions,
contractions, churn, a churn-and-return, multi-line subscriptions, blank health scores, segments
in the CRM's own spellings and segments left blank for the segment rules, and a few accounts
nobody owns.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIRST = (2024, 4)
MONTHS = 31  # 2024-04 .. 2026-10: the last quarter end covered is 2026-09 (2026-Q3)

# advisor, level, manager, book as (tier, count), churn prob, contraction prob, expansion range, health mean,
# and the seed of the advisor's own random draws (picked so that each book tells its part of the story)
ADVISORS = [
    ("Priya Shah", "IC1", "Maria Santos", [("SMB", 15), ("MM<", 10)], 0.03, 0.08, (1.05, 1.25), 7.8, 0),
    ("Tom Becker", "IC1", "David Okafor", [("SMB", 14), ("MM<", 8), ("MM+", 2)], 0.03, 0.2, (1.02, 1.14), 7.1, 0),
    ("Lena Fischer", "IC2", "Maria Santos", [("MM+", 14), ("Ent<", 4), ("MM<", 2)], 0.03, 0.12, (1.02, 1.20), 7.5, 1),
    ("Carlos Mendes", "IC2", "David Okafor", [("MM+", 12), ("Ent<", 5), ("SMB", 3)], 0.09, 0.30, (1.00, 1.08), 6.3, 0),
    ("Aisha Khan", "IC3", "Maria Santos", [("Ent+", 15), ("Strategic", 2), ("Ent<", 1)], 0.0, 0.08, (1.04, 1.16), 8.0, 6),
    ("Ben Carter", "IC3", "David Okafor", [("Ent+", 11), ("Strategic", 2), ("MM+", 5)], 0.04, 0.2, (1.0, 1.12), 7.6, 2),
    ("Sofia Rossi", "IC4", "Maria Santos", [("Strategic", 8), ("Ent+", 4)], 0.0, 0.05, (1.08, 1.22), 7.6, 1),
    ("James Whitfield", "IC5", "David Okafor", [("Strategic", 8)], 0.0, 0.05, (1.10, 1.24), 8.0, 2),
    ("", None, None, [("SMB", 3)], 0.05, 0.1, (1.0, 1.1), 6.8, 0),
]

ARR_RANGE = {
    "SMB": (6_000, 40_000), "MM<": (30_000, 90_000), "MM+": (105_000, 240_000),
    "Ent<": (55_000, 92_000), "Ent+": (130_000, 420_000), "Strategic": (520_000, 1_900_000),
}
SEGMENT = {"SMB": "SMB", "MM<": "MM", "MM+": "MM", "Ent<": "Ent", "Ent+": "Ent", "Strategic": "Strategic"}
CRM_SPELLINGS = {
    "SMB": ["SMB", "smb", "Smb"], "MM": ["Mid-Market", "MM", "midmarket", "Mid Market"],
    "Ent": ["Enterprise", "ENT", "enterprise"], "Strategic": ["Strategic", "Strat", "STRATEGIC"],
}
EMPLOYEES = {"SMB": (15, 190), "MM": (220, 1_800), "Ent": (2_100, 40_000), "Strategic": (5_000, 120_000)}

WORDS_A = ["North", "Blue", "Cedar", "Granite", "Harbor", "Summit", "Bright", "Silver", "Iron", "Maple", "Pioneer",
           "Atlas", "Coral", "Falcon", "Orchid", "Quartz", "River", "Sable", "Tidal", "Vertex", "Willow", "Zenith",
           "Amber", "Crescent", "Delta", "Ember", "Frontier", "Golden", "Horizon", "Juniper"]
WORDS_B = ["Analytics", "Logistics", "Health", "Labs", "Foods", "Energy", "Bank", "Systems", "Retail", "Media",
           "Robotics", "Insurance", "Pharma", "Networks", "Capital", "Foundry", "Mobility", "Studios", "Works"]
SUFFIX = ["Inc", "Ltd", "GmbH", "LLC", "Group", "Co", "AG", "plc"]


def month_label(i):
    y, m = FIRST
    total = y * 12 + (m - 1) + i
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def next_renewal(renewal):
    """The first anniversary after 2026-09 (month index 29), as YYYY-MM."""
    i = 30
    while (i - renewal) % 12:
        i += 1
    return month_label(i)


def trajectory(rng, base, start, churn_p, contract_p, grow):
    """Monthly ARR: changes at each renewal anniversary (and sometimes a mid-term upsell)."""
    renewal = rng.randrange(12)
    arr, values = 0.0, []
    churned = False
    for i in range(MONTHS):
        if i == start:
            arr = base
        elif i > start and not churned and (i - renewal) % 12 == 0:
            u = rng.random()
            if u < churn_p:
                arr, churned = 0.0, True
            elif u < churn_p + contract_p:
                arr = round(arr * rng.uniform(0.55, 0.9), -2)
            else:
                arr = round(arr * rng.uniform(*grow), -2)
        elif i > start and not churned and rng.random() < 0.02:
            arr = round(arr * rng.uniform(1.05, 1.2), -2)
        values.append(arr)
    return values, renewal


def main():
    accounts, arr_rows, roster = [], [], []
    used_names = set()
    n = 0
    for advisor, level, manager, book, churn_p, contract_p, grow, health, seed in ADVISORS:
        rng = random.Random(f"{advisor}-{seed}")
        if advisor:
            roster.append({"advisor": advisor, "level": level, "manager": manager})
        for tier, count in book:
            for _ in range(count):
                n += 1
                account_id = f"ACC-{n:04d}"
                while True:
                    name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B)} {rng.choice(SUFFIX)}"
                    if name not in used_names:
                        used_names.add(name)
                        break
                segment = SEGMENT[tier]
                lo, hi = ARR_RANGE[tier]
                base = round(rng.uniform(lo, hi), -2)
                # Most accounts predate the data; about one in eight is a new logo.
                start = rng.randrange(14, 29) if rng.random() < 0.12 else 0
                values, renewal = trajectory(rng, base, start, churn_p, contract_p, grow)
                ela = segment == "Strategic" and level == "IC5"
                given = rng.random() < 0.6 or segment == "Strategic" and not ela and base < 500_000
                accounts.append({
                    "account_id": account_id,
                    "account_name": name,
                    "advisor": advisor,
                    "segment": rng.choice(CRM_SPELLINGS[segment]) if given else "",
                    "employees": rng.randrange(*EMPLOYEES[segment]),
                    "ela": "yes" if ela else ("no" if rng.random() < 0.5 else ""),
                    "health_score": "" if rng.random() < 0.1 else f"{min(10, max(1, rng.gauss(health, 1.1))):.1f}",
                    "renewal_date": f"{next_renewal(renewal)}-{rng.choice([1, 15, 28]):02d}",
                    "_values": values,
                })
    # A churn-and-return: Lena's first account leaves in 2025-11 and comes back in 2026-05.
    story = next(a for a in accounts if a["advisor"] == "Lena Fischer" and a["_values"][0] > 0)
    story["_values"] = [v if not (19 <= i < 25) else 0.0 for i, v in enumerate(story["_values"])]
    # The quarter ahead (2026-Q4): two of Lena's renewals fall in it with health below her level's
    # minimum, so her chance of meeting her NDR target hinges on them. River Health renews in
    # 2026-11; Delta Capital's contract was co-termed to 2026-12. health.csv scores both in 2026-10.
    for account_id, health, renewal in [("ACC-0059", "6.2", None), ("ACC-0055", "4.6", "2026-12-15")]:
        story = next(a for a in accounts if a["account_id"] == account_id)
        story["health_score"] = health
        story["renewal_date"] = renewal or story["renewal_date"]

    for a in accounts:
        values = a.pop("_values")
        lines = 3 if a["account_id"].endswith("7") else 2 if a["account_id"].endswith("3") else 1
        for i, v in enumerate(values):
            if v == 0 and (i == 0 or values[i - 1] == 0):
                continue  # no row before an account starts or after it churned: ARR 0 by the rules
            if lines == 1 or v == 0:
                arr_rows.append((a["account_id"], month_label(i), v))
            else:
                parts = [round(v * share, 2) for share in ([0.7, 0.3] if lines == 2 else [0.5, 0.3, 0.2])]
                parts[-1] = round(v - sum(parts[:-1]), 2)
                for p in parts:
                    arr_rows.append((a["account_id"], month_label(i), p))

    with open(os.path.join(HERE, "accounts.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["account_id", "account_name", "advisor", "segment", "employees", "ela",
                                          "health_score", "renewal_date"])
        w.writeheader()
        w.writerows(accounts)
    with open(os.path.join(HERE, "arr.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["account_id", "month", "arr"])
        for account_id, month, v in arr_rows:
            w.writerow([account_id, month, f"{v:.2f}"])
    with open(os.path.join(HERE, "advisors.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["advisor", "level", "manager"])
        w.writeheader()
        w.writerows(roster)


if __name__ == "__main__":
    main()
