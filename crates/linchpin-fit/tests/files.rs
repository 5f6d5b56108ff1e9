//! PDF and DOCX resumes (made by scripts/fit_fixtures.py): tables, two
//! columns, and malformed files, each a clear error.

use linchpin_fit::extract::{ExtractError, Format, extract};
use linchpin_fit::{Model, Options, analyse};

fn file(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/files/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn level(a: &linchpin_fit::Analysis, id: &str) -> u8 {
    a.skills.iter().find(|s| s.id == id).map_or(0, |s| s.level)
}

/// Every quote is the text at its offsets in the extracted text.
fn verbatim(a: &linchpin_fit::Analysis, text: &str) {
    for s in &a.skills {
        for e in &s.evidence {
            assert_eq!(text.get(e.quote.start..e.quote.end), Some(e.quote.text.as_str()), "{}", s.id);
        }
    }
    for q in &a.background.evidence {
        assert_eq!(text.get(q.start..q.end), Some(q.text.as_str()));
    }
}

#[test]
fn a_pdf_with_a_table_reads_each_cell() {
    let e = extract(&file("resume-table.pdf")).expect("reads");
    assert_eq!(e.format, Format::Pdf);
    let model = Model::default_model();
    let a = analyse(&model, &e.text, Options { this_year: Some(2024) });
    verbatim(&a, &e.text);
    assert!(e.text.contains("Dana Novák"), "non-ASCII survives: {}", e.text);
    assert_eq!(a.background.id, "senior-engineer", "{}", e.text);
    // The table's cells: "Ran the weekly dependency review." is risk management.
    let risk = a.skills.iter().find(|s| s.id == "risk-management").expect("skill");
    assert!(risk.evidence.iter().any(|q| q.quote.text.contains("dependency review")), "{}", e.text);
    assert!(level(&a, "system-design") >= 2, "{}", e.text);
    assert_eq!(level(&a, "cross-functional-leadership"), 4, "30 services across 5 teams: {}", e.text);
}

#[test]
fn a_two_column_pdf_keeps_its_columns_apart() {
    let e = extract(&file("resume-two-columns.pdf")).expect("reads");
    let model = Model::default_model();
    let a = analyse(&model, &e.text, Options { this_year: Some(2024) });
    verbatim(&a, &e.text);
    assert_eq!(a.background.id, "engineering-manager", "{}", e.text);
    // A sentence of the right column is whole, not interleaved with the left.
    let risk = a.skills.iter().find(|s| s.id == "risk-management").expect("skill");
    assert!(
        risk.evidence.iter().any(|q| q.quote.text.split_whitespace().collect::<Vec<_>>().join(" ")
            == "Kept the risk register for the data platform launch with 3 teams."),
        "{:?}\n{}",
        risk.evidence,
        e.text
    );
    assert_eq!(level(&a, "risk-management"), 3);
    assert!(level(&a, "jira-confluence") == 1, "the left column's skills list is named only");
}

#[test]
fn a_docx_with_a_table_reads_each_cell() {
    let e = extract(&file("resume-table.docx")).expect("reads");
    assert_eq!(e.format, Format::Docx);
    let model = Model::default_model();
    let a = analyse(&model, &e.text, Options { this_year: Some(2024) });
    verbatim(&a, &e.text);
    assert!(e.text.contains("Ines García"));
    assert_eq!(a.background.id, "project-manager", "{}", e.text);
    assert_eq!(level(&a, "risk-management"), 3, "the RAID log with 4 teams, in a cell: {}", e.text);
    // A budget, however large, is one project's: multi-team at most.
    assert_eq!(level(&a, "project-management"), 3, "a $2M budget");
    assert_eq!(level(&a, "system-design"), 0, "\"no experience with system design\"");
    assert!(a.set_aside.iter().any(|s| s.skill == "system-design"));
}

#[test]
fn malformed_files_are_clear_errors() {
    assert!(matches!(extract(&file("truncated.pdf")), Err(ExtractError::BadPdf(_))));
    assert!(matches!(extract(&file("encrypted.pdf")), Err(ExtractError::Encrypted)));
    // One byte changed, and pdf-extract indexes past the end of an array:
    // the panic is caught and the PDF reported as unreadable.
    match extract(&file("panics.pdf")) {
        Err(ExtractError::BadPdf(why)) => assert!(why.contains("index out of bounds"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(extract(&file("bomb.docx")), Err(ExtractError::ZipBomb(_))));
    // 40 KiB of PDF whose page inflates to 40 MiB.
    assert!(matches!(extract(&file("bomb.pdf")), Err(ExtractError::PdfBomb(_))));
    // A page with a 30 MiB image reads: images are never inflated.
    let e = extract(&file("large-image.pdf")).expect("reads past the image");
    assert!(e.text.contains("Led 3 teams."), "{}", e.text);
    // An object stream the PDF library would inflate as it loads the file.
    assert!(matches!(extract(&file("bomb-object-stream.pdf")), Err(ExtractError::PdfBomb(_))));
    // The archive claims the part is 1,000 bytes; it is 40 MiB.
    assert!(matches!(extract(&file("bomb-lying.docx")), Err(ExtractError::BadDocx(_) | ExtractError::ZipBomb(_))));
    assert!(matches!(extract(&file("xxe.docx")), Err(ExtractError::Doctype(_))));
    // Every prefix of a good PDF is an error or text, never a panic.
    let pdf = file("resume-table.pdf");
    for cut in (0..pdf.len()).step_by(97) {
        let _ = extract(&pdf[..cut]);
    }
    // Every prefix of a good DOCX likewise.
    let docx = file("resume-table.docx");
    for cut in (0..docx.len()).step_by(997) {
        let _ = extract(&docx[..cut]);
    }
}

#[test]
fn a_two_column_pdf_whose_columns_share_baselines_is_read_column_by_column() {
    // reportlab drawString at x=50 (skills) and x=200 (experience), row by row.
    let e = extract(&file("two-columns-shared-rows.pdf")).expect("reads");
    assert!(e.text.contains("Ran PI planning for 9 teams (about 80 people) every quarter."), "{}", e.text);
    assert!(!e.text.contains("Kanban Ran"), "the columns are not merged: {}", e.text);
    let skills = e.text.find("SKILLS").expect("left column");
    let kanban = e.text.find("Kanban").expect("left column");
    let experience = e.text.find("EXPERIENCE").expect("right column");
    assert!(skills < kanban && kanban < experience, "the left column first, top to bottom: {}", e.text);
    let model = Model::default_model();
    let a = analyse(&model, &e.text, Options { this_year: Some(2024) });
    verbatim(&a, &e.text);
    assert_eq!(a.background.id, "scrum-master");
    assert_eq!(level(&a, "agile"), 4, "PI planning for 9 teams, under EXPERIENCE, is work: {}", e.text);
    assert_eq!(level(&a, "jira-confluence"), 1, "the skills column is a list");
}
