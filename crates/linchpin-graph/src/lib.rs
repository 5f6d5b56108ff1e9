//! Graph algorithms over nodes numbered `0..n`, with no knowledge of what
//! the nodes are: the plan's dependency check, the engine's schedule order
//! and the findings' system graph all use them.
//!
//! Edges live in one compact [`Adjacency`] (offsets into a flat target
//! array), so a million-node graph is two allocations. Nothing here
//! recurses: a dependency chain a million items long cannot overflow the
//! stack. Cycles are values, never panics.

use std::collections::VecDeque;

/// Directed edges `from → to` as flat arrays: the targets of node `v` are
/// `targets[offsets[v]..offsets[v + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// The graph of `node_count` nodes and these edges, in any order.
    /// Targets keep the order the edges were given in.
    ///
    /// # Panics
    /// When an edge names a node `>= node_count`: callers number their own
    /// nodes, so that is a bug, not input.
    pub fn from_edges<I>(node_count: usize, edges: I) -> Self
    where
        I: IntoIterator<Item = (u32, u32)>,
        I::IntoIter: Clone,
    {
        let edges = edges.into_iter();
        let offsets = offsets(node_count, edges.clone().map(|(from, _)| from));
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; *offsets.last().unwrap_or(&0) as usize];
        for (from, to) in edges {
            assert!((to as usize) < node_count, "edge to node {to} of {node_count}");
            let slot = &mut fill[from as usize];
            targets[*slot as usize] = to;
            *slot += 1;
        }
        Adjacency { offsets, targets }
    }

    /// The undirected graph of these edges: each one both ways, self-loops
    /// left out.
    pub fn undirected<I>(node_count: usize, edges: I) -> Self
    where
        I: IntoIterator<Item = (u32, u32)>,
        I::IntoIter: Clone,
    {
        let edges = edges.into_iter().filter(|(a, b)| a != b);
        Self::from_edges(node_count, edges.clone().chain(edges.map(|(a, b)| (b, a))))
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The nodes `node` has an edge to.
    pub fn neighbours(&self, node: u32) -> &[u32] {
        let v = node as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// How many edges end at each node.
    pub fn in_degrees(&self) -> Vec<u32> {
        let mut in_degree = vec![0u32; self.len()];
        for &to in &self.targets {
            in_degree[to as usize] += 1;
        }
        in_degree
    }

    /// The same graph with every edge reversed.
    pub fn reversed(&self) -> Adjacency {
        let edges = (0..self.len() as u32).flat_map(|v| self.neighbours(v).iter().map(move |&w| (w, v)));
        Adjacency::from_edges(self.len(), edges)
    }
}

/// Prefix offsets for edges grouped by their `from` node: `offsets[v]` is
/// where node `v`'s edges begin. Exposed for callers that lay out their own
/// per-edge data (link kinds, lags) in the same order.
pub fn offsets(node_count: usize, from: impl Iterator<Item = u32>) -> Vec<u32> {
    let mut offsets = vec![0u32; node_count + 1];
    for key in from {
        assert!((key as usize) < node_count, "edge from node {key} of {node_count}");
        offsets[key as usize + 1] += 1;
    }
    for i in 0..node_count {
        offsets[i + 1] += offsets[i];
    }
    offsets
}

/// A set of nodes that reach each other in a loop, as one closed path:
/// an edge runs from each node to the next, and from the last to the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    pub nodes: Vec<u32>,
}

/// The nodes in an order where every edge runs forward, or every cycle
/// (one per knot of nodes that reach each other) when there is none.
pub fn topological_order(graph: &Adjacency) -> Result<Vec<u32>, Vec<Cycle>> {
    let mut in_degree = graph.in_degrees();
    let order = kahn(graph, &mut in_degree);
    if order.len() == graph.len() {
        return Ok(order);
    }
    let stuck: Vec<bool> = in_degree.iter().map(|&d| d > 0).collect();
    Err(cycles_among(graph, &stuck))
}

/// Every cycle of the graph of `node_count` nodes and these edges, found
/// without keeping an order: one per knot, each as short as it can be.
/// A graph whose every edge points to a higher node has none, and is known
/// acyclic without a search (plans are often written in dependency order).
pub fn cycles(node_count: usize, edges: &[(u32, u32)]) -> Vec<Cycle> {
    if edges.iter().all(|&(from, to)| from < to) {
        return Vec::new();
    }
    match topological_order(&Adjacency::from_edges(node_count, edges.iter().copied())) {
        Ok(_) => Vec::new(),
        Err(cycles) => cycles,
    }
}

/// Kahn's algorithm: the nodes in a topological order. Nodes on or behind a
/// cycle are left out, with their `in_degree` still above zero.
fn kahn(graph: &Adjacency, in_degree: &mut [u32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..in_degree.len() as u32).filter(|&v| in_degree[v as usize] == 0).collect();
    order.reserve(in_degree.len() - order.len());
    let mut head = 0;
    while head < order.len() {
        let v = order[head];
        head += 1;
        for &s in graph.neighbours(v) {
            in_degree[s as usize] -= 1;
            if in_degree[s as usize] == 0 {
                order.push(s);
            }
        }
    }
    order
}

/// One closed path per strongly connected knot among the `stuck` nodes,
/// found by a breadth-first search back to the knot's first node so the
/// path is as short as possible.
fn cycles_among(graph: &Adjacency, stuck: &[bool]) -> Vec<Cycle> {
    let components = strongly_connected(graph, |v| stuck[v as usize]);
    let mut cycles = Vec::new();
    for component in components {
        let start = component[0];
        let in_component = |v: u32| component.binary_search(&v).is_ok();
        if graph.neighbours(start).contains(&start) {
            cycles.push(Cycle { nodes: vec![start] });
            continue;
        }
        if component.len() == 1 {
            continue;
        }
        // Shortest path start → ... → start within the component.
        let mut parent: std::collections::HashMap<u32, u32> = Default::default();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(v) = queue.pop_front() {
            for &s in graph.neighbours(v).iter().filter(|&&s| in_component(s)) {
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
        path.reverse();
        cycles.push(Cycle { nodes: path });
    }
    cycles
}

/// The strongly connected components among the nodes `include` admits
/// (Tarjan's algorithm, iterative), each sorted ascending. Components come
/// out in reverse topological order of the graph they condense to.
pub fn strongly_connected(graph: &Adjacency, include: impl Fn(u32) -> bool) -> Vec<Vec<u32>> {
    let mut tarjan = Tarjan::new(graph.len());
    let mut components = Vec::new();
    for root in (0..graph.len() as u32).filter(|&v| include(v)) {
        if tarjan.index[root as usize] != Tarjan::UNSEEN {
            continue;
        }
        // (node, position of the next neighbour to look at)
        let mut call: Vec<(u32, usize)> = Vec::new();
        tarjan.enter(root);
        call.push((root, 0));
        while let Some(&mut (v, ref mut next)) = call.last_mut() {
            if let Some(&w) = graph.neighbours(v).get(*next) {
                *next += 1;
                if !include(w) {
                    continue;
                }
                if tarjan.index[w as usize] == Tarjan::UNSEEN {
                    tarjan.enter(w);
                    call.push((w, 0));
                } else if tarjan.on_stack[w as usize] {
                    tarjan.low[v as usize] = tarjan.low[v as usize].min(tarjan.index[w as usize]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    tarjan.low[parent as usize] = tarjan.low[parent as usize].min(tarjan.low[v as usize]);
                }
                if tarjan.low[v as usize] == tarjan.index[v as usize] {
                    components.push(tarjan.pop_component(v));
                }
            }
        }
    }
    components
}

/// The bookkeeping of Tarjan's algorithm.
struct Tarjan {
    index: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    stack: Vec<u32>,
    counter: u32,
}

impl Tarjan {
    const UNSEEN: u32 = u32::MAX;

    fn new(n: usize) -> Self {
        Tarjan {
            index: vec![Self::UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            counter: 0,
        }
    }

    fn enter(&mut self, v: u32) {
        self.index[v as usize] = self.counter;
        self.low[v as usize] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
    }

    /// The component rooted at `v`, taken off the stack, sorted.
    fn pop_component(&mut self, v: u32) -> Vec<u32> {
        let mut component = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w as usize] = false;
            component.push(w);
            if w == v {
                break;
            }
        }
        component.sort_unstable();
        component
    }
}

/// The cut vertices of an undirected graph: the nodes whose removal leaves
/// more connected parts than before (Hopcroft–Tarjan, iterative).
pub fn cut_vertices(undirected: &Adjacency) -> Vec<bool> {
    const UNSEEN: usize = usize::MAX;
    let n = undirected.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut cut = vec![false; n];
    let mut clock = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = clock;
        low[root] = clock;
        clock += 1;
        let mut root_children = 0;
        // (vertex, parent, next neighbour to look at)
        let mut stack = vec![(root, UNSEEN, 0usize)];
        while let Some(&mut (v, parent, ref mut next)) = stack.last_mut() {
            if let Some(&w) = undirected.neighbours(v as u32).get(*next) {
                let w = w as usize;
                *next += 1;
                if order[w] == UNSEEN {
                    order[w] = clock;
                    low[w] = clock;
                    clock += 1;
                    if v == root {
                        root_children += 1;
                    }
                    stack.push((w, v, 0));
                } else if w != parent {
                    low[v] = low[v].min(order[w]);
                }
            } else {
                stack.pop();
                if parent != UNSEEN {
                    low[parent] = low[parent].min(low[v]);
                    if parent != root && low[v] >= order[parent] {
                        cut[parent] = true;
                    }
                }
            }
        }
        cut[root] = root_children > 1;
    }
    cut
}

/// The sizes of the connected parts an undirected graph falls into without
/// `removed`, counting only the parts that held its neighbours.
pub fn parts_without(undirected: &Adjacency, removed: u32) -> Vec<usize> {
    let mut seen = vec![false; undirected.len()];
    seen[removed as usize] = true;
    let mut sizes = Vec::new();
    for &start in undirected.neighbours(removed) {
        if seen[start as usize] {
            continue;
        }
        seen[start as usize] = true;
        let mut stack = vec![start];
        let mut size = 0;
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in undirected.neighbours(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
            }
        }
        sizes.push(size);
    }
    sizes
}

/// Every node reachable from `from` along edges, the starting nodes included.
pub fn reachable(graph: &Adjacency, from: impl IntoIterator<Item = u32>) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut stack: Vec<u32> = Vec::new();
    for start in from {
        if !seen[start as usize] {
            seen[start as usize] = true;
            stack.push(start);
        }
    }
    while let Some(v) = stack.pop() {
        for &w in graph.neighbours(v) {
            if !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Adjacency {
        Adjacency::from_edges(n, edges.iter().copied())
    }

    #[test]
    fn orders_every_edge_forward() {
        let g = graph(4, &[(2, 0), (0, 1), (3, 1), (2, 3)]);
        let order = topological_order(&g).expect("acyclic");
        let position = |v: u32| order.iter().position(|&x| x == v).expect("every node");
        for v in 0..4 {
            for &w in g.neighbours(v) {
                assert!(position(v) < position(w), "{v} → {w} in {order:?}");
            }
        }
    }

    #[test]
    fn reports_each_cycle_with_its_whole_path() {
        // 0 → 1 → 2 → 0 and a separate 3 → 4 → 3, plus 5 hanging off the first.
        let edges = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 3), (2, 5)];
        let found = topological_order(&graph(6, &edges)).expect_err("cyclic");
        let paths: Vec<Vec<u32>> = found.iter().map(|c| c.nodes.clone()).collect();
        assert_eq!(paths.len(), 2);
        assert!(paths.contains(&vec![0, 1, 2]));
        assert!(paths.contains(&vec![3, 4]));
        assert_eq!(cycles(6, &edges), found, "the edge-list check finds the same loops");
    }

    #[test]
    fn a_self_loop_is_a_cycle() {
        assert_eq!(cycles(2, &[(1, 1)]), vec![Cycle { nodes: vec![1] }]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 200_000u32;
        let mut edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        edges.push((n - 1, 0));
        let found = cycles(n as usize, &edges);
        assert_eq!(found[0].nodes.len(), n as usize);
        assert!(reachable(&graph(n as usize, &edges), [5]).iter().all(|&r| r));
    }

    #[test]
    fn components_are_found_among_admitted_nodes_only() {
        let g = graph(5, &[(0, 1), (1, 0), (1, 2), (2, 3), (3, 2), (4, 4)]);
        let mut all = strongly_connected(&g, |_| true);
        all.sort();
        assert_eq!(all, vec![vec![0, 1], vec![2, 3], vec![4]]);
        let some = strongly_connected(&g, |v| v != 1);
        assert!(some.iter().all(|c| c.len() == 1 || c == &vec![2, 3]), "{some:?}");
    }

    #[test]
    fn cut_vertices_hold_parts_together() {
        // A path 0 - 1 - 2 and a triangle 2 - 3 - 4: 1 and 2 are cut vertices.
        let g = Adjacency::undirected(5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 2), (3, 3)]);
        assert_eq!(cut_vertices(&g), vec![false, true, true, false, false]);
        assert_eq!(parts_without(&g, 2), vec![2, 2]);
        assert_eq!(parts_without(&g, 3), vec![4], "the rest stays in one piece");
    }

    #[test]
    fn reachability_follows_edges_one_way() {
        let g = graph(4, &[(0, 1), (1, 2), (3, 2)]);
        assert_eq!(reachable(&g, [0]), vec![true, true, true, false]);
        assert_eq!(reachable(&g.reversed(), [2]), vec![true, true, true, true]);
    }
}
