//! A layered layout of the service graph, computed from the dependencies (no per-scenario
//! hand placement): a service sits one layer below the deepest service it depends on, and the
//! order within each layer is refined by the barycentre heuristic to cut edge crossings. An
//! edge that skips layers gets a waypoint in each layer it passes (a slot of its own, like a
//! node's), so it bends around the services between instead of running through them. Edges
//! leave a service under its label and cross between layers in the band free of labels and
//! rings, so no edge crosses a label or runs through a service.

use ztgym::Scenario;

/// Where each service is drawn, in a `width x height` view box.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphLayout {
    pub width: f64,
    pub height: f64,
    /// Centre of each service, in the scenario's service order.
    pub positions: Vec<(f64, f64)>,
    /// Edges as (dependency, dependent) service indices.
    pub edges: Vec<(usize, usize)>,
    /// Each edge's waypoints in the layers it skips, top to bottom (empty for neighbours).
    pub waypoints: Vec<Vec<(f64, f64)>>,
}

/// Radius of a service's circle; its ring is drawn 5 further out.
pub const NODE_R: f64 = 26.0;
/// The label's baseline, below the centre.
pub const LABEL_DY: f64 = NODE_R + 18.0;
/// Where an edge leaves its service: under the label.
pub const PORT_DY: f64 = NODE_R + 28.0;
/// The gap kept between an edge's arrowhead and the ring.
const ARROW_GAP: f64 = 6.0;
/// Where an edge turns down into its dependent, above the centre: clear of the ring and of
/// the gate's mark drawn over it.
const ABOVE: f64 = NODE_R + 5.0 + ARROW_GAP + 14.0;
const LAYER_GAP: f64 = 130.0;
const NODE_GAP: f64 = 150.0;
const MARGIN: f64 = 70.0;
/// Width of the chips (tickets, the policy's pick) beside a service, past the margin.
const CHIP_ROOM: f64 = 60.0;

/// Lays out a scenario's services.
pub fn layout(scenario: &Scenario) -> GraphLayout {
    let n = scenario.names.len();
    let mut depth = vec![0usize; n];
    for &i in &scenario.topo_order {
        depth[i] = scenario.upstream[i]
            .iter()
            .map(|&u| depth[u] + 1)
            .max()
            .unwrap_or(0);
    }
    let edges: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| scenario.upstream[i].iter().map(move |&u| (u, i)))
        .collect();
    // The services, then one waypoint per skipped layer of each long edge: vertices with
    // neighbours above and below, ordered together.
    let mut up: Vec<Vec<usize>> = scenario.upstream.clone();
    let mut down: Vec<Vec<usize>> = scenario.downstream.clone();
    let mut vdepth = depth.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    for &(u, v) in &edges {
        let mut chain = Vec::new();
        if depth[v] > depth[u] + 1 {
            let mut prev = u;
            for d in depth[u] + 1..depth[v] {
                let w = up.len();
                up.push(vec![prev]);
                down.push(Vec::new());
                vdepth.push(d);
                down[prev].push(w);
                chain.push(w);
                prev = w;
            }
            down[prev].push(v);
            up[v].push(prev);
            // The direct link is replaced by the chain for ordering.
            up[v].retain(|&x| x != u);
            down[u].retain(|&x| x != v);
        }
        chains.push(chain);
    }
    let total = up.len();
    let layers = vdepth.iter().max().map_or(1, |d| d + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, &d) in vdepth.iter().enumerate() {
        rows[d].push(i);
    }
    // Barycentre sweeps: order each layer by the mean position of its neighbours in the layer
    // above (downward sweep), then below (upward sweep).
    let mut pos = vec![0.0; total];
    let place = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for row in rows {
            for (k, &i) in row.iter().enumerate() {
                pos[i] = k as f64;
            }
        }
    };
    place(&rows, &mut pos);
    for _ in 0..4 {
        for d in 1..layers {
            sort_by_barycentre(&mut rows[d], &pos, |i| &up[i]);
            place(&rows, &mut pos);
        }
        for d in (0..layers.saturating_sub(1)).rev() {
            sort_by_barycentre(&mut rows[d], &pos, |i| &down[i]);
            place(&rows, &mut pos);
        }
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    // Room on the right for the chips drawn beside the rightmost services.
    let width = 2.0 * MARGIN + (widest as f64 - 1.0) * NODE_GAP + CHIP_ROOM;
    let height = 2.0 * MARGIN + (layers as f64 - 1.0) * LAYER_GAP;
    let mut at = vec![(0.0, 0.0); total];
    for (d, row) in rows.iter().enumerate() {
        // Centre shorter layers under the widest one.
        let offset = (widest - row.len()) as f64 * NODE_GAP / 2.0;
        for (k, &i) in row.iter().enumerate() {
            at[i] = (
                MARGIN + offset + k as f64 * NODE_GAP,
                MARGIN + d as f64 * LAYER_GAP,
            );
        }
    }
    let waypoints = chains
        .iter()
        .map(|chain| chain.iter().map(|&w| at[w]).collect())
        .collect();
    at.truncate(n);
    GraphLayout {
        width,
        height,
        positions: at,
        edges,
        waypoints,
    }
}

impl GraphLayout {
    /// The points an edge is drawn through: down from under its dependency's label, across
    /// the free band between two layers (below the labels of one, above the rings of the
    /// next), down through each waypoint's slot, and into its dependent from straight above,
    /// stopping before the ring (where the arrowhead goes).
    pub fn route(&self, e: usize) -> Vec<(f64, f64)> {
        let (u, v) = self.edges[e];
        let (ux, uy) = self.positions[u];
        let mut points = vec![(ux, uy + PORT_DY)];
        for &(wx, wy) in &self.waypoints[e] {
            points.push((wx, wy - ABOVE));
            points.push((wx, wy + PORT_DY));
        }
        let (vx, vy) = self.positions[v];
        points.push((vx, vy - ABOVE));
        points.push((vx, vy - NODE_R - 5.0 - ARROW_GAP));
        points
    }
}

/// A service label's box, for a name of `chars` characters centred under `(x, y)` (12 px text;
/// 7.5 px per character is wider than the font's widest lowercase average).
pub fn label_box((x, y): (f64, f64), chars: usize) -> (f64, f64, f64, f64) {
    let half = chars as f64 * 7.5 / 2.0 + 2.0;
    (x - half, y + LABEL_DY - 13.0, x + half, y + LABEL_DY + 4.0)
}

/// Whether the segment `a`-`b` enters the box `(x0, y0, x1, y1)` (Liang-Barsky clipping).
pub fn segment_hits_box(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// The distance from `c` to the segment `a`-`b`.
pub fn segment_distance(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((c.0 - a.0) * dx + (c.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (px, py) = (a.0 + t * dx, a.1 + t * dy);
    ((c.0 - px).powi(2) + (c.1 - py).powi(2)).sqrt()
}

fn sort_by_barycentre<'a>(
    row: &mut [usize],
    pos: &[f64],
    neighbours: impl Fn(usize) -> &'a Vec<usize>,
) {
    let key = |i: usize| {
        let ns = neighbours(i);
        if ns.is_empty() {
            pos[i]
        } else {
            ns.iter().map(|&j| pos[j]).sum::<f64>() / ns.len() as f64
        }
    };
    let mut keyed: Vec<(f64, usize, usize)> = row
        .iter()
        .enumerate()
        .map(|(k, &i)| (key(i), k, i))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (slot, (_, _, i)) in row.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Number of pairs of edges between the same two layers that cross.
pub fn crossings(l: &GraphLayout) -> usize {
    let mut count = 0;
    for (a, &(u1, v1)) in l.edges.iter().enumerate() {
        for &(u2, v2) in &l.edges[a + 1..] {
            let (pu1, pv1, pu2, pv2) = (
                l.positions[u1],
                l.positions[v1],
                l.positions[u2],
                l.positions[v2],
            );
            let same_layers = pu1.1 == pu2.1 && pv1.1 == pv2.1;
            if same_layers && u1 != u2 && v1 != v2 && (pu1.0 - pu2.0) * (pv1.0 - pv2.0) < 0.0 {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_scenario_gets_distinct_positions_inside_the_box() {
        for name in Scenario::builtin_names() {
            let s = Scenario::builtin(name).unwrap();
            let l = layout(&s);
            assert_eq!(l.positions.len(), s.names.len());
            for (i, p) in l.positions.iter().enumerate() {
                assert!(
                    p.0 > 0.0 && p.0 < l.width && p.1 > 0.0 && p.1 < l.height,
                    "{name}: {p:?}"
                );
                for q in &l.positions[i + 1..] {
                    assert!(
                        (p.0 - q.0).abs() + (p.1 - q.1).abs() > 50.0,
                        "{name}: overlapping nodes"
                    );
                }
            }
        }
    }

    #[test]
    fn dependents_sit_below_what_they_depend_on() {
        for name in Scenario::builtin_names() {
            let s = Scenario::builtin(name).unwrap();
            let l = layout(&s);
            for &(up, down) in &l.edges {
                assert!(l.positions[up].1 < l.positions[down].1, "{name}");
            }
        }
    }

    #[test]
    fn no_edge_crosses_a_label_or_runs_through_another_service() {
        for name in Scenario::builtin_names() {
            let s = Scenario::builtin(name).unwrap();
            let l = layout(&s);
            for e in 0..l.edges.len() {
                let (u, v) = l.edges[e];
                let route = l.route(e);
                for seg in route.windows(2) {
                    for (i, &p) in l.positions.iter().enumerate() {
                        let label = label_box(p, s.names[i].chars().count());
                        assert!(
                            !segment_hits_box(seg[0], seg[1], label),
                            "{name}: edge {}->{} crosses the label of {}",
                            s.names[u],
                            s.names[v],
                            s.names[i]
                        );
                        if i != u && i != v {
                            assert!(
                                segment_distance(seg[0], seg[1], p) > NODE_R + 5.0,
                                "{name}: edge {}->{} runs through {}",
                                s.names[u],
                                s.names[v],
                                s.names[i]
                            );
                        }
                    }
                }
                // Every point of the route stays in the view box.
                for p in &route {
                    assert!(
                        p.0 > 0.0 && p.0 < l.width && p.1 > 0.0 && p.1 < l.height,
                        "{name}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_box_test_sees_a_crossing_and_a_miss() {
        let b = (0.0, 0.0, 10.0, 10.0);
        assert!(segment_hits_box((-5.0, 5.0), (15.0, 5.0), b));
        assert!(!segment_hits_box((-5.0, 15.0), (15.0, 15.0), b));
        assert!(!segment_hits_box(
            (-5.0, 0.0),
            (0.0, -5.0),
            (0.1, 0.1, 10.0, 10.0)
        ));
    }

    #[test]
    fn classic_is_drawn_without_crossings() {
        let l = layout(&Scenario::builtin("classic").unwrap());
        assert_eq!(crossings(&l), 0);
        assert_eq!(l.edges.len(), 3);
    }

    #[test]
    fn barycentre_ordering_does_not_add_crossings() {
        for name in Scenario::builtin_names() {
            let s = Scenario::builtin(name).unwrap();
            let l = layout(&s);
            // Against the plain order of the file, layer by layer.
            let mut naive = l.clone();
            let mut depth_rows: std::collections::BTreeMap<i64, Vec<usize>> = Default::default();
            for (i, p) in l.positions.iter().enumerate() {
                depth_rows.entry(p.1 as i64).or_default().push(i);
            }
            for row in depth_rows.values() {
                let mut xs: Vec<f64> = row.iter().map(|&i| l.positions[i].0).collect();
                xs.sort_by(f64::total_cmp);
                for (&i, x) in row.iter().zip(xs) {
                    naive.positions[i].0 = x;
                }
            }
            assert!(crossings(&l) <= crossings(&naive), "{name}");
        }
    }
}
