//! SPDX license ids (rules) and expressions (requests), via the `spdx` crate.
//!
//! Ids are compared as entries of the SPDX license list (`spdx::LicenseId`),
//! by their canonical short name. `WITH` exceptions are ignored when matching:
//! a rule names licenses, and `GPL-2.0-only WITH Classpath-exception-2.0` is
//! still a GPL-2.0-only license. `LicenseRef-*` items never equal a listed id.

/// A license id of a rule: the canonical SPDX short name.
pub(crate) fn parse_id(text: &str) -> Result<&'static str, String> {
    if text.ends_with('+') {
        return Err(format!(
            "`{text}`: give a plain SPDX license id (use the `-or-later` id where one exists)"
        ));
    }
    match spdx::license_id(text) {
        Some(id) if id.name == text => Ok(id.name),
        _ => Err(format!("`{text}` is not an SPDX license id")),
    }
}

/// A request's SPDX expression in postfix form, with listed ids resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LicenseExpr {
    text: String,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Node {
    /// A license of the SPDX list (canonical short name).
    Id(&'static str),
    /// `LicenseRef-...`: never one of a rule's ids.
    Other,
    And,
    Or,
}

impl LicenseExpr {
    /// Parses a strict SPDX expression.
    pub(crate) fn parse(text: &str) -> Result<LicenseExpr, String> {
        let expr = spdx::Expression::parse(text).map_err(|e| e.to_string())?;
        let nodes = expr
            .iter()
            .map(|n| match n {
                spdx::expression::ExprNode::Req(r) => match &r.req.license {
                    spdx::LicenseItem::Spdx { id, .. } => Node::Id(id.name),
                    spdx::LicenseItem::Other(_) => Node::Other,
                },
                spdx::expression::ExprNode::Op(spdx::expression::Operator::And) => Node::And,
                spdx::expression::ExprNode::Op(spdx::expression::Operator::Or) => Node::Or,
            })
            .collect();
        Ok(LicenseExpr {
            text: text.to_owned(),
            nodes,
        })
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the expression names any of `ids`.
    pub(crate) fn names_any(&self, ids: &[&'static str]) -> bool {
        self.nodes
            .iter()
            .any(|n| matches!(n, Node::Id(id) if ids.contains(id)))
    }

    /// True when the expression can be satisfied choosing only licenses in `ids`.
    pub(crate) fn satisfiable_with(&self, ids: &[&'static str]) -> bool {
        let mut stack: smallvec::SmallVec<[bool; 8]> = smallvec::SmallVec::new();
        for n in &self.nodes {
            match n {
                Node::Id(id) => stack.push(ids.contains(id)),
                Node::Other => stack.push(false),
                Node::And | Node::Or => {
                    let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                        return false;
                    };
                    stack.push(if *n == Node::And { a && b } else { a || b });
                }
            }
        }
        stack.pop().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_exact_spdx_ids() {
        assert_eq!(parse_id("MIT"), Ok("MIT"));
        assert!(parse_id("mit").is_err());
        assert!(parse_id("GPL-2.0+").is_err());
        assert!(parse_id("Not-A-License").is_err());
    }

    #[test]
    fn satisfiability() {
        let e = LicenseExpr::parse("MIT OR (GPL-3.0-only AND Apache-2.0)").unwrap();
        assert!(e.names_any(&["Apache-2.0"]));
        assert!(!e.names_any(&["BSD-3-Clause"]));
        assert!(e.satisfiable_with(&["MIT"]));
        assert!(!e.satisfiable_with(&["GPL-3.0-only"]));
        assert!(e.satisfiable_with(&["GPL-3.0-only", "Apache-2.0"]));
        let w = LicenseExpr::parse("GPL-2.0-only WITH Classpath-exception-2.0").unwrap();
        assert!(w.names_any(&["GPL-2.0-only"]));
        assert!(LicenseExpr::parse("MIT/Apache-2.0").is_err());
        let r = LicenseExpr::parse("LicenseRef-Proprietary").unwrap();
        assert!(!r.satisfiable_with(&["MIT"]));
    }
}
