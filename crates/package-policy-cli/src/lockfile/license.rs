//! License texts from lockfiles and SBOMs → SPDX expressions the engine reads.
//!
//! Real SBOMs carry deprecated ids (`GPL-2.0`, `LGPL-3.0+`) and imprecise
//! names. They are read with the `spdx` crate's lax mode, which maps imprecise
//! names and a `+` on GNU ids to list ids, and a deprecated GNU id without `+`
//! becomes its `-only` id through the crate's `gnu_license_id` (the SPDX list
//! defines `GPL-2.0` as `GPL-2.0-only`). What still cannot be read is
//! reported, never guessed.

use spdx::expression::{ExprNode, Operator};
use spdx::{Expression, LicenseItem, ParseMode};

/// The canonical SPDX expression of `text`, or why it cannot be read (one line).
pub fn canonical(text: &str) -> Result<String, String> {
    let unreadable = |e: &dyn std::fmt::Display| {
        format!("license `{text}` is not an SPDX expression: {e}").replace(['\n', '\r'], " ")
    };
    let expr = Expression::parse_mode(text, ParseMode::LAX).map_err(|e| unreadable(&e))?;
    let mut stack: Vec<(String, bool)> = Vec::new();
    for node in expr.iter() {
        match node {
            ExprNode::Req(r) => {
                let mut req = r.req.clone();
                if let LicenseItem::Spdx { id, or_later } = &mut req.license {
                    if id.is_gnu() && id.is_deprecated() && !*or_later {
                        if let Some(only) = spdx::gnu_license_id(id.name, false) {
                            *id = only;
                        }
                    }
                    if id.is_deprecated() {
                        return Err(unreadable(&format_args!(
                            "`{}` is a deprecated id with no replacement",
                            id.name
                        )));
                    }
                }
                stack.push((req.to_string(), true));
            }
            ExprNode::Op(op) => {
                let (Some((b, b_atom)), Some((a, a_atom))) = (stack.pop(), stack.pop()) else {
                    return Err(unreadable(&"malformed expression"));
                };
                let word = if *op == Operator::And { "AND" } else { "OR" };
                let wrap = |s: String, atom: bool| if atom { s } else { format!("({s})") };
                stack.push((
                    format!("{} {word} {}", wrap(a, a_atom), wrap(b, b_atom)),
                    false,
                ));
            }
        }
    }
    match (stack.pop(), stack.is_empty()) {
        (Some((s, _)), true) => Ok(s),
        _ => Err(unreadable(&"malformed expression")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deprecated_and_imprecise_ids_read_as_the_list_defines_them() {
        let c = |t: &str| canonical(t).unwrap();
        assert_eq!(c("MIT"), "MIT");
        assert_eq!(c("GPL-2.0"), "GPL-2.0-only");
        assert_eq!(c("GPL-2.0+"), "GPL-2.0-or-later");
        assert_eq!(c("LGPL-2.1"), "LGPL-2.1-only");
        assert_eq!(c("LGPL-3.0+"), "LGPL-3.0-or-later");
        assert_eq!(
            c("MIT OR (Apache-2.0 AND BSD-3-Clause)"),
            "MIT OR (Apache-2.0 AND BSD-3-Clause)"
        );
        assert_eq!(
            c("GPL-2.0 WITH Classpath-exception-2.0"),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert_eq!(c("MIT/Apache-2.0"), "MIT OR Apache-2.0");
        assert_eq!(c("LicenseRef-Proprietary"), "LicenseRef-Proprietary");
        let e = canonical("Some Custom\nLicense").unwrap_err();
        assert!(!e.contains('\n'), "{e}");
    }
}
