//go:build linux

package lintbench

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used (the
// benchmark locks itself to one thread), so that on a busy machine the
// comparison counts each side's own work, not its time waiting for a core.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
