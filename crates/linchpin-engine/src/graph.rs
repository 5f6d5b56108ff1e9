//! The dependency graph over work items in a compact form: predecessor and
//! successor lists as flat arrays, nodes numbered in topological order.
//!
//! A program has no dependency cycle (its resolver refused any, with the
//! whole loop), so the graph takes the program's topological order as its
//! node order.

use linchpin_model::{ItemId, LagUnit, LinkKind, Program};

/// A link in the graph, seen from one end. `node` is a topological position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub node: u32,
    pub kind: LinkKind,
    pub lag: f64,
    /// Whether the lag is in calendar days (finish-to-start links only).
    pub elapsed: bool,
}

/// Work items in topological order with their links as adjacency arrays.
#[derive(Clone, Debug)]
pub struct DependencyGraph {
    /// The item at each topological position.
    order: Vec<ItemId>,
    /// The topological position of each item, by item index.
    position: Vec<u32>,
    pred_offsets: Vec<u32>,
    preds: Vec<Link>,
    succ_offsets: Vec<u32>,
    succs: Vec<Link>,
}

impl DependencyGraph {
    /// The program's items in topological order, with their links.
    pub fn build(program: &Program) -> Self {
        let items = program.items();
        let n = items.len();
        let order = program.topological_order();
        let mut position = vec![0u32; n];
        for (pos, &v) in order.iter().enumerate() {
            position[v.index()] = pos as u32;
        }
        let links = items.iter().map(|i| i.depends.len()).sum();
        // Predecessor lists in node order, filled walking the items in their
        // own order: sequential reads of the (large) items, writes by node.
        let mut pred_offsets = vec![0u32; n + 1];
        for (v, item) in items.iter().enumerate() {
            pred_offsets[position[v] as usize + 1] = item.depends.len() as u32;
        }
        for i in 0..n {
            pred_offsets[i + 1] += pred_offsets[i];
        }
        let none = Link { node: 0, kind: LinkKind::FinishToStart, lag: 0.0, elapsed: false };
        let mut preds = vec![none; links];
        for (v, item) in items.iter().enumerate() {
            let at = pred_offsets[position[v] as usize] as usize;
            for (slot, d) in preds[at..at + item.depends.len()].iter_mut().zip(&item.depends) {
                let elapsed = d.lag_unit == LagUnit::CalendarDays && d.lag != 0.0;
                *slot = Link { node: position[d.on.index()], kind: d.kind, lag: d.lag, elapsed };
            }
        }
        // Successor lists by counting over the predecessor lists: flat arrays
        // only, no second walk through the items.
        let node_succ_offsets = linchpin_graph::offsets(n, preds.iter().map(|l| l.node));
        let mut fill = node_succ_offsets.clone();
        let mut succs = vec![none; links];
        for node in 0..n {
            for link in &preds[pred_offsets[node] as usize..pred_offsets[node + 1] as usize] {
                let slot = &mut fill[link.node as usize];
                succs[*slot as usize] = Link { node: node as u32, ..*link };
                *slot += 1;
            }
        }
        DependencyGraph { order: order.to_vec(), position, pred_offsets, preds, succ_offsets: node_succ_offsets, succs }
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The number of links.
    pub fn link_count(&self) -> usize {
        self.preds.len()
    }

    /// The item at a topological position.
    pub fn item(&self, node: u32) -> ItemId {
        self.order[node as usize]
    }

    /// The items in topological order.
    pub fn order(&self) -> &[ItemId] {
        &self.order
    }

    /// The topological position of an item.
    pub fn node(&self, item: ItemId) -> u32 {
        self.position[item.index()]
    }

    /// The links into `node` from its predecessors, whose positions are all lower.
    pub fn predecessors(&self, node: u32) -> &[Link] {
        let n = node as usize;
        &self.preds[self.pred_offsets[n] as usize..self.pred_offsets[n + 1] as usize]
    }

    /// The links out of `node` to its successors, whose positions are all higher.
    pub fn successors(&self, node: u32) -> &[Link] {
        let n = node as usize;
        &self.succs[self.succ_offsets[n] as usize..self.succ_offsets[n + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linchpin_model::doc::{DependencyDoc, ItemDoc, PlanDoc, ProgramDoc, TeamDoc};
    use linchpin_model::{Located, Origin};

    /// A program of `n` items with finish-to-start links `(predecessor, successor)`.
    fn fs(n: usize, edges: &[(usize, usize)]) -> Program {
        let at = |text: String| Located::unlocated(text);
        let mut items: Vec<ItemDoc> =
            (0..n).map(|i| ItemDoc::new(format!("I{i}"), "x", "t", Origin::Unknown)).collect();
        for &(p, s) in edges {
            items[s].depends.push(DependencyDoc::on(at(format!("I{p}"))));
        }
        let doc = PlanDoc {
            program: Some(ProgramDoc {
                name: at("t".into()),
                goal: None,
                start: Located::unlocated(chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")),
                status_date: None,
                calendar: None,
            }),
            teams: vec![TeamDoc {
                id: at("t".into()),
                name: None,
                lead: None,
                capacity: None,
                capacity_changes: vec![],
                holidays: vec![],
            }],
            items,
            ..PlanDoc::default()
        };
        linchpin_model::resolve(&[doc], Origin::Unknown).program.expect("acyclic")
    }

    #[test]
    fn orders_predecessors_first() {
        let graph = DependencyGraph::build(&fs(4, &[(2, 0), (0, 1), (3, 1), (2, 3)]));
        for node in 0..graph.len() as u32 {
            for link in graph.predecessors(node) {
                assert!(link.node < node);
            }
            for link in graph.successors(node) {
                assert!(link.node > node);
            }
        }
        assert_eq!(graph.link_count(), 4);
        assert_eq!(graph.item(0).index(), 2);
    }
}
