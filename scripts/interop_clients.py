#!/usr/bin/env python3
"""Checks `linchpin export` with the real clients of each format:

- MPXJ (org.mpxj, through JPype) reads the MSPDI back: every item, group
  and milestone is a task with our dates and durations; every link has
  our type and lag (in its unit); constraints, deadlines, progress,
  actual and baseline dates, calendars with their exceptions and teams as
  resources come through;
- Python's `icalendar` parses the .ics: all-day events with an exclusive
  DTEND on each milestone's target and its P80 (as `linchpin forecast`
  computes it), unique UIDs that a second export repeats;
- Graphviz `dot` renders the DOT without a warning;
- Mermaid's own parser (npm `mermaid` under jsdom, scripts/interop/
  mermaid_tasks.mjs) accepts both Mermaid files, and its gantt database
  holds every item on our dates.

The reference is what `linchpin schedule --format json` and `linchpin
forecast --format json` print for the same plan, and the plan's own YAML
for links and constraints (tests/fixtures/interop.yaml has no links on
groups, so its links are the items' own).

    scripts/interop_clients.py [LINCHPIN_BINARY]

Needs: `pip install mpxj JPype1 icalendar pyyaml`, a Java runtime,
Graphviz, and `npm install mermaid jsdom` in target/interop-node (the
NODE_PATH it uses); .ci/run installs them.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "linchpin")
FIXTURE = os.path.join(ROOT, "crates", "linchpin", "tests", "fixtures", "interop.yaml")
EXAMPLE = os.path.join(ROOT, "examples", "platform-migration")
NODE_PATH = os.path.join(ROOT, "target", "interop-node", "node_modules")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"linchpin {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def export(fmt, plan, out):
    run("export", fmt, plan, "-o", out)
    return out


def day(text):
    return dt.date.fromisoformat(text[:10])


# ---------------------------------------------------------------- MPXJ
def check_mspdi(plan, path, schedule, links):
    import jpype

    if not jpype.isJVMStarted():
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

        jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(path)
    check(project is not None, f"{plan}: MPXJ read nothing")
    tasks = {}
    for task in project.getTasks():
        key = task.getText(1)
        if key is not None:
            tasks[str(key)] = task
    items = {i["id"]: i for i in schedule["items"]}
    milestones = {m["id"]: m for m in schedule["milestones"]}
    groups = {g["id"]: g for g in schedule["groups"]}
    check(len(tasks) == len(items) + len(milestones) + len(groups),
          f"{plan}: MPXJ read {len(tasks)} tasks, we wrote {len(items) + len(milestones) + len(groups)}")
    for key, item in items.items():
        task = tasks.get(key)
        if task is None:
            failures.append(f"{plan}: no task for {key}")
            continue
        start, finish = str(task.getStart()), str(task.getFinish())
        check(day(start) == day(item["start"]), f"{plan}: {key} starts {start} in MPXJ, {item['start']} in ours")
        check(day(finish) == day(item["finish"]), f"{plan}: {key} finishes {finish} in MPXJ, {item['finish']} in ours")
        check(str(task.getName()) == item["title"], f"{plan}: {key} is named {task.getName()!s} in MPXJ")
        check(bool(task.getCritical()) == (item["critical"]), f"{plan}: {key} critical differs")
        check(not bool(task.getSummary()) and not bool(task.getMilestone()), f"{plan}: {key} is not a plain task")
        if item["status"] == "done":
            check(float(str(task.getPercentageComplete())) == 100.0, f"{plan}: {key} is done but not 100 %")
    for key, milestone in milestones.items():
        task = tasks.get(key)
        if task is None:
            failures.append(f"{plan}: no task for milestone {key}")
            continue
        check(bool(task.getMilestone()), f"{plan}: {key} is not a milestone in MPXJ")
        check(day(str(task.getFinish())) == day(milestone["date"]),
              f"{plan}: milestone {key} on {task.getFinish()!s} in MPXJ, {milestone['date']} in ours")
        check(task.getDuration().getDuration() == 0, f"{plan}: milestone {key} has a duration")
        if milestone.get("target"):
            check(day(str(task.getDeadline())) == day(milestone["target"]), f"{plan}: milestone {key} deadline")
    for key in groups:
        task = tasks.get(key)
        check(task is not None and bool(task.getSummary()), f"{plan}: group {key} is not a summary task")
    # Links: (predecessor, successor) -> (type, lag, unit) as the plan says.
    read = {}
    for key, task in tasks.items():
        for relation in task.getPredecessors():
            before = str(relation.getPredecessorTask().getText(1))
            lag = relation.getLag()
            read[(before, key)] = (str(relation.getType().name()), float(lag.getDuration()), str(lag.getUnits().name()))
    names = {"finish_to_start": "FINISH_START", "start_to_start": "START_START", "finish_to_finish": "FINISH_FINISH"}
    units = {"working_days": "DAYS", "calendar_days": "ELAPSED_DAYS"}
    for (before, after), (kind, lag, unit) in links.items():
        got = read.get((before, after))
        want = (names[kind], float(lag), units[unit])
        check(got is not None and got[0] == want[0] and abs(got[1] - want[1]) < 1e-6 and got[2] == want[2],
              f"{plan}: link {before} -> {after} is {got} in MPXJ, {want} in ours")
    return project, tasks


def plan_links(path):
    """The items' own links in a plan file, with their type, lag and unit."""
    with open(path) as f:
        plan = yaml.safe_load(f)
    links = {}
    for item in plan.get("items", []):
        for d in item.get("depends", []) or []:
            if isinstance(d, str):
                d = {"item": d}
            links[(d["item"], item["id"])] = (
                d.get("type", "finish_to_start"), d.get("lag", 0), d.get("lag_unit", "working_days"))
    return plan, links


def check_fixture_details(tasks, project, plan_yaml, schedule):
    items = {i["id"]: i for i in plan_yaml["items"]}
    # Durations: unstarted work takes its likely estimate; A took its three days.
    for key, item in items.items():
        est = item["estimate"]
        likely = est[1] if isinstance(est, list) else est
        if item.get("status", "not_started") == "not_started":
            got = tasks[key].getDuration()
            check(str(got.getUnits().name()) == "DAYS" and abs(float(got.getDuration()) - likely) < 1e-6,
                  f"fixture: {key} lasts {got!s} in MPXJ, {likely} days in ours")
    check(float(str(tasks["A"].getDuration().getDuration())) == 3.0, "fixture: A lasts 3 days")
    check(str(tasks["D"].getConstraintType()) == "START_NO_EARLIER_THAN", "fixture: D is not Start No Earlier Than")
    check(day(str(tasks["D"].getConstraintDate())) == dt.date(2027, 1, 20), "fixture: D's constraint date")
    check(str(tasks["G"].getConstraintType()) == "MUST_START_ON", "fixture: G is not Must Start On")
    check(day(str(tasks["F"].getDeadline())) == dt.date(2027, 3, 5), "fixture: F's deadline")
    check(day(str(tasks["A"].getActualStart())) == dt.date(2027, 1, 4), "fixture: A's actual start")
    check(day(str(tasks["A"].getActualFinish())) == dt.date(2027, 1, 6), "fixture: A's actual finish")
    check(day(str(tasks["B"].getBaselineStart())) == dt.date(2027, 1, 7), "fixture: B's baseline start")
    check(day(str(tasks["B"].getBaselineFinish())) == dt.date(2027, 1, 13), "fixture: B's baseline finish")
    percent = float(str(tasks["B"].getPercentageComplete()))
    check(0 < percent < 100, f"fixture: B in progress at {percent} %")
    # Outline: E1-a (and so B and D) sits inside E1.
    check(str(tasks["B"].getParentTask().getText(1)) == "E1-a", "fixture: B is not under E1-a")
    check(str(tasks["E1-a"].getParentTask().getText(1)) == "E1", "fixture: E1-a is not under E1")
    # Teams as resources with their people, each item assigned to its team.
    # A resource is named by the team's name and keeps its id in Text1.
    resources = {str(r.getText(1)): r for r in project.getResources() if r.getName() is not None}
    check(set(resources) == {"web", "api"}, f"fixture: resources by Text1 {sorted(resources)}")
    names = {k: str(r.getName()) for k, r in resources.items()}
    check(names == {"web": "Web", "api": "API"}, f"fixture: resource names {names}")
    check(float(str(resources["web"].getMaxUnits())) == 200.0, f"fixture: web's max units {resources['web'].getMaxUnits()!s}")
    assigned = {str(a.getTask().getText(1)): str(a.getResource().getText(1)) for a in project.getResourceAssignments()}
    check(assigned.get("B") == "api" and assigned.get("C") == "web", f"fixture: assignments {assigned}")
    # Calendars: the holidays, and web's own day off, are exceptions.
    calendar = project.getDefaultCalendar()
    off = lambda c, d: not bool(c.isWorkingDate(jpype.JClass("java.time.LocalDate").of(d.year, d.month, d.day)))
    import jpype
    check(off(calendar, dt.date(2027, 1, 18)) and off(calendar, dt.date(2027, 2, 16)), "fixture: holidays not exceptions")
    check(not off(calendar, dt.date(2027, 1, 29)), "fixture: web's day off is in the standard calendar")
    web = resources["web"].getCalendar()
    check(web is not None and off(web, dt.date(2027, 1, 29)) and off(web, dt.date(2027, 1, 18)),
          "fixture: web's calendar lacks its day off or the program's holidays")


# ---------------------------------------------------------------- iCalendar
def check_ics(plan, path, forecast, again):
    import icalendar

    with open(path, "rb") as f:
        data = f.read()
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    by_milestone = {m["id"]: m for m in forecast["milestones"]}
    expected = sum(1 + (1 if m["target"] else 0) for m in forecast["milestones"])
    check(len(events) == expected, f"{plan}: {len(events)} events, {expected} expected")
    uids = [str(e["UID"]) for e in events]
    check(len(set(uids)) == len(uids), f"{plan}: UIDs repeat")
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        check(type(start) is dt.date and type(end) is dt.date, f"{plan}: {event['SUMMARY']} is not all-day")
        check(end - start == dt.timedelta(days=1), f"{plan}: {event['SUMMARY']} DTEND is not the next day")
        summary = str(event["SUMMARY"])
        key, kind = summary.split(" ", 1)[0], summary.split(" ", 2)[1].rstrip(":")
        milestone = by_milestone.get(key)
        check(milestone is not None, f"{plan}: event {summary} names no milestone")
        if milestone:
            want = milestone["target"] if kind == "target" else milestone["p80"]
            check(start == day(want), f"{plan}: {summary} on {start}, {want} expected")
    with open(again, "rb") as f:
        check(f.read() == data, f"{plan}: a second export differs")


# ---------------------------------------------------------------- Graphviz
def check_dot(plan, path):
    result = subprocess.run(["dot", "-Tsvg", path, "-o", os.devnull], capture_output=True, text=True)
    check(result.returncode == 0 and not result.stderr.strip(), f"{plan}: dot says {result.stderr.strip()}")


# ---------------------------------------------------------------- Mermaid
def check_mermaid(plan, gantt, flowchart, schedule):
    script = os.path.join(ROOT, "scripts", "interop", "mermaid_tasks.mjs")
    result = subprocess.run(["node", script, gantt, flowchart], capture_output=True, text=True,
                            env={**os.environ, "NODE_PATH": NODE_PATH})
    if result.returncode != 0 and not result.stdout:
        failures.append(f"{plan}: mermaid check failed: {result.stderr.strip()}")
        return
    parsed = json.loads(result.stdout)
    for path, expected in [(gantt, "gantt"), (flowchart, "flowchart-v2")]:
        got = parsed[path]
        check(got.get("type") == expected, f"{plan}: Mermaid read {os.path.basename(path)} as {got}")
    tasks = {t["id"]: t for t in parsed[gantt].get("tasks", [])}
    check(len([t for t in tasks.values() if not t["milestone"]]) == len(schedule["items"]),
          f"{plan}: Mermaid's gantt has {len(tasks)} tasks")
    return tasks


def main():
    failures.clear()
    for plan in [FIXTURE, EXAMPLE]:
        name = os.path.basename(plan)
        with tempfile.TemporaryDirectory() as tmp:
            schedule = json.loads(run("schedule", plan, "--format", "json"))
            forecast = json.loads(run("forecast", plan, "--format", "json"))
            out = {fmt: export(fmt, plan, os.path.join(tmp, f"out.{fmt}"))
                   for fmt in ["mspdi", "ics", "dot", "mermaid-gantt", "mermaid-flowchart"]}
            if plan == FIXTURE:
                plan_yaml, links = plan_links(plan)
            else:
                plan_yaml, links = None, {}
            project, tasks = check_mspdi(name, out["mspdi"], schedule, links)
            if plan_yaml:
                check(len(links) == 6, f"fixture: {len(links)} links read from the plan")
                check_fixture_details(tasks, project, plan_yaml, schedule)
            check_ics(name, out["ics"], forecast, export("ics", plan, os.path.join(tmp, "again.ics")))
            check_dot(name, out["dot"])
            mermaid_tasks = check_mermaid(name, out["mermaid-gantt"], out["mermaid-flowchart"], schedule) or {}
            # Mermaid's task i<N> is item N of the plan, in the schedule's order.
            for n, item in enumerate(schedule["items"]):
                task = mermaid_tasks.get(f"i{n}")
                if task is None:
                    failures.append(f"{name}: Mermaid has no task for {item['id']}")
                    continue
                check(day(task["start"]) == day(item["start"]), f"{name}: Mermaid starts {item['id']} on {task['start']}")
                last = day(task["end"]) - dt.timedelta(days=1) if task["end"] != task["start"] else day(task["end"])
                check(last == day(item["finish"]), f"{name}: Mermaid ends {item['id']} on {last}, {item['finish']} expected")
            print(f"{name}: {len(schedule['items'])} items, {len(schedule['milestones'])} milestones checked "
                  f"with MPXJ, icalendar, dot and Mermaid")
    if failures:
        print("\n".join(f"FAIL {f}" for f in failures))
        sys.exit(1)
    print("interop clients: all checks passed")


if __name__ == "__main__":
    main()
