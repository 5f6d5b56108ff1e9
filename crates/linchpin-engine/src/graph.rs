//! The dependency graph over work items in a compact form: predecessor and
//! successor lists as flat arrays, nodes numbered in topological order.
//!
//! Cycles are values, never panics: [`DependencyGraph::build`] returns every
//! cycle it finds (one per knot of mutually dependent items) with its whole
//! path, so a user can see `A → B → C → A` and break it.

use linchpin_graph::Adjacency;
use linchpin_model::{ItemId, LinkKind, Program};

/// A link in the graph, seen from one end. `node` is a topological position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub node: u32,
    pub kind: LinkKind,
    pub lag: f64,
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

/// A set of items that wait on each other in a loop, as one closed path:
/// each item depends on the one before it, and the first on the last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub items: Vec<ItemId>,
}

impl DependencyGraph {
    /// Orders the items so that every predecessor comes before its successors.
    pub fn build(program: &Program) -> Result<Self, Vec<Cycle>> {
        let items = &program.items;
        let n = items.len();
        // Each item's `depends` already is its predecessor list; only the
        // successor lists (item space) need building.
        let edges = items
            .iter()
            .enumerate()
            .flat_map(|(succ, item)| item.depends.iter().map(move |d| (d.on.index() as u32, succ as u32)));
        let successors = Adjacency::from_edges(n, edges);
        let order = linchpin_graph::topological_order(&successors).map_err(|cycles| {
            cycles
                .into_iter()
                .map(|cycle| Cycle { items: cycle.nodes.into_iter().map(|v| ItemId::new(v as usize)).collect() })
                .collect::<Vec<_>>()
        })?;
        let mut position = vec![0u32; n];
        for (pos, &v) in order.iter().enumerate() {
            position[v as usize] = pos as u32;
        }
        let links = successors.edge_count();
        // Predecessor lists in node order, filled walking the items in their
        // own order: sequential reads of the (large) items, writes by node.
        let mut pred_offsets = vec![0u32; n + 1];
        for (v, item) in items.iter().enumerate() {
            pred_offsets[position[v] as usize + 1] = item.depends.len() as u32;
        }
        for i in 0..n {
            pred_offsets[i + 1] += pred_offsets[i];
        }
        let mut preds = vec![Link { node: 0, kind: LinkKind::FinishToStart, lag: 0.0 }; links];
        for (v, item) in items.iter().enumerate() {
            let at = pred_offsets[position[v] as usize] as usize;
            for (slot, d) in preds[at..at + item.depends.len()].iter_mut().zip(&item.depends) {
                *slot = Link { node: position[d.on.index()], kind: d.kind, lag: d.lag };
            }
        }
        // Successor lists by counting over the predecessor lists: flat arrays
        // only, no second walk through the items.
        let node_succ_offsets = linchpin_graph::offsets(n, preds.iter().map(|l| l.node));
        let mut fill = node_succ_offsets.clone();
        let mut succs = vec![Link { node: 0, kind: LinkKind::FinishToStart, lag: 0.0 }; links];
        for node in 0..n {
            for link in &preds[pred_offsets[node] as usize..pred_offsets[node + 1] as usize] {
                let slot = &mut fill[link.node as usize];
                succs[*slot as usize] = Link { node: node as u32, ..*link };
                *slot += 1;
            }
        }
        Ok(DependencyGraph {
            order: order.into_iter().map(|v| ItemId::new(v as usize)).collect(),
            position,
            pred_offsets,
            preds,
            succ_offsets: node_succ_offsets,
            succs,
        })
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

    /// A program of `n` items with finish-to-start links `(predecessor, successor)`.
    fn fs(n: usize, edges: &[(usize, usize)]) -> Program {
        let item =
            |i: usize| linchpin_model::WorkItem::new(format!("I{i}"), format!("I{i}"), linchpin_model::TeamId::new(0));
        let mut items: Vec<_> = (0..n).map(item).collect();
        for &(p, s) in edges {
            items[s].depends.push(linchpin_model::Dependency {
                on: ItemId::new(p),
                kind: LinkKind::FinishToStart,
                lag: 0.0,
            });
        }
        Program { items, ..Program::default() }
    }

    fn ids(cycle: &Cycle) -> Vec<usize> {
        cycle.items.iter().map(|i| i.index()).collect()
    }

    #[test]
    fn orders_predecessors_first() {
        let graph = DependencyGraph::build(&fs(4, &[(2, 0), (0, 1), (3, 1), (2, 3)])).expect("acyclic");
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

    #[test]
    fn reports_each_cycle_with_its_whole_path() {
        // 0 → 1 → 2 → 0 and a separate 3 → 4 → 3, plus 5 hanging off the first.
        let cycles =
            DependencyGraph::build(&fs(6, &[(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 5)])).expect_err("cyclic");
        let paths: Vec<Vec<usize>> = cycles.iter().map(ids).collect();
        assert_eq!(paths.len(), 2);
        assert!(paths.contains(&vec![0, 1, 2]));
        assert!(paths.contains(&vec![3, 4]));
    }

    #[test]
    fn a_self_loop_is_a_cycle() {
        let cycles = DependencyGraph::build(&fs(2, &[(1, 1)])).expect_err("cyclic");
        assert_eq!(cycles.iter().map(ids).collect::<Vec<_>>(), vec![vec![1]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let mut edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        edges.push((n - 1, 0));
        let cycles = DependencyGraph::build(&fs(n, &edges)).expect_err("cyclic");
        assert_eq!(cycles[0].items.len(), n);
    }
}
