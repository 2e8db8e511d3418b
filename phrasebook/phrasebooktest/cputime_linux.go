//go:build linux

package phrasebooktest

import (
	"syscall"
	"time"
)

// ThreadCPU returns the CPU time the calling OS thread has used, and
// whether the platform tells (Linux does). A benchmark that locks itself
// to one thread (runtime.LockOSThread) and reads it around each side
// counts each side's own work, not its time waiting for a core on a busy
// machine.
func ThreadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
