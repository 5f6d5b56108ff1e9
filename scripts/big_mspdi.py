#!/usr/bin/env python3
"""Writes a large MS Project XML file the way MS Project fills one: most of
its size is each task's timephased data (a <TimephasedData> per day of
work), which an import has no use for. For measuring that
`linchpin import mspdi` reads such a file in bounded memory.

    python3 scripts/big_mspdi.py TASKS OUT.xml [--days-of-timephased 60]

Tasks are in chains of ten finish-to-start links, under a summary task
per hundred, each assigned to one of twenty resources.
"""
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("tasks", type=int)
parser.add_argument("out")
parser.add_argument("--days-of-timephased", type=int, default=60)
args = parser.parse_args()
with open(args.out, "w") as out:
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n')
    w("<SaveVersion>14</SaveVersion><Name>Big</Name><StartDate>2027-01-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>\n")
    w("<MinutesPerDay>480</MinutesPerDay>\n<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>")
    w("<WeekDays>")
    for d in range(1, 8):
        w(f"<WeekDay><DayType>{d}</DayType><DayWorking>{0 if d in (1, 7) else 1}</DayWorking></WeekDay>")
    w("</WeekDays></Calendar></Calendars>\n<Tasks>\n")
    uid = 0
    for t in range(args.tasks):
        if t % 100 == 0:
            uid += 1
            w(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Phase {t // 100}</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>\n")
        uid += 1
        w(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task number {t} of the big plan</Name><OutlineLevel>2</OutlineLevel>")
        w("<Duration>PT40H0M0S</Duration><DurationFormat>7</DurationFormat><Summary>0</Summary>")
        if t % 10:
            w(f"<PredecessorLink><PredecessorUID>{uid - 1}</PredecessorUID><Type>1</Type><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>")
        for day in range(args.days_of_timephased):
            w(f"<TimephasedData><Type>11</Type><UID>{uid}</UID><Start>2027-01-{4 + day % 20:02d}T08:00:00</Start>"
              f"<Finish>2027-01-{4 + day % 20:02d}T17:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>")
        w("</Task>\n")
    w("</Tasks>\n<Resources>")
    for r in range(20):
        w(f"<Resource><UID>{r + 1}</UID><ID>{r + 1}</ID><Name>Team {r}</Name><Type>1</Type><MaxUnits>3</MaxUnits></Resource>")
    w("</Resources>\n<Assignments>")
    uid = 0
    for t in range(args.tasks):
        if t % 100 == 0:
            uid += 1
        uid += 1
        w(f"<Assignment><UID>{t + 1}</UID><TaskUID>{uid}</TaskUID><ResourceUID>{t % 20 + 1}</ResourceUID><Units>1</Units></Assignment>")
    w("</Assignments>\n</Project>\n")
