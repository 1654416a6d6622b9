use kspm_gotmpl::Value;
fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p)
        }
    }
}
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Map(m) => {
            for (_, x) in m.borrow().entries.iter() {
                strings(x, out)
            }
        }
        Value::List(l) => {
            for x in &l.items {
                strings(x, out)
            }
        }
        Value::String(s) if s.contains('\n') => out.push(s.to_string()),
        _ => {}
    }
}
fn main() {
    let root = std::path::Path::new(&std::env::args().nth(1).unwrap()).to_path_buf();
    let mut files = vec![];
    walk(&root, &mut files);
    let (mut ok, mut bad) = (0, 0);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for doc in text.split("\n---\n") {
            let Ok(v) = kspm_godata::yaml::unmarshal(doc) else {
                continue;
            };
            let mut ss = vec![];
            strings(&v, &mut ss);
            for s in ss {
                let Ok(inner) = kspm_godata::yaml::unmarshal(&s) else {
                    continue;
                };
                if !matches!(inner, Value::Map(_)) {
                    continue;
                }
                let again = kspm_godata::yaml::marshal(&inner).unwrap();
                if again == s {
                    ok += 1
                } else {
                    bad += 1;
                    let a: Vec<&str> = s.lines().collect();
                    let b: Vec<&str> = again.lines().collect();
                    let i = (0..a.len().min(b.len()))
                        .find(|&i| a[i] != b[i])
                        .unwrap_or(a.len().min(b.len()));
                    println!(
                        "DIFF {} line {}:\n  want {:?}\n  got  {:?}",
                        f.display(),
                        i,
                        a.get(i),
                        b.get(i)
                    );
                }
            }
        }
    }
    println!("ok {ok} bad {bad}");
}
