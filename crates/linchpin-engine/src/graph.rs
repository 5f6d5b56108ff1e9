//! The dependency graph over work items in a compact form: predecessor and
//! successor lists as flat arrays, nodes numbered in topological order.
//!
//! Cycles are values, never panics: [`DependencyGraph::build`] returns every
//! cycle it finds (one per knot of mutually dependent items) with its whole
//! path, so a user can see `A → B → C → A` and break it.

use std::collections::VecDeque;

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
        // successor lists (item space) need building, by counting.
        let succ_offsets = offsets(n, items.iter().flat_map(|i| i.depends.iter().map(|d| d.on.index() as u32)));
        let mut fill = succ_offsets.clone();
        let mut succ_items = vec![0u32; *succ_offsets.last().unwrap_or(&0) as usize];
        for (succ, item) in items.iter().enumerate() {
            for d in &item.depends {
                let slot = &mut fill[d.on.index()];
                succ_items[*slot as usize] = succ as u32;
                *slot += 1;
            }
        }
        let mut in_degree: Vec<u32> = items.iter().map(|i| i.depends.len() as u32).collect();
        let order = kahn(&succ_offsets, &succ_items, &mut in_degree);
        if order.len() < n {
            let stuck: Vec<bool> = in_degree.iter().map(|&d| d > 0).collect();
            return Err(find_cycles(&succ_offsets, &succ_items, &stuck));
        }
        let mut position = vec![0u32; n];
        for (pos, &v) in order.iter().enumerate() {
            position[v as usize] = pos as u32;
        }
        let links = succ_items.len();
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
        let node_succ_offsets = offsets(n, preds.iter().map(|l| l.node));
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

    /// Only checks for cycles (no graph is kept): Kahn's algorithm over
    /// compact `(predecessor, successor)` pairs, then the knots it could not
    /// order. Cheaper than [`Self::build`] for a loader that only needs
    /// to know the plan is acyclic.
    pub fn cycles(node_count: usize, edges: &[(u32, u32)]) -> Vec<Cycle> {
        // Plans are often written in dependency order: when every link points
        // forward, that order is topological and there is nothing to find.
        if edges.iter().all(|&(p, s)| p < s) {
            return Vec::new();
        }
        let (succ_offsets, succ_targets) = csr(node_count, edges.iter().map(|&(p, s)| (p as usize, s as usize)));
        let mut in_degree = vec![0u32; node_count];
        for &(_, s) in edges {
            in_degree[s as usize] += 1;
        }
        if kahn(&succ_offsets, &succ_targets, &mut in_degree).len() == node_count {
            return Vec::new();
        }
        let stuck: Vec<bool> = in_degree.iter().map(|&d| d > 0).collect();
        find_cycles(&succ_offsets, &succ_targets, &stuck)
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

/// Kahn's algorithm over compressed successor lists: the nodes in a
/// topological order. Nodes on or behind a cycle are left out, with their
/// `in_degree` still above zero.
fn kahn(succ_offsets: &[u32], succ_targets: &[u32], in_degree: &mut [u32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..in_degree.len() as u32).filter(|&v| in_degree[v as usize] == 0).collect();
    order.reserve(in_degree.len() - order.len());
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        for &s in &succ_targets[succ_offsets[v] as usize..succ_offsets[v + 1] as usize] {
            in_degree[s as usize] -= 1;
            if in_degree[s as usize] == 0 {
                order.push(s);
            }
        }
    }
    order
}

/// Prefix offsets for edges grouped (sorted) by a node key.
fn offsets(node_count: usize, keys: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut offsets = vec![0u32; node_count + 1];
    for key in keys {
        offsets[key as usize + 1] += 1;
    }
    for i in 0..node_count {
        offsets[i + 1] += offsets[i];
    }
    offsets
}

/// Compressed adjacency (offsets, targets) for edges `(from, to)` in any order.
fn csr(node_count: usize, edges: impl Iterator<Item = (usize, usize)> + Clone) -> (Vec<u32>, Vec<u32>) {
    let offsets = offsets(node_count, edges.clone().map(|e| e.0 as u32));
    let mut fill = offsets.clone();
    let mut targets = vec![0u32; *offsets.last().unwrap_or(&0) as usize];
    for (from, to) in edges {
        targets[fill[from] as usize] = to as u32;
        fill[from] += 1;
    }
    (offsets, targets)
}

/// One closed path per strongly connected knot among the `stuck` nodes (those
/// Kahn's algorithm could not order), found by a breadth-first search back to
/// the knot's first node so the reported path is as short as possible.
fn find_cycles(succ_offsets: &[u32], succ_targets: &[u32], stuck: &[bool]) -> Vec<Cycle> {
    let n = stuck.len();
    let successors = |v: usize| {
        succ_targets[succ_offsets[v] as usize..succ_offsets[v + 1] as usize]
            .iter()
            .map(|&s| s as usize)
            .filter(|&s| stuck[s])
    };
    let components = strongly_connected(n, stuck, &successors);
    let mut cycles = Vec::new();
    for component in components {
        let start = component[0];
        let in_component = |v: usize| component.binary_search(&v).is_ok();
        let self_loop = successors(start).any(|s| s == start);
        if component.len() == 1 && !self_loop {
            continue;
        }
        if self_loop {
            cycles.push(Cycle { items: vec![ItemId::new(start)] });
            continue;
        }
        // Shortest path start → ... → start within the component.
        let mut parent: std::collections::HashMap<usize, usize> = Default::default();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(v) = queue.pop_front() {
            for s in successors(v).filter(|&s| in_component(s)) {
                if s == start {
                    closing = Some(v);
                    break 'search;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(s) {
                    e.insert(v);
                    queue.push_back(s);
                }
            }
        }
        let Some(mut v) = closing else { continue };
        let mut path = vec![v];
        while v != start {
            v = parent[&v];
            path.push(v);
        }
        // `path` runs backwards along successor links; successors depend on
        // their predecessors, so reversed it reads "start, then what waits on it".
        path.reverse();
        cycles.push(Cycle { items: path.into_iter().map(ItemId::new).collect() });
    }
    cycles
}

/// Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
/// Returns each component's nodes sorted ascending.
fn strongly_connected<I: Iterator<Item = usize>>(
    n: usize,
    included: &[bool],
    successors: &impl Fn(usize) -> I,
) -> Vec<Vec<usize>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0u32;
    for root in (0..n).filter(|&v| included[v]) {
        if index[root] != UNSEEN {
            continue;
        }
        let mut call: Vec<(usize, Vec<usize>, usize)> = Vec::new();
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        call.push((root, successors(root).collect(), 0));
        while let Some((v, succ, next)) = call.last_mut() {
            let v = *v;
            if let Some(&w) = succ.get(*next) {
                *next += 1;
                if index[w] == UNSEEN {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, successors(w).collect(), 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some((parent, _, _)) = call.last() {
                    low[*parent] = low[*parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    component.sort_unstable();
                    components.push(component);
                }
            }
        }
    }
    components
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
        let pairs = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 5)];
        assert_eq!(DependencyGraph::cycles(6, &pairs), cycles, "the loader's check finds the same loops");
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
