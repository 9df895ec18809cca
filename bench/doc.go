// Package bench runs leadline's pure rules side by side with hand-written
// Go and with the libraries a Go team would otherwise embed:
// qmuntal/stateless and looplab/fsm for the touch cadence (W1),
// expr-lang/expr and hyperjumptech/grule-rule-engine for the routing
// decision (W2) and the approach-request trigger (W3), on the same fixed
// inputs. README.md describes the workloads and each peer's usage, and has
// the results and the command that regenerates them.
//
// It is its own module so that leadline's go.mod never names a peer.
// Every implementation is checked against the hand-written answer on the
// same inputs (equivalence_test.go) before any number counts.
package bench
