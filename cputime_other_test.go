//go:build !unix

package leadline_test

import "time"

// cpuTime is zero where the process's CPU time is not read: the
// benchmark's cpu-s/op then reads 0.
func cpuTime() time.Duration { return 0 }
