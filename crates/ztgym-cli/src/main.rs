fn main() {
    println!("ztgym {}", ztgym::VERSION);
}
