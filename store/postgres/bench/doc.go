// Package bench holds the PostgreSQL benchmarks that compare the
// adapter, through the public API, with river (github.com/riverqueue/river)
// and with hand-written SQL in the same run. It is a module of its own so
// that river is a dependency of the benchmarks only.
package bench
