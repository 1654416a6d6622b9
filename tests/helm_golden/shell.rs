//! Split a command line into words as a POSIX shell does, without globbing or expansion:
//! single quotes keep everything, double quotes keep everything but `\` before `"`, `\`,
//! `$`, `` ` `` and newline, a bare `\` quotes the next character.

pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(format!("unterminated single quote in {line:?}")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(format!("unterminated double quote in {line:?}")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(format!("unterminated double quote in {line:?}")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.push(c),
                    None => return Err(format!("trailing backslash in {line:?}")),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[test]
fn shell_words() {
    let w = split(r#"template ./chart --show-only 'templates/subdir/role*' --set '$x=true' a\ b "c \"d\" \$e \q" """#)
        .unwrap();
    assert_eq!(
        w,
        vec![
            "template",
            "./chart",
            "--show-only",
            "templates/subdir/role*",
            "--set",
            "$x=true",
            "a b",
            "c \"d\" $e \\q",
            ""
        ]
    );
    assert!(split("'open").is_err());
    assert_eq!(
        split("--name-template='foobar-{{ b64enc \"abc\" | lower }}-baz'").unwrap(),
        vec!["--name-template=foobar-{{ b64enc \"abc\" | lower }}-baz"]
    );
}
