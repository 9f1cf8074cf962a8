use std::time::Instant;
use ztgym::core::spec::NumericRequest;
fn main() {
    let spec = ztgym::registry::spec("sre").unwrap();
    let mut env = spec.numeric(&NumericRequest::default()).unwrap();
    let (mut o, mut m) = (vec![0.0; env.observation_len()], vec![0u8; 7]);
    let n: usize = std::env::args()
        .nth(1)
        .map_or(2_000_000, |s| s.parse().unwrap());
    env.reset(0, &mut o, &mut m);
    let mut x: u64 = 1;
    let t = Instant::now();
    let mut seed = 0;
    for _ in 0..n {
        if env.ended() {
            seed += 1;
            env.reset(seed, &mut o, &mut m);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        env.step((x % 7) as usize, &mut o, &mut m).unwrap();
    }
    println!("{:.0} steps/s", n as f64 / t.elapsed().as_secs_f64());
}
