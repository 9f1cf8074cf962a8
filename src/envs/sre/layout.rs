//! A layered layout of the service graph, computed from the dependencies (no per-scenario
//! hand placement): a service sits one layer below the deepest service it depends on, and the
//! order within each layer is refined by the barycentre heuristic to cut edge crossings.

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
}

const LAYER_GAP: f64 = 110.0;
const NODE_GAP: f64 = 150.0;
const MARGIN: f64 = 70.0;

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
    let layers = depth.iter().max().map_or(1, |d| d + 1);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, &d) in depth.iter().enumerate() {
        rows[d].push(i);
    }
    // Barycentre sweeps: order each layer by the mean position of its neighbours in the layer
    // above (downward sweep), then below (upward sweep).
    let mut pos = vec![0.0; n];
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
            sort_by_barycentre(&mut rows[d], &pos, |i| &scenario.upstream[i]);
            place(&rows, &mut pos);
        }
        for d in (0..layers.saturating_sub(1)).rev() {
            sort_by_barycentre(&mut rows[d], &pos, |i| &scenario.downstream[i]);
            place(&rows, &mut pos);
        }
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let width = 2.0 * MARGIN + (widest as f64 - 1.0) * NODE_GAP;
    let height = 2.0 * MARGIN + (layers as f64 - 1.0) * LAYER_GAP;
    let mut positions = vec![(0.0, 0.0); n];
    for (d, row) in rows.iter().enumerate() {
        // Centre shorter layers under the widest one.
        let offset = (widest - row.len()) as f64 * NODE_GAP / 2.0;
        for (k, &i) in row.iter().enumerate() {
            positions[i] = (
                MARGIN + offset + k as f64 * NODE_GAP,
                MARGIN + d as f64 * LAYER_GAP,
            );
        }
    }
    let edges = (0..n)
        .flat_map(|i| scenario.upstream[i].iter().map(move |&u| (u, i)))
        .collect();
    GraphLayout {
        width,
        height,
        positions,
        edges,
    }
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
