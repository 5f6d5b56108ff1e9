//! PSPLIB's single-mode RCPSP format (`.sm`, Kolisch & Sprecher) and its
//! tables of optimal or best-known makespans. Pure text in, data out: the
//! caller reads the files.

use std::collections::HashMap;

use linchpin_model::LinkKind;

use super::{ActivitySpec, Capacity, Link, Problem, ProblemError};

/// Why an instance or a solutions table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PsplibError {
    #[error("no `{0}` section")]
    MissingSection(&'static str),
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
    #[error(transparent)]
    Problem(#[from] ProblemError),
}

fn numbers(line: &str) -> Vec<i64> {
    line.split_whitespace().filter_map(|t| t.parse().ok()).collect()
}

fn malformed(line: usize, message: impl Into<String>) -> PsplibError {
    PsplibError::Malformed { line: line + 1, message: message.into() }
}

/// Parses one `.sm` instance. Jobs are renumbered from 0; the dummy source
/// and sink are kept (zero duration, no demand).
pub fn parse(text: &str) -> Result<Problem, PsplibError> {
    let lines: Vec<&str> = text.lines().collect();
    let find = |header: &'static str| {
        lines.iter().position(|l| l.trim_start().starts_with(header)).ok_or(PsplibError::MissingSection(header))
    };
    let precedence = find("PRECEDENCE RELATIONS")?;
    let requests = find("REQUESTS/DURATIONS")?;
    let availability = find("RESOURCEAVAILABILITIES")?;

    let mut successors: Vec<Vec<usize>> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(precedence + 2) {
        if line.starts_with('*') {
            break;
        }
        let row = numbers(line);
        let [job, _modes, count, rest @ ..] = row.as_slice() else { continue };
        if usize::try_from(*count).ok() != Some(rest.len()) || usize::try_from(*job).ok() != Some(successors.len() + 1)
        {
            return Err(malformed(i, "a precedence row does not match its successor count or job number"));
        }
        // Jobs are numbered from 1: a successor 0 (or negative) names no job.
        let list: Option<Vec<usize>> =
            rest.iter().map(|&s| usize::try_from(s).ok().and_then(|s| s.checked_sub(1))).collect();
        successors.push(list.ok_or_else(|| malformed(i, "a successor is not a job number (jobs count from 1)"))?);
    }
    let n = successors.len();

    let mut durations = vec![0u32; n];
    let mut demands: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(requests + 3) {
        if line.starts_with('*') {
            break;
        }
        let row = numbers(line);
        let [job, _mode, duration, units @ ..] = row.as_slice() else { continue };
        let job = usize::try_from(*job)
            .ok()
            .and_then(|j| j.checked_sub(1))
            .filter(|&j| j < n)
            .ok_or_else(|| malformed(i, "unknown job"))?;
        let whole = |x: i64| u32::try_from(x).ok();
        let (Some(duration), Some(units)) =
            (whole(*duration), units.iter().map(|&u| whole(u)).collect::<Option<Vec<u32>>>())
        else {
            return Err(malformed(i, "a duration or request is negative or too large"));
        };
        durations[job] = duration;
        demands[job] = units.into_iter().enumerate().map(|(r, u)| (r as u32, u)).filter(|d| d.1 > 0).collect();
        seen += 1;
    }
    if seen != n {
        return Err(malformed(requests, format!("{seen} request rows for {n} jobs")));
    }
    let capacity: Vec<Capacity> = lines
        .get(availability + 2)
        .map(|l| numbers(l).into_iter().map(|u| Capacity::constant(u.clamp(0, u32::MAX as i64) as u32)).collect())
        .ok_or(PsplibError::MissingSection("RESOURCEAVAILABILITIES"))?;

    // PSPLIB numbers jobs topologically, but check rather than trust.
    let mut preds: Vec<Vec<Link>> = vec![Vec::new(); n];
    for (j, list) in successors.iter().enumerate() {
        for &s in list {
            if s <= j || s >= n {
                return Err(malformed(precedence, format!("job {} precedes job {}, out of order", j + 1, s + 1)));
            }
            preds[s].push(Link { other: j as u32, kind: LinkKind::FinishToStart, lag: 0, elapsed: false });
        }
    }
    let activities = (0..n)
        .map(|j| ActivitySpec {
            duration: durations[j],
            demands: std::mem::take(&mut demands[j]),
            preds: std::mem::take(&mut preds[j]),
            ..Default::default()
        })
        .collect();
    Ok(Problem::new(activities, capacity, vec![], 1)?)
}

/// Optimal or best-known makespans by instance file name (`j301_1.sm`).
#[derive(Clone, Debug, Default)]
pub struct Solutions {
    by_file: HashMap<String, u32>,
    by_parameter: HashMap<(u32, u32), u32>,
}

impl Solutions {
    /// Reads PSPLIB's own tables (`j30opt.sm`, `j60hrs.sm`, `j60lb.sm`: rows
    /// starting `parameter instance makespan`) or a CSV of `problem,optimum`
    /// where `a..b` means only bounds are known (the upper bound is used).
    pub fn parse(text: &str) -> Result<Self, PsplibError> {
        let mut solutions = Solutions::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if let Some((name, value)) = line.split_once(',')
                && (name == "problem" || name.trim().ends_with(".sm"))
            {
                if name == "problem" {
                    continue;
                }
                let upper = value.rsplit("..").next().unwrap_or(value).trim();
                let makespan = upper.parse().map_err(|_| malformed(i, format!("`{value}` is not a makespan")))?;
                solutions.by_file.insert(name.trim().to_owned(), makespan);
                continue;
            }
            let tokens: Vec<&str> = line.split_whitespace().collect();
            if let [par, inst, makespan, ..] = tokens.as_slice()
                && let (Ok(par), Ok(inst), Ok(makespan)) = (par.parse(), inst.parse(), makespan.parse())
            {
                solutions.by_parameter.insert((par, inst), makespan);
            }
        }
        if solutions.by_file.is_empty() && solutions.by_parameter.is_empty() {
            return Err(PsplibError::MissingSection("makespan rows"));
        }
        Ok(solutions)
    }

    /// The best known makespan for an instance file name.
    pub fn get(&self, file_name: &str) -> Option<u32> {
        if let Some(&m) = self.by_file.get(file_name) {
            return Some(m);
        }
        let stem = file_name.strip_suffix(".sm").unwrap_or(file_name);
        for set in ["j120", "j90", "j60", "j30"] {
            if let Some(rest) = stem.strip_prefix(set)
                && let Some((par, inst)) = rest.split_once('_')
                && let (Ok(par), Ok(inst)) = (par.parse(), inst.parse())
            {
                return self.by_parameter.get(&(par, inst)).copied();
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.by_file.len() + self.by_parameter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small instance in PSPLIB's layout: 4 real jobs between source and sink.
    pub const TINY: &str = "\
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           5
   4        1          1           6
   5        1          1           6
   6        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     2       2
  4      1     2       1
  5      1     4       1
  6      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    3
************************************************************************
";

    #[test]
    fn reads_an_instance() {
        let problem = parse(TINY).expect("valid");
        assert_eq!(problem.len(), 6);
        assert_eq!(problem.duration, vec![0, 3, 2, 2, 4, 0]);
        assert_eq!(problem.capacity, vec![Capacity::constant(3)]);
        assert_eq!(problem.critical_path_length(), 6);
    }

    #[test]
    fn reads_both_solution_tables() {
        let table = Solutions::parse("Par Inst Makespan\n1 1 43 0.30\n10 2 47 0.11\n").expect("table");
        assert_eq!(table.get("j301_1.sm"), Some(43));
        assert_eq!(table.get("j3010_2.sm"), Some(47));
        let csv = Solutions::parse("problem,optimum\nj1201_1.sm,104..105\nj601_1.sm,77\n").expect("csv");
        assert_eq!(csv.get("j1201_1.sm"), Some(105));
        assert_eq!(csv.get("j601_1.sm"), Some(77));
    }

    #[test]
    fn rejects_a_broken_instance() {
        assert!(parse("nothing here").is_err());
        let broken = TINY.replace("   2        1          1           4", "   2        1          2           4");
        assert!(matches!(parse(&broken), Err(PsplibError::Malformed { .. })));
    }

    #[test]
    fn a_successor_numbered_zero_is_malformed_not_a_panic() {
        for bad in ["0", "-3"] {
            let broken = TINY
                .replace("   2        1          1           4", &format!("   2        1          1           {bad}"));
            let error = parse(&broken).expect_err("job numbers start at 1");
            assert!(error.to_string().contains("not a job number"), "{error}");
        }
        let negative = TINY.replace("  2      1     3       2", "  2      1     -3       2");
        assert!(matches!(parse(&negative), Err(PsplibError::Malformed { .. })));
    }
}
