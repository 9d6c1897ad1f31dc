//! The rule every chapter keeps: as written it runs to its end; each variant breaks exactly the
//! step it names, with the error it names, and nothing before it.

use super::model::Chapter;

/// Checks one chapter; the error says what went wrong, for a test's failure message.
pub fn check(chapter: &Chapter) -> Result<(), String> {
    let id = chapter.id;
    if !(1..=12).contains(&chapter.section) {
        return Err(format!("{id}: section {} is not one of the digest's 1–12", chapter.section));
    }
    let steps = (chapter.run)(None);
    if steps.len() < 2 {
        return Err(format!("{id}: a chapter has at least two steps, this one ran {}", steps.len()));
    }
    if let Some(bad) = steps.iter().find(|s| !s.as_written()) {
        return Err(format!("{id}: step `{}` did not go as written: {:?}", bad.id, bad.result));
    }
    for variant in &chapter.variants {
        let run = (chapter.run)(Some(variant.id));
        let Some(at) = run.iter().position(|s| s.id == variant.fails_at) else {
            return Err(format!("{id}/{}: the run never reached step `{}`", variant.id, variant.fails_at));
        };
        if let Some(bad) = run.iter().take(at).find(|s| !s.as_written()) {
            return Err(format!(
                "{id}/{}: step `{}` failed before `{}`: {:?}",
                variant.id, bad.id, variant.fails_at, bad.result
            ));
        }
        match run.get(at).map(|s| &s.result) {
            Some(Err(e)) if e.code == variant.error => {}
            other => {
                return Err(format!(
                    "{id}/{}: step `{}` should fail with {}, got {other:?}",
                    variant.id, variant.fails_at, variant.error
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::all;
    use super::check;

    #[test]
    fn every_chapter_runs_as_written_and_every_variant_breaks_its_step() {
        let chapters = all();
        let mut ids = std::collections::BTreeSet::new();
        for chapter in &chapters {
            assert!(ids.insert(chapter.id), "chapter id {} twice", chapter.id);
            assert!(
                chapter.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "chapter id {} is not URL-safe",
                chapter.id
            );
            if let Err(e) = check(chapter) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn every_section_of_the_notes_has_a_chapter() {
        let chapters = all();
        for section in 1..=12 {
            assert!(chapters.iter().any(|c| c.section == section), "no chapter for §{section}");
        }
    }
}
