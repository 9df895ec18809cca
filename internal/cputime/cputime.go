// Package cputime reads the CPU time the process has used, for the
// benchmarks that report it beside ns/op: a machine that others load
// stretches wall time but leaves a benchmark's CPU time as it is.
package cputime
