#!/usr/bin/env python3
"""Writes a large YAML plan, a field per line as `linchpin init` writes it,
for measuring what loading and scheduling a plan near the size limits costs.

    python3 scripts/big_plan.py ITEMS OUT.yaml [--teams 20] [--seed 1] [--milestones 0]

Each item has a three-point estimate and up to three dependencies on
earlier items; teams have three people. With --milestones N, N milestones
each require an item spread evenly through the plan, with targets spread
over about three years.
"""
import argparse
import datetime
import random

parser = argparse.ArgumentParser()
parser.add_argument("items", type=int)
parser.add_argument("out")
parser.add_argument("--teams", type=int, default=20)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--milestones", type=int, default=0)
args = parser.parse_args()
rng = random.Random(args.seed)
with open(args.out, "w") as out:
    out.write("program:\n  name: Large program\n  start: 2027-01-04\n\nteams:\n")
    for t in range(args.teams):
        out.write(f"  - id: team-{t}\n    name: Team {t}\n    capacity: 3\n")
    out.write("\nitems:\n")
    for i in range(args.items):
        likely = rng.randint(1, 10)
        out.write(f"  - id: ITEM-{i}\n    title: Work item number {i}\n    team: team-{rng.randrange(args.teams)}\n")
        out.write(f"    estimate: [{max(1, likely - 1)}, {likely}, {likely + rng.randint(0, 5)}]\n")
        deps = sorted({rng.randrange(i) for _ in range(rng.randint(0, 3))}) if i else []
        if deps:
            out.write("    depends:\n")
            for d in deps:
                out.write(f"      - ITEM-{d}\n")
    if args.milestones:
        out.write("\nmilestones:\n")
        start = datetime.date(2027, 1, 4)
        for k in range(args.milestones):
            item = (k + 1) * args.items // args.milestones - 1
            target = start + datetime.timedelta(days=(k + 1) * 1100 // args.milestones)
            out.write(f"  - id: M{k + 1}\n    title: Milestone {k + 1}\n    requires: [ITEM-{item}]\n    target: {target}\n")
