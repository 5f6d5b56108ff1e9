#!/usr/bin/env python3
"""Writes a large Jira CSV export ("all fields" layout: repeated Sprint,
Labels, Component/s and issue link columns, multi-line descriptions), for
measuring `linchpin import jira-csv`.

    python3 scripts/big_jira_csv.py ISSUES OUT.csv [--seed 1]

One issue in fifty is an epic the next forty-nine belong to; stories carry
story points, tasks an original estimate in seconds; each issue blocks up
to two later ones (recorded on both ends, as Jira writes them) and
relates to one earlier one.
"""
import argparse
import csv
import random

parser = argparse.ArgumentParser()
parser.add_argument("issues", type=int)
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
rng = random.Random(args.seed)
n = args.issues
header = ["Summary", "Issue key", "Issue id", "Issue Type", "Status", "Status Category", "Project key",
          "Assignee", "Created", "Component/s", "Component/s", "Labels", "Labels", "Sprint", "Sprint",
          "Fix Version/s", "Due Date", "Description", "Original Estimate", "Remaining Estimate",
          "Custom field (Story Points)", "Parent", "Outward issue link (Blocks)",
          "Outward issue link (Blocks)", "Inward issue link (Blocks)", "Inward issue link (Blocks)",
          "Outward issue link (Relates)"]
blocks = {i: sorted({rng.randrange(i + 1, min(n, i + 200)) for _ in range(rng.randint(0, 2))} - {i})
          for i in range(n - 1)}
blocked_by = {}
for before, afters in blocks.items():
    for after in afters:
        blocked_by.setdefault(after, []).append(before)
teams = [f"Team {t}" for t in range(40)]
statuses = [("To Do", "To Do"), ("In Progress", "In Progress"), ("Done", "Done"), ("In Review", "In Progress")]
with open(args.out, "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(header)
    epic = None
    for i in range(n):
        key = f"BIG-{i + 1}"
        is_epic = i % 50 == 0
        if is_epic:
            epic = i
        status, category = rng.choice(statuses)
        kind = "Epic" if is_epic else rng.choice(["Story", "Task", "Bug"])
        points = str(rng.randint(1, 8)) if kind == "Story" else ""
        original = str(rng.randint(1, 10) * 28800) if kind in ("Task", "Bug") else ""
        remaining = str(rng.randint(1, 5) * 28800) if category == "In Progress" and original else ""
        outs = [f"BIG-{a + 1}" for a in blocks.get(i, [])][:2]
        ins = [f"BIG-{b + 1}" for b in blocked_by.get(i, [])][:2]
        out.writerow([
            f"Work item {i}: {rng.choice(['cart', 'ledger', 'login', 'search'])}, part {i % 7}",
            key, str(10000 + i), kind, status, category, "BIG", f"Person {rng.randrange(300)}",
            "04/Jan/27 9:00 AM", rng.choice(teams), "", "backend" if i % 3 else "frontend", "",
            f"Sprint {i % 20}", "", f"{1 + i // 20000}.0", "",
            f"Line one of {key}\nline two, with \"quotes\"", original, remaining, points,
            "" if is_epic else str(10000 + epic),
            *(outs + ["", ""])[:2], *(ins + ["", ""])[:2],
            f"BIG-{rng.randrange(i) + 1}" if i and i % 10 == 0 else "",
        ])
