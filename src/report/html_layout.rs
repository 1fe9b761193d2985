//! Layered graph layout for the HTML map. The combinatorial part (steps 1
//! to 3 below) is computed here for both maps; the service map gets its
//! coordinates and edge routes here too, the module map gets each
//! directory's order and places it in the page (see [`scopes`]).
//!
//! Sugiyama, Tagawa and Toda, "Methods for Visual Understanding of
//! Hierarchical System Structures" (1981), in its usual four steps, drawn
//! left to right (dependents left, what they depend on right):
//!
//! 1. cycle removal: edges closing a cycle in a depth-first search are reversed
//!    (dependency graphs are mostly acyclic, so few are);
//! 2. layering: longest path from the sources, one layer per column;
//! 3. ordering: barycenter sweeps (Sugiyama et al.) to reduce crossings, each
//!    node placed at the mean position of its neighbours in the layers already
//!    placed (long edges need no dummy nodes: neighbours in any layer count);
//! 4. coordinates: each column is stacked in order and moved towards the mean
//!    height of its neighbours with the spacing kept, which is an isotonic
//!    regression solved exactly by pool-adjacent-violators.
//!
//! Nodes without any edge are packed in a grid under the layers, so a
//! directory of 300 unrelated files is a block, not a column 8,000 px tall.
//! [`scopes`] applies this to a tree (directories holding modules), one
//! directory at a time, with each edge lifted to the children it passes through.

/// Horizontal gap between columns.
const COL_GAP: f64 = 64.0;
/// Vertical gap between nodes of a column.
const ROW_GAP: f64 = 10.0;
/// Gap between cells of the grid of unconnected nodes.
const GRID_GAP: f64 = 10.0;
/// Barycenter sweeps (down and up count one each).
const SWEEPS: usize = 8;
/// Coordinate refinement passes.
const ALIGN_PASSES: usize = 6;

/// Width and height of a node; positions are of its top-left corner.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

/// The successor lists of `edges` among `n` nodes (self-loops and stray ends
/// dropped, duplicates merged) with cycles removed, and which nodes touch an edge.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> (Vec<Vec<usize>>, Vec<bool>) {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            out[a].push(b);
        }
    }
    for o in &mut out {
        o.sort_unstable();
        o.dedup();
    }
    let mut connected = vec![false; n];
    for (a, o) in out.iter().enumerate() {
        for &b in o {
            connected[a] = true;
            connected[b] = true;
        }
    }
    (remove_cycles(&out), connected)
}

/// A layered drawing whose edges are routed around the boxes.
#[derive(Debug)]
pub struct Routed {
    /// Top-left corner of each node.
    pub pos: Vec<(f64, f64)>,
    pub total: Size,
    /// For each edge, from its first end to its second: the columns it
    /// crosses, as `[left, right, y]` (a horizontal run through a free slot).
    pub routes: Vec<Vec<[f64; 3]>>,
    /// For each edge, the centre of the bottom of its label's slot.
    pub labels: Vec<Option<(f64, f64)>>,
}

/// [`layered`] for small graphs whose edges carry labels (the service map),
/// drawn as Graphviz `dot` does (Gansner et al., "A Technique for Drawing
/// Directed Graphs", 1993, section 4): every edge is split by virtual nodes,
/// one in each layer it crosses, and layers alternate between boxes and
/// edge slots, so each label is a virtual node of its own size. Ordering and
/// coordinate assignment then keep labels and long edges clear of the boxes
/// and of each other. The block is not folded into bands.
pub fn routed(sizes: &[Size], edges: &[(usize, usize)], labels: &[Option<Size>], col_gap: f64) -> Routed {
    let n = sizes.len();
    let (dag, mut connected) = acyclic(n, edges);
    let base = longest_path_layers(&dag, &connected);
    // Real nodes on even layers, then one chain of virtual nodes per edge.
    let mut layer: Vec<usize> = base.iter().map(|l| 2 * l).collect();
    let mut all_sizes = sizes.to_vec();
    let mut ext: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    let mut label_at: Vec<Option<usize>> = vec![None; edges.len()];
    for (i, &(a, b)) in edges.iter().enumerate() {
        if a == b || a >= n || b >= n {
            chains.push(Vec::new());
            continue;
        }
        let (lo, hi) = if layer[a] < layer[b] { (a, b) } else { (b, a) };
        let slots: Vec<usize> = (layer[lo] + 1..layer[hi]).collect();
        let middle = slots.len() / 2;
        let mut chain = Vec::with_capacity(slots.len());
        let mut prev = lo;
        for (k, &l) in slots.iter().enumerate() {
            let v = all_sizes.len();
            let size = match labels.get(i).copied().flatten() {
                Some(lab) if k == middle => {
                    label_at[i] = Some(v);
                    lab
                }
                _ => Size { w: 0.0, h: 4.0 },
            };
            all_sizes.push(size);
            layer.push(l);
            connected.push(true);
            ext.push(Vec::new());
            ext[prev].push(v);
            chain.push(v);
            prev = v;
        }
        ext[prev].push(hi);
        if lo != a {
            chain.reverse();
        }
        chains.push(chain);
    }
    let columns = order_columns(&ext, &layer, &connected);
    let mut pos = vec![(0.0, 0.0); all_sizes.len()];
    let block = place(&columns, &ext, &all_sizes, col_gap, &mut pos);
    // Each virtual node spans its whole column.
    let mut span = vec![(0.0, 0.0); all_sizes.len()];
    for c in &columns {
        let x = c.first().map_or(0.0, |&v| pos[v].0);
        let w = c.iter().map(|&v| all_sizes[v].w).fold(0.0, f64::max);
        for &v in c {
            span[v] = (x, x + w);
        }
    }
    let bottom = |v: usize| pos[v].1 + all_sizes[v].h;
    let routes = chains.iter().map(|c| c.iter().map(|&v| [span[v].0, span[v].1, bottom(v)]).collect()).collect();
    let labels = label_at.iter().map(|l| l.map(|v| ((span[v].0 + span[v].1) / 2.0, bottom(v)))).collect();
    let loose: Vec<usize> = (0..n).filter(|&v| !connected[v]).collect();
    let total = grid(&loose, &all_sizes, block, &mut pos);
    pos.truncate(n);
    Routed { pos, total, routes, labels }
}

/// Reverses the edges that close a cycle in a depth-first search (iterative,
/// in node order, so the result is deterministic).
fn remove_cycles(out: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = out.len();
    // 0 unvisited, 1 on the stack, 2 done
    let mut state = vec![0u8; n];
    let mut dag: Vec<Vec<usize>> = vec![Vec::new(); n];
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        state[s] = 1;
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*i) {
                *i += 1;
                match state[w] {
                    0 => {
                        dag[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => dag[w].push(v),
                    _ => dag[v].push(w),
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    for d in &mut dag {
        d.sort_unstable();
        d.dedup();
    }
    dag
}

/// Layer of each connected node: the longest path from a source (Kahn order).
fn longest_path_layers(dag: &[Vec<usize>], connected: &[bool]) -> Vec<usize> {
    let n = dag.len();
    let mut indeg = vec![0usize; n];
    for d in dag {
        for &b in d {
            indeg[b] += 1;
        }
    }
    let mut layer = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| connected[v] && indeg[v] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &w in &dag[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    layer
}

/// Columns of connected nodes, ordered by barycenter sweeps.
fn order_columns(dag: &[Vec<usize>], layer: &[usize], connected: &[bool]) -> Vec<Vec<usize>> {
    let n = dag.len();
    let depth = (0..n).filter(|&v| connected[v]).map(|v| layer[v] + 1).max().unwrap_or(0);
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for v in (0..n).filter(|&v| connected[v]) {
        cols[layer[v]].push(v);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, d) in dag.iter().enumerate() {
        for &b in d {
            preds[b].push(a);
        }
    }
    // Relative position (0..1) of each node in its column.
    let mut rel = vec![0.0f64; n];
    let set_rel = |cols: &Vec<Vec<usize>>, rel: &mut Vec<f64>| {
        for c in cols {
            for (i, &v) in c.iter().enumerate() {
                rel[v] = (i as f64 + 0.5) / c.len() as f64;
            }
        }
    };
    set_rel(&cols, &mut rel);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down { (1..depth).collect() } else { (0..depth.saturating_sub(1)).rev().collect() };
        for l in order {
            let key = |v: usize| -> f64 {
                let nb = if down { &preds[v] } else { &dag[v] };
                if nb.is_empty() {
                    rel[v]
                } else {
                    nb.iter().map(|&u| rel[u]).sum::<f64>() / nb.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = cols[l].iter().map(|&v| (key(v), v)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            cols[l] = keyed.into_iter().map(|(_, v)| v).collect();
            let len = cols[l].len() as f64;
            for (i, &v) in cols[l].iter().enumerate() {
                rel[v] = (i as f64 + 0.5) / len;
            }
        }
    }
    cols
}

/// Coordinates of the layered block; returns its size.
fn place(cols: &[Vec<usize>], dag: &[Vec<usize>], sizes: &[Size], col_gap: f64, pos: &mut [(f64, f64)]) -> Size {
    let mut x = 0.0;
    let mut width: f64 = 0.0;
    for c in cols {
        let w = c.iter().map(|&v| sizes[v].w).fold(0.0, f64::max);
        let mut y = 0.0;
        for &v in c {
            pos[v] = (x, y);
            y += sizes[v].h + ROW_GAP;
        }
        width = x + w;
        x += w + col_gap;
    }
    let mut nbrs: Vec<Vec<usize>> = dag.to_vec();
    for (a, d) in dag.iter().enumerate() {
        for &b in d {
            nbrs[b].push(a);
        }
    }
    for _ in 0..ALIGN_PASSES {
        for c in cols {
            align_column(c, &nbrs, sizes, pos);
        }
    }
    let top = cols.iter().flatten().map(|&v| pos[v].1).fold(f64::INFINITY, f64::min);
    let top = if top.is_finite() { top } else { 0.0 };
    let mut height: f64 = 0.0;
    for &v in cols.iter().flatten() {
        pos[v].1 -= top;
        height = height.max(pos[v].1 + sizes[v].h);
    }
    Size { w: width, h: height }
}

/// Moves a column's nodes towards the mean centre of their neighbours,
/// keeping their order and spacing: minimise Σ (yᵢ − dᵢ)² subject to
/// yᵢ₊₁ ≥ yᵢ + hᵢ + gap. With offsets oᵢ = Σⱼ<ᵢ (hⱼ + gap) and zᵢ = yᵢ − oᵢ
/// the constraint is zᵢ₊₁ ≥ zᵢ: isotonic regression, pool adjacent violators.
fn align_column(col: &[usize], nbrs: &[Vec<usize>], sizes: &[Size], pos: &mut [(f64, f64)]) {
    let mut offset = 0.0;
    let mut targets = Vec::with_capacity(col.len());
    let mut offsets = Vec::with_capacity(col.len());
    for &v in col {
        let centre = |u: usize| pos[u].1 + sizes[u].h / 2.0;
        let want = if nbrs[v].is_empty() {
            centre(v)
        } else {
            nbrs[v].iter().map(|&u| centre(u)).sum::<f64>() / nbrs[v].len() as f64
        };
        targets.push(want - sizes[v].h / 2.0 - offset);
        offsets.push(offset);
        offset += sizes[v].h + ROW_GAP;
    }
    let z = isotonic(&targets);
    for (i, &v) in col.iter().enumerate() {
        pos[v].1 = z[i] + offsets[i];
    }
}

/// The non-decreasing sequence closest (least squares) to `t`.
fn isotonic(t: &[f64]) -> Vec<f64> {
    // Blocks of (mean, count).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for &x in t {
        blocks.push((x, 1));
        while blocks.len() > 1 {
            let (m2, c2) = blocks[blocks.len() - 1];
            let (m1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let last = blocks.last_mut().expect("two blocks");
            *last = ((m1 * c1 as f64 + m2 * c2 as f64) / (c1 + c2) as f64, c1 + c2);
        }
    }
    blocks.into_iter().flat_map(|(m, c)| std::iter::repeat_n(m, c)).collect()
}

/// Packs `nodes` in rows under `block` (as wide as it, or about square when
/// there is no block); returns the size of everything.
fn grid(nodes: &[usize], sizes: &[Size], block: Size, pos: &mut [(f64, f64)]) -> Size {
    if nodes.is_empty() {
        return block;
    }
    let area: f64 = nodes.iter().map(|&v| (sizes[v].w + GRID_GAP) * (sizes[v].h + GRID_GAP)).sum();
    let widest = nodes.iter().map(|&v| sizes[v].w).fold(0.0, f64::max);
    let row_width = block.w.max(area.sqrt() * 1.6).max(widest);
    let top = if block.h > 0.0 { block.h + COL_GAP / 2.0 } else { 0.0 };
    let (mut x, mut y, mut row_h, mut width) = (0.0, top, 0.0f64, block.w);
    for &v in nodes {
        let s = sizes[v];
        if x > 0.0 && x + s.w > row_width {
            x = 0.0;
            y += row_h + GRID_GAP;
            row_h = 0.0;
        }
        pos[v] = (x, y);
        width = width.max(x + s.w);
        x += s.w + GRID_GAP;
        row_h = row_h.max(s.h);
    }
    Size { w: width, h: y + row_h }
}

/// A tree whose directories are laid out: parents and the dependencies between nodes.
pub struct Tree<'a> {
    /// Parent of each node (`usize::MAX` for the root, node 0); parents come before children.
    pub parent: &'a [usize],
    /// Dependencies between leaves (or any nodes).
    pub edges: &'a [(usize, usize)],
}

/// The layered order of one directory's children (tree indexes): what the
/// page needs to place them at whatever size each has.
#[derive(Debug, Default, PartialEq)]
pub struct Scope {
    /// Columns, left to right (dependents left), each top to bottom.
    pub cols: Vec<Vec<usize>>,
    /// Children without a link, packed in a grid under the columns.
    pub loose: Vec<usize>,
    /// Links between children (cycles removed), each edge lifted to the two
    /// children of the directory it passes through, for aligning neighbours.
    pub links: Vec<(usize, usize)>,
}

/// The layered order of the children of every node that has children
/// (steps 1 to 3 of the module doc), with each edge in the scope of its
/// endpoints' lowest common ancestor.
///
/// Step 4, the coordinates, is left to the page for the module map: a
/// directory's size depends on which directories below it the reader has
/// opened, so the page places the columns for the boxes it draws (the same
/// stacking, alignment, banding and grid as [`routed`] uses here), and a
/// closed directory is drawn at its closed size wherever it is.
pub fn scopes(tree: &Tree) -> Vec<Option<Scope>> {
    let n = tree.parent.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for v in 1..n {
        children[tree.parent[v]].push(v);
    }
    let depth = depths(tree.parent);
    let mut scoped: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for &(a, b) in tree.edges {
        if let Some((scope, ca, cb)) = split(tree.parent, &depth, a, b) {
            scoped[scope].push((ca, cb));
        }
    }
    (0..n)
        .map(|v| {
            let kids = &children[v];
            if kids.is_empty() {
                return None;
            }
            let idx: std::collections::HashMap<usize, usize> = kids.iter().enumerate().map(|(i, &c)| (c, i)).collect();
            let edges: Vec<(usize, usize)> = scoped[v].iter().map(|(a, b)| (idx[a], idx[b])).collect();
            let (dag, connected) = acyclic(kids.len(), &edges);
            let layer = longest_path_layers(&dag, &connected);
            let cols = order_columns(&dag, &layer, &connected);
            Some(Scope {
                cols: cols.iter().map(|c| c.iter().map(|&i| kids[i]).collect()).collect(),
                loose: (0..kids.len()).filter(|&i| !connected[i]).map(|i| kids[i]).collect(),
                links: dag.iter().enumerate().flat_map(|(a, d)| d.iter().map(move |&b| (kids[a], kids[b]))).collect(),
            })
        })
        .collect()
}

fn depths(parent: &[usize]) -> Vec<usize> {
    let mut d = vec![0; parent.len()];
    for v in 1..parent.len() {
        d[v] = d[parent[v]] + 1;
    }
    d
}

/// The lowest common ancestor of `a` and `b` and its children towards each,
/// or `None` when one contains the other.
fn split(parent: &[usize], depth: &[usize], mut a: usize, mut b: usize) -> Option<(usize, usize, usize)> {
    if a == b {
        return None;
    }
    let (mut ca, mut cb) = (usize::MAX, usize::MAX);
    while depth[a] > depth[b] {
        ca = a;
        a = parent[a];
    }
    while depth[b] > depth[a] {
        cb = b;
        b = parent[b];
    }
    while a != b {
        ca = a;
        cb = b;
        a = parent[a];
        b = parent[b];
    }
    (ca != usize::MAX && cb != usize::MAX).then_some((a, ca, cb))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz() -> Size {
        Size { w: 100.0, h: 20.0 }
    }

    /// One directory (node 0) holding nodes 1..=n.
    fn flat(n: usize, edges: &[(usize, usize)]) -> Scope {
        let parent: Vec<usize> = std::iter::once(usize::MAX).chain(std::iter::repeat_n(0, n)).collect();
        scopes(&Tree { parent: &parent, edges }).swap_remove(0).expect("the root has children")
    }

    #[test]
    fn a_chain_goes_left_to_right() {
        let s = flat(3, &[(1, 2), (2, 3)]);
        assert_eq!(s.cols, vec![vec![1], vec![2], vec![3]]);
        assert!(s.loose.is_empty());
    }

    #[test]
    fn cycles_are_broken_and_unlinked_nodes_go_to_the_grid() {
        let s = flat(6, &[(1, 2), (2, 3), (3, 1), (3, 4), (4, 2), (5, 2), (5, 4)]);
        let mut placed: Vec<usize> = s.cols.concat();
        placed.sort_unstable();
        assert_eq!(placed, [1, 2, 3, 4, 5]);
        assert_eq!(s.loose, [6]);
        let col = |v: usize| s.cols.iter().position(|c| c.contains(&v)).unwrap();
        for &(a, b) in &s.links {
            assert!(col(a) < col(b), "every link goes right: {a} → {b}");
        }
        assert_eq!(s.links.len(), 7, "one edge of the cycle reversed, none lost");
    }

    #[test]
    fn routed_edges_and_labels_keep_clear_of_the_boxes() {
        // 0 → 1 → 2 and a long edge 0 → 2 that would cross 1; 2 → 0 closes a cycle.
        let edges = [(0, 1), (1, 2), (0, 2), (2, 0)];
        let label = Some(Size { w: 80.0, h: 16.0 });
        let r = routed(&[sz(), sz(), sz()], &edges, &[label, None, label, label], 20.0);
        let boxes: Vec<(f64, f64, f64, f64)> = r.pos.iter().map(|p| (p.0, p.1, p.0 + 100.0, p.1 + 20.0)).collect();
        let hits =
            |x0: f64, y0: f64, x1: f64, y1: f64| boxes.iter().any(|b| x0 < b.2 && x1 > b.0 && y0 < b.3 && y1 > b.1);
        for (i, at) in r.labels.iter().enumerate() {
            assert_eq!(at.is_some(), i != 1, "labelled edges get a slot");
            if let Some((x, y)) = *at {
                assert!(!hits(x - 40.0, y - 16.0, x + 40.0, y), "label {i} at {x},{y} overlaps a box");
            }
        }
        for (i, route) in r.routes.iter().enumerate() {
            assert!(!route.is_empty(), "every edge passes through a slot");
            for &[l, rt, y] in route {
                assert!(!hits(l, y - 0.5, rt, y + 0.5), "edge {i} runs through a box at y {y}");
            }
        }
        // The cycle's back edge is routed from 2 to 0, right to left.
        let back = &r.routes[3];
        assert!(back.first().unwrap()[0] > back.last().unwrap()[0]);
    }

    #[test]
    fn isotonic_regression_pools_violators() {
        assert_eq!(isotonic(&[1.0, 3.0, 2.0, 4.0]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(isotonic(&[3.0, 2.0, 1.0]), vec![2.0, 2.0, 2.0]);
    }

    #[test]
    fn edges_are_lifted_to_the_children_of_the_directory_they_cross() {
        // 0 root; 1 dir a (2, 3); 4 dir b (5); edge 2 → 5 lifts to a → b at the root.
        let parent = [usize::MAX, 0, 1, 1, 0, 4];
        let s = scopes(&Tree { parent: &parent, edges: &[(2, 5), (2, 3)] });
        assert_eq!(s[0].as_ref().unwrap().cols, vec![vec![1], vec![4]], "a depends on b, so b is to its right");
        assert_eq!(s[1].as_ref().unwrap().cols, vec![vec![2], vec![3]]);
        assert_eq!(s[4].as_ref().unwrap().loose, [5]);
        assert!(s[2].is_none() && s[5].is_none(), "leaves have no scope");
    }
}
