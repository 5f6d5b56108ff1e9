#!/usr/bin/env python3
"""Writes an MS Project XML fixture the way a real tool does: a project
built through MPXJ's API (org.mpxj) and written by its MSPDI writer, with
what real files carry: summary tasks two levels deep, a calendar with
holiday exceptions, all four link types with lags in days, elapsed days
and hours, constraints, a deadline, a baseline, percent complete and
actual dates, resources with units and their assignments, and milestones.
Then reads the file back with MPXJ and writes what MPXJ sees (tasks, link
types and lags, durations, dates) as JSON, which the import tests compare
`linchpin import mspdi` with.

    scripts/mpxj_fixture.py [OUT_DIR]   (default crates/linchpin/tests/fixtures/mspdi)

Needs `pip install mpxj JPype1` and a Java runtime.
"""
import json
import os
import sys

import jpype
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "crates", "linchpin", "tests", "fixtures", "mspdi")

jpype.startJVM()
from java.time import LocalDate, LocalDateTime  # noqa: E402
from org.mpxj import (Availability, ConstraintType, Duration, ProjectFile, Relation, RelationType,  # noqa: E402
                      TimeUnit)
from org.mpxj.mspdi import MSPDIWriter  # noqa: E402
from org.mpxj.reader import UniversalProjectReader  # noqa: E402


def at(y, m, d, h=8):
    return LocalDateTime.of(y, m, d, h, 0)


def days(n, unit=TimeUnit.DAYS):
    return Duration.getInstance(n, unit)


project = ProjectFile()
props = project.getProjectProperties()
props.setName("Warehouse move")
props.setProjectTitle("Warehouse move")
props.setStartDate(at(2027, 1, 4))
props.setStatusDate(at(2027, 1, 13, 17))
calendar = project.addDefaultBaseCalendar()
calendar.addCalendarException(LocalDate.of(2027, 1, 18), LocalDate.of(2027, 1, 18))
calendar.addCalendarException(LocalDate.of(2027, 2, 15), LocalDate.of(2027, 2, 16))
project.setDefaultCalendar(calendar)

ops = project.addResource()
ops.setName("Operations")
ops.getAvailability().add(Availability(at(2000, 1, 1, 0), at(2049, 12, 31, 23), jpype.JDouble(300.0)))
it = project.addResource()
it.setName("IT Team")
it.getAvailability().add(Availability(at(2000, 1, 1, 0), at(2049, 12, 31, 23), jpype.JDouble(100.0)))


def task(parent, name, start, finish, duration, **extra):
    t = parent.addTask()
    t.setName(name)
    t.setStart(start)
    t.setFinish(finish)
    t.setDuration(duration)
    for key, value in extra.items():
        getattr(t, "set" + key)(value)
    return t


def link(successor, predecessor, kind, lag):
    successor.addPredecessor(Relation.Builder().predecessorTask(predecessor).type(kind).lag(lag))


phase = project.addTask()
phase.setName("Preparation")
plan = task(phase, "Plan the move", at(2027, 1, 4), at(2027, 1, 6, 17), days(3),
            PercentageComplete=jpype.JDouble(100.0), ActualStart=at(2027, 1, 4), ActualFinish=at(2027, 1, 6, 17),
            BaselineStart=at(2027, 1, 4), BaselineFinish=at(2027, 1, 6, 17))
network = project.addTask()
network.setName("Network")
phase.addChildTask(network)
cabling = task(network, "Cabling", at(2027, 1, 7), at(2027, 1, 14, 17), days(6),
               PercentageComplete=jpype.JDouble(50.0), ActualStart=at(2027, 1, 7),
               BaselineStart=at(2027, 1, 7), BaselineFinish=at(2027, 1, 13, 17))
switches = task(network, "Switches", at(2027, 1, 11), at(2027, 1, 12, 17), days(2))
move = project.addTask()
move.setName("Move")
pack = task(move, "Pack the racks", at(2027, 1, 20), at(2027, 1, 22, 17), days(3),
            ConstraintType=ConstraintType.START_NO_EARLIER_THAN, ConstraintDate=at(2027, 1, 20))
truck = task(move, "Truck", at(2027, 2, 1), at(2027, 2, 1, 17), days(1),
             ConstraintType=ConstraintType.MUST_START_ON, ConstraintDate=at(2027, 2, 1))
unpack = task(move, "Unpack", at(2027, 2, 2), at(2027, 2, 5, 17), days(4), Deadline=at(2027, 2, 12, 17))
signoff = task(move, "Sign-off window", at(2027, 2, 8), at(2027, 2, 8, 17), days(1))
done = project.addTask()
done.setName("Moved")
done.setMilestone(True)
done.setStart(at(2027, 2, 8, 17))
done.setFinish(at(2027, 2, 8, 17))
done.setDuration(days(0))
done.setDeadline(at(2027, 2, 19, 17))

link(cabling, plan, RelationType.FINISH_START, days(0))
link(switches, plan, RelationType.START_START, days(2))
link(pack, cabling, RelationType.FINISH_FINISH, days(1))
link(truck, pack, RelationType.FINISH_START, days(7, TimeUnit.ELAPSED_DAYS))
link(unpack, truck, RelationType.FINISH_START, days(4, TimeUnit.HOURS))
link(signoff, unpack, RelationType.START_FINISH, days(0))
link(done, unpack, RelationType.FINISH_START, days(0))

for t, r, units in [(plan, ops, 100.0), (cabling, it, 100.0), (switches, it, 100.0), (pack, ops, 200.0),
                    (truck, ops, 300.0), (unpack, ops, 200.0)]:
    a = t.addResourceAssignment(r)
    a.setUnits(jpype.JDouble(units))

os.makedirs(OUT, exist_ok=True)
xml = os.path.join(OUT, "mpxj-built.xml")
MSPDIWriter().write(project, xml)

# What MPXJ reads back from the file.
read = UniversalProjectReader().read(xml)
tasks = []
for t in read.getTasks():
    if t.getName() is None or t.getUniqueID() == 0:
        continue
    d = t.getDuration()
    tasks.append({
        "uid": int(t.getUniqueID()),
        "name": str(t.getName()),
        "summary": bool(t.getSummary()),
        "milestone": bool(t.getMilestone()),
        "start": str(t.getStart())[:10] if t.getStart() else None,
        "finish": str(t.getFinish())[:10] if t.getFinish() else None,
        "duration": [float(d.getDuration()), str(d.getUnits().name())] if d else None,
        "percent": float(str(t.getPercentageComplete())) if t.getPercentageComplete() is not None else 0.0,
        "actual_start": str(t.getActualStart())[:10] if t.getActualStart() else None,
        "actual_finish": str(t.getActualFinish())[:10] if t.getActualFinish() else None,
        "constraint": str(t.getConstraintType().name()) if t.getConstraintType() else None,
        "constraint_date": str(t.getConstraintDate())[:10] if t.getConstraintDate() else None,
        "deadline": str(t.getDeadline())[:10] if t.getDeadline() else None,
        "baseline": [str(t.getBaselineStart())[:10], str(t.getBaselineFinish())[:10]] if t.getBaselineStart() else None,
        "parent": int(t.getParentTask().getUniqueID()) if t.getParentTask() and t.getParentTask().getUniqueID() != 0 else None,
        "links": [{"on": int(r.getPredecessorTask().getUniqueID()), "type": str(r.getType().name()),
                   "lag": float(r.getLag().getDuration()), "unit": str(r.getLag().getUnits().name())}
                  for r in t.getPredecessors()],
        "resources": [str(a.getResource().getName()) for a in t.getResourceAssignments() if a.getResource()],
    })
holidays = sorted({str(e.getFromDate()) + ".." + str(e.getToDate()) for e in read.getDefaultCalendar().getCalendarExceptions()})
with open(os.path.join(OUT, "mpxj-built.json"), "w") as f:
    json.dump({"tasks": tasks, "holidays": holidays,
               "resources": {str(r.getName()): float(str(r.getMaxUnits())) for r in read.getResources() if r.getName()}},
              f, indent=1, sort_keys=True)
print(f"wrote {xml} and mpxj-built.json: {len(tasks)} tasks")
