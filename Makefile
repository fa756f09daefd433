# The README's two commands: `make run` and `make test`. Each installs what is missing first.
SAMPLE := sample-maps/fengqing/fengqing.gpkg

.PHONY: run test setup sample bench lint

setup:
	@bash scripts/setup.sh

run: setup
	cargo run --release -- $(SAMPLE)

test: setup
	cargo test --lib --bins --tests

# Lints both builds: with the window (the default) and the library + CLI alone, which must
# not pull in any GUI crate; and no source file may import one that imports it back.
lint: setup
	cargo fmt --check
	python3 scripts/import_cycles.py src
	cargo clippy --all-targets -- -D warnings
	cargo clippy --no-default-features --lib --bins -- -D warnings
	cargo build --no-default-features
	@if cargo tree --no-default-features -e normal,build | grep -E '(egui|eframe|walkers|wgpu|winit)'; then \
		echo "lint: the build without the gui feature pulls in GUI crates (above)"; exit 1; fi

# Regenerate the committed sample (deterministic for the seed).
sample: setup
	cargo run --release -- sample --out sample-maps/fengqing --seed 530921

# Benchmarks side by side with GDAL and geopandas (see benches/README.md).
bench: setup
	bash benches/load_vs_gdal.sh
	bash benches/render_vs_gdal.sh
	cargo bench --bench frames -- target/bench-data/sample-200000/fengqing.gpkg
	cargo bench --bench live_conflict -- target/bench-data/sample-200000/fengqing.gpkg
	bash benches/checks_vs_geopandas.sh
	bash benches/tables_vs_geopandas.sh
	bash benches/corridor_vs_geopandas.sh
	bash benches/geojson_vs_gdal.sh
