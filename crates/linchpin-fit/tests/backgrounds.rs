//! One resume per background, with the background, strengths and gaps
//! expected written here before the analysis was first run; tricky text;
//! three listings whose comparisons must differ where the listings do; and
//! every quote checked against the text it claims to come from.

use linchpin_fit::analysis::{Analysis, Confidence, Quote};
use linchpin_fit::evidence::{Discount, Kind};
use linchpin_fit::listing::{Comparison, Importance, Status};
use linchpin_fit::{Model, Options, analyse, compare, listing};

fn fixture(path: &str) -> String {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

const YEAR: Options = Options { this_year: Some(2024) };

/// What a resume is expected to show.
struct Expected {
    file: &'static str,
    background: &'static str,
    /// Skills at multi-team level (3) or above.
    strong: &'static [&'static str],
    /// Skills at least practised (2).
    practised: &'static [&'static str],
    /// Skills that must be among the gaps.
    gaps: &'static [&'static str],
}

const EXPECTED: &[Expected] = &[
    Expected {
        file: "resumes/senior-engineer.md",
        background: "senior-engineer",
        strong: &["system-design", "api-architecture", "cross-functional-leadership"],
        practised: &["leadership", "communication"],
        gaps: &["stakeholder-management", "risk-management"],
    },
    Expected {
        file: "resumes/engineering-manager.md",
        background: "engineering-manager",
        strong: &["leadership"],
        practised: &["stakeholder-management", "system-design"],
        gaps: &["risk-management"],
    },
    Expected {
        file: "resumes/project-manager.md",
        background: "project-manager",
        strong: &["project-management"],
        practised: &["risk-management", "stakeholder-management", "jira-confluence"],
        gaps: &["system-design", "api-architecture"],
    },
    Expected {
        file: "resumes/solutions-architect.md",
        background: "solutions-architect",
        strong: &["system-design", "api-architecture"],
        practised: &["communication"],
        gaps: &["project-management", "risk-management"],
    },
    Expected {
        file: "resumes/product-manager.md",
        background: "product-manager",
        // A roadmap for a product of 3 million users is one team's roadmap:
        // users measure what was built, not how widely it was planned.
        strong: &[],
        practised: &["roadmap-planning", "data-analysis", "stakeholder-management"],
        gaps: &["risk-management", "system-design"],
    },
    Expected {
        file: "resumes/scrum-master.md",
        background: "scrum-master",
        strong: &["agile"],
        practised: &["jira-confluence"],
        gaps: &["system-design", "api-architecture"],
    },
    Expected {
        file: "resumes/no-tpm.md",
        background: "other",
        strong: &[],
        practised: &[],
        gaps: &["system-design", "cross-functional-leadership", "stakeholder-management", "risk-management"],
    },
];

fn level(analysis: &Analysis, id: &str) -> u8 {
    analysis.skills.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no skill {id}")).level
}

/// Every quote must be the exact text at its offsets.
fn assert_verbatim(quote: &Quote, text: &str, what: &str) {
    assert_eq!(text.get(quote.start..quote.end), Some(quote.text.as_str()), "{what}: {quote:?}");
    assert!(!quote.text.trim().is_empty(), "{what}: empty quote");
}

fn assert_all_verbatim(analysis: &Analysis, text: &str) {
    for s in &analysis.skills {
        for e in &s.evidence {
            assert_verbatim(&e.quote, text, &s.id);
        }
        assert_eq!(s.evidence.is_empty(), s.level == 0, "{}: a score without evidence", s.id);
        assert_eq!(s.confidence == Confidence::None, s.level == 0, "{}", s.id);
    }
    for q in &analysis.background.evidence {
        assert_verbatim(q, text, "background");
    }
    for a in &analysis.set_aside {
        assert_verbatim(&a.quote, text, "set aside");
    }
}

fn assert_comparison_verbatim(c: &Comparison, resume: &str, listing: &str) {
    for p in &c.points {
        for q in &p.asks {
            assert_verbatim(q, listing, &p.what);
        }
        if let Some(q) = &p.evidence {
            assert_verbatim(q, resume, &p.what);
        }
    }
}

#[test]
fn each_background_is_recognised_with_its_strengths_and_gaps() {
    let model = Model::default_model();
    let mut failures = Vec::new();
    for e in EXPECTED {
        let text = fixture(e.file);
        let a = analyse(&model, &text, YEAR);
        assert_all_verbatim(&a, &text);
        if a.background.id != e.background {
            failures.push(format!(
                "{}: background {} ({:?}), expected {}",
                e.file, a.background.id, a.background.scores, e.background
            ));
        }
        for s in e.strong {
            if level(&a, s) < 3 {
                failures.push(format!("{}: {s} at level {}, expected 3 or more", e.file, level(&a, s)));
            }
        }
        for s in e.practised {
            if level(&a, s) < 2 {
                failures.push(format!("{}: {s} at level {}, expected 2 or more", e.file, level(&a, s)));
            }
        }
        for g in e.gaps {
            if !a.gaps.iter().any(|gap| gap.skill == *g) {
                failures.push(format!("{}: {g} is not a gap (level {})", e.file, level(&a, g)));
            }
        }
        for gap in &a.gaps {
            assert!(!gap.ways.is_empty(), "{}: {} has no way to close it", e.file, gap.skill);
        }
        if e.background != "other" {
            assert!(!a.background.evidence.is_empty(), "{}: no quote shows the background", e.file);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn gaps_come_heaviest_first() {
    let model = Model::default_model();
    let a = analyse(&model, &fixture("resumes/no-tpm.md"), YEAR);
    let weights: Vec<u8> = a.gaps.iter().map(|g| g.weight).collect();
    assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
    assert_eq!(a.gaps.len(), model.target().needs.len(), "nothing of the role is shown");
}

#[test]
fn a_resume_with_no_tpm_evidence_gets_low_scores_and_a_plan() {
    let model = Model::default_model();
    let text = fixture("resumes/no-tpm.md");
    let a = analyse(&model, &text, YEAR);
    assert!(a.roles[0].fit < 0.25, "{}", a.roles[0].fit);
    assert_eq!(a.background.id, "other");
    assert!(!a.background.advice.is_empty());
    assert_eq!(level(&a, "jira-confluence"), 0, "a wish to learn Jira is not Jira");
    assert_eq!(level(&a, "agile"), 0);
    assert_eq!(level(&a, "project-management"), 0, "\"no experience with project management\"");
    let whys: Vec<Discount> = a.set_aside.iter().map(|s| s.why).collect();
    assert!(whys.contains(&Discount::Negated) && whys.contains(&Discount::Wish), "{whys:?}");
}

#[test]
fn the_scale_of_the_work_sets_the_level() {
    let model = Model::default_model();
    let small = analyse(&model, "Coordinated the launch with the design team.", YEAR);
    let two = analyse(&model, "Coordinated a two-team integration.", YEAR);
    let wide = analyse(&model, "Coordinated a company-wide platform migration.", YEAR);
    assert_eq!(level(&small, "cross-functional-leadership"), 2);
    assert_eq!(level(&two, "cross-functional-leadership"), 3);
    assert_eq!(level(&wide, "cross-functional-leadership"), 4);
    let scale = &wide.skills.iter().find(|s| s.id == "cross-functional-leadership").expect("skill").evidence[0].signals;
    assert_eq!(scale[0].said, "company-wide");
}

#[test]
fn tricky_text() {
    let model = Model::default_model();
    // A skill only in a job title is weak.
    let text = "Risk Manager, Acme Insurance (2019 – 2021)\nAnswered phones.";
    let a = analyse(&model, text, YEAR);
    let risk = a.skills.iter().find(|s| s.id == "risk-management").expect("skill");
    assert_eq!((risk.level, risk.confidence, risk.evidence[0].kind), (1, Confidence::Low, Kind::Title));

    // A bullet without a verb still says what was done, and at what scale.
    let text = "- Dependency tracking for 6 teams\n- Jira";
    let a = analyse(&model, text, YEAR);
    assert_eq!(level(&a, "risk-management"), 4);

    // Negations and wishes are set aside.
    let text = "No experience with risk registers or stakeholder management.\nHoping to learn system design next year.";
    let a = analyse(&model, text, YEAR);
    for id in ["risk-management", "stakeholder-management", "system-design"] {
        assert_eq!(level(&a, id), 0, "{id}");
    }
    assert_eq!(a.set_aside.len(), 3, "{:?}", a.set_aside);
    assert_all_verbatim(&a, text);

    // Other scripts and accents: quotes stay exact, words still match.
    let text = "Koordinierte die Migration für 12 Teams in São Paulo & Zürich.\n- Ran the weekly dependency review for the 支払い (payments) team.\n- Led the Ærø rollout.";
    let a = analyse(&model, text, YEAR);
    assert_all_verbatim(&a, text);
    assert!(level(&a, "risk-management") >= 2);
    assert_eq!(level(&a, "cross-functional-leadership"), 4, "\"Migration\" counts, and 12 \"Teams\" set the scale");
}

#[test]
fn listings_are_read_and_compared_where_they_differ() {
    let model = Model::default_model();
    let large_text = fixture("listings/tpm-large-company.md");
    let startup_text = fixture("listings/tpm-startup.md");
    let pm_text = fixture("listings/project-manager-role.md");
    let large = listing(&model, &large_text);
    let startup = listing(&model, &startup_text);
    let pm = listing(&model, &pm_text);

    let importance = |l: &linchpin_fit::listing::Listing, id: &str| {
        l.requirements.iter().find(|r| r.skill == id).map(|r| r.importance)
    };
    let asked =
        |l: &linchpin_fit::listing::Listing, id: &str| l.requirements.iter().find(|r| r.skill == id).map(|r| r.level);
    // System design: required at the large company, not asked by the project manager role.
    assert_eq!(importance(&large, "system-design"), Some(Importance::Required));
    assert_eq!(importance(&pm, "system-design"), None);
    // Agile: required at the startup, not at the large company.
    assert_eq!(importance(&startup, "agile"), Some(Importance::Required));
    assert_eq!(importance(&large, "agile"), None);
    // Adaptability: the startup requires it; the large company's benefits section does not count.
    assert_eq!(importance(&startup, "adaptability"), Some(Importance::Required));
    assert_eq!(importance(&large, "adaptability"), None);
    // Cross-functional leadership at the large company is organisation-wide.
    assert_eq!(asked(&large, "cross-functional-leadership"), Some(4));
    // Preferred is preferred.
    assert_eq!(importance(&large, "jira-confluence"), Some(Importance::Preferred));
    assert_eq!(importance(&pm, "project-management"), Some(Importance::Required));
    // Years asked.
    let years = |l: &linchpin_fit::listing::Listing| l.years.as_ref().map(|y| y.years);
    assert_eq!((years(&large), years(&startup), years(&pm)), (Some(8), Some(3), Some(5)));
    // What they read like.
    assert_eq!(large.reads_like.as_deref(), Some("technical-program-manager"));
    assert_eq!(pm.reads_like.as_deref(), Some("project-manager"));
    let empty = listing(&model, "Barista wanted\nMust love coffee.");
    assert!(empty.requirements.is_empty() && empty.reads_like.is_none());
    let c = compare(&model, &analyse(&model, "Led 3 teams.", YEAR), empty);
    assert_eq!((c.fit, c.points.len()), (0.0, 0));
    assert!(c.summary.contains("nothing to compare"), "{}", c.summary);

    // The same resumes against the three listings.
    let engineer_text = fixture("resumes/senior-engineer.md");
    let pm_resume_text = fixture("resumes/project-manager.md");
    let engineer = analyse(&model, &engineer_text, YEAR);
    let project_manager = analyse(&model, &pm_resume_text, YEAR);
    let fit = |a: &Analysis, l: &linchpin_fit::listing::Listing, resume: &str, text: &str| {
        let c = compare(&model, a, l.clone());
        assert_comparison_verbatim(&c, resume, text);
        c
    };
    let e_large = fit(&engineer, &large, &engineer_text, &large_text);
    let e_pm = fit(&engineer, &pm, &engineer_text, &pm_text);
    let p_large = fit(&project_manager, &large, &pm_resume_text, &large_text);
    let p_pm = fit(&project_manager, &pm, &pm_resume_text, &pm_text);
    assert!(e_large.fit > e_pm.fit, "the engineer fits the TPM role better: {} vs {}", e_large.summary, e_pm.summary);
    assert!(
        p_pm.fit > p_large.fit,
        "the project manager fits the PM role better: {} vs {}",
        p_pm.summary,
        p_large.summary
    );
    let status = |c: &Comparison, what: &str| c.points.iter().find(|p| p.what == what).map(|p| p.status);
    assert_eq!(status(&e_large, "system-design"), Some(Status::Met));
    assert_eq!(status(&p_large, "system-design"), Some(Status::Missing));
    assert_eq!(status(&p_pm, "project-management"), Some(Status::Met));
    assert_eq!(status(&e_large, "years"), Some(Status::Met), "2014 – 2024 is ten years");
    // Twelve years in a kitchen are not five years of managing projects.
    let chef_text = fixture("resumes/no-tpm.md");
    let chef = fit(&analyse(&model, &chef_text, YEAR), &pm, &chef_text, &pm_text);
    assert_eq!(status(&chef, "years"), Some(Status::Missing), "{}", chef.summary);
    for c in [&e_large, &e_pm, &p_large, &p_pm] {
        assert!(c.summary.contains(" of "), "{}", c.summary);
        // Points come most important first.
        assert!(c.points.windows(2).all(|w| w[0].importance >= w[1].importance));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the text (bullets, numbers, currency, dates, other scripts,
    /// control characters), the analysis and a comparison quote only what
    /// is there, at its offsets.
    #[test]
    fn any_text_is_quoted_verbatim(
        text in "([-•#|\t\n .,;:()$€0-9A-Za-zéüß支払\u{1b}\u{202e}]|Led |teams |risk register |no |want to |years |2019 – 2024|company-wide |Requirements\n){0,80}"
    ) {
        let model = Model::default_model();
        let a = analyse(&model, &text, YEAR);
        assert_all_verbatim(&a, &text);
        let c = compare(&model, &a, listing(&model, &text));
        assert_comparison_verbatim(&c, &text, &text);
        proptest::prop_assert!((0.0..=1.0).contains(&c.fit));
        proptest::prop_assert!(a.roles.iter().all(|r| (0.0..=1.0).contains(&r.fit)));
    }
}

#[test]
fn a_tie_goes_to_the_most_recent_title() {
    // ENGINEERING MANAGER (2018 – 2024) ties with the earlier SENIOR
    // BACKEND ENGINEER (2014 – 2018) on points; the current title decides,
    // and rewording a bullet must not flip it.
    let model = Model::default_model();
    let text = fixture("resumes/engineering-manager-caps.txt");
    let a = analyse(&model, &text, YEAR);
    assert_eq!(a.background.id, "engineering-manager", "{:?}", a.background.scores);
    let reworded = text.replace("Built the metrics", "Created the metrics");
    assert_eq!(analyse(&model, &reworded, YEAR).background.id, "engineering-manager");
}

#[test]
fn a_listing_with_plain_headings_is_read_by_section() {
    let model = Model::default_model();
    let l = listing(&model, &fixture("listings/tpm-plain-headings.txt"));
    let importance = |id: &str| l.requirements.iter().find(|r| r.skill == id).map(|r| r.importance);
    assert_eq!(importance("jira-confluence"), Some(Importance::Responsibility), "{:?}", l.requirements);
    assert_eq!(importance("data-analysis"), Some(Importance::Preferred));
    let years = l.years.as_ref().expect("2+ years is asked");
    assert_eq!((years.years, years.importance), (2, Importance::Required));
    assert_eq!(importance("adaptability").map(|_| ()), Some(()));
    assert!(
        l.requirements.iter().find(|r| r.skill == "adaptability").is_some_and(|r| r.level == 2),
        "the years asked are not the skill's scale: {:?}",
        l.requirements
    );
}
